from django.urls import path

from jixiao.web.rectification import views

app_name = "rectification"
urlpatterns = [
    path("", views.item_list, name="list"),
    path("new/", views.item_new, name="new"),
    path("carry-over/", views.carry_over, name="carry_over"),
    path("<int:item_pk>/", views.item_detail, name="item"),
    path("<int:item_pk>/evidence/", views.item_evidence, name="evidence"),
    path("<int:item_pk>/evidence/download/", views.item_evidence_download,
         name="evidence_download"),
    path("<int:item_pk>/close/", views.item_close, name="close"),
    path("export.<str:fmt>", views.item_export, name="export"),
]
