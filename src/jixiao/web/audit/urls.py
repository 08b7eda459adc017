from django.urls import path

from jixiao.web.audit.views import audit_all

app_name = "audit"
urlpatterns = [
    path("", audit_all, name="all"),
]
