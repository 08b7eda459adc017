from django.urls import path

from jixiao.web.audit.views import audit_log
from jixiao.web.funds import budget, charts, files, multi_year, new_year, payment_import_page, views

app_name = "funds"
urlpatterns = [
    path("", views.fund_list, name="list"),
    path("import/", files.import_dossier, name="import"),
    path("allocation/", files.allocation, name="allocation"),
    path("funds/<int:pk>/", views.dashboard, name="dashboard"),
    path("funds/<int:pk>/county-map.geojson", charts.map_data, name="county_map"),
    path("funds/<int:pk>/fund-year/", views.fund_year, name="fund_year"),
    path("funds/<int:pk>/years/", multi_year.page, name="multi_year"),
    path("funds/<int:pk>/new-year/", new_year.page, name="new_year"),
    path("funds/<int:pk>/indicators/<int:ind>/edit/", views.indicator_edit,
         name="indicator_edit"),
    path("funds/<int:pk>/rows/<str:kind>/<int:row_pk>/", views.row_edit, name="row_edit"),
    path("funds/<int:pk>/rows/<str:kind>/add/", views.row_add, name="row_add"),
    path("funds/<int:pk>/rows/<str:kind>/<int:row_pk>/delete/", views.row_delete,
         name="row_delete"),
    path("funds/<int:pk>/money/", views.money, name="money"),
    path("funds/<int:pk>/budget/", budget.page, name="budget"),
    path("funds/<int:pk>/plan-actual/", views.plan_actual, name="plan_actual"),
    path("funds/<int:pk>/projects/", views.projects, name="projects"),
    path("funds/<int:pk>/recipients/<int:rpk>/", views.recipient_page, name="recipient"),
    path("funds/<int:pk>/submissions/", views.submissions, name="submissions"),
    path("funds/<int:pk>/submissions/bulk-approve/", views.bulk_approve, name="bulk_approve"),
    path("funds/<int:pk>/submissions/<int:sub_pk>/<str:action>/", views.submission_action,
         name="submission_action"),
    path("funds/<int:pk>/payment-import/", payment_import_page.upload, name="payment_import"),
    path("funds/<int:pk>/payment-import/<int:job_pk>/", payment_import_page.job_page,
         name="payment_import_job"),
    path("funds/<int:pk>/payment-import/<int:job_pk>/progress/", payment_import_page.progress,
         name="payment_import_progress"),
    path("funds/<int:pk>/audit/", audit_log, name="audit"),
    path("funds/<int:pk>/report.<str:fmt>", files.report, name="report"),
    path("funds/<int:pk>/dossier.yaml", files.export_yaml, name="export_yaml"),
    path("funds/<int:pk>/form.xlsx", files.export_form, name="export_form"),
]
