from django.urls import path

from jixiao.web.review import views

app_name = "review"
urlpatterns = [
    path("", views.runs, name="list"),
    path("<int:pk>/", views.run_page, name="job"),
    path("<int:pk>/progress/", views.progress, name="progress"),
    path("<int:pk>/export/", views.export, name="export"),
    path("<int:pk>/documents/<int:doc>/", views.document, name="document"),
    path("findings/<int:pk>/decide/", views.decide, name="decide"),
]
