from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from jixiao.web.api.api import api

urlpatterns = [
    path("accounts/", include("jixiao.web.accounts.urls")),
    path("home/", include("jixiao.web.home.urls")),  # the landing page after login
    # The language switch works before login too (the login page has it).
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("api/", api.urls),
    path("audit/", include("jixiao.web.audit.urls")),
    path("funds/<int:pk>/rectification/", include("jixiao.web.rectification.urls")),
    path("review/", include("jixiao.web.review.urls")),
    path("", include("jixiao.web.funds.urls")),
]

handler400 = "jixiao.web.errors.bad_request"
handler403 = "jixiao.web.errors.forbidden"
handler404 = "jixiao.web.errors.not_found"
handler500 = "jixiao.web.errors.server_error"
