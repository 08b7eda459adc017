from django.apps import AppConfig


class FundsConfig(AppConfig):
    name = "jixiao.web.funds"
    label = "funds"
    verbose_name = "资金"
