from django.urls import path

from jixiao.web.home import views

app_name = "home"
urlpatterns = [
    path("", views.index, name="index"),
]
