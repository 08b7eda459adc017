from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class ReviewConfig(AppConfig):
    name = "jixiao.web.review"
    label = "review"
    verbose_name = gettext_lazy("复核")
