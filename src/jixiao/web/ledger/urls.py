from django.urls import path

from jixiao.web.ledger import views

app_name = "ledger"
urlpatterns = [
    path("", views.ledger_list, name="list"),
    path("<int:item_pk>/", views.ledger_item, name="item"),
    path("<int:item_pk>/evidence/", views.ledger_evidence, name="evidence"),
    path("<int:item_pk>/evidence/download/", views.ledger_evidence_download,
         name="evidence_download"),
    path("<int:item_pk>/close/", views.ledger_close, name="close"),
    path("export.<str:fmt>", views.ledger_export, name="export"),
]
