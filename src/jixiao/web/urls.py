from django.urls import include, path

from jixiao.web.api.api import api

urlpatterns = [
    path("accounts/", include("jixiao.web.accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("funds/<int:pk>/ledger/", include("jixiao.web.ledger.urls")),
    path("", include("jixiao.web.funds.urls")),
]

handler400 = "jixiao.web.errors.bad_request"
handler403 = "jixiao.web.errors.forbidden"
handler404 = "jixiao.web.errors.not_found"
handler500 = "jixiao.web.errors.server_error"
