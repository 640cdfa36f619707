"""Pages under /recommendations/: the tracker and authoring, a recommendation's detail and
assessment, authority letters, a visit's recommendations and follow-up checklist, dashboards."""

from django.urls import path

from .views import authoring, checklist, compliance, dashboard, imports, responses, tracker

app_name = "recommendations"

urlpatterns: list = [
    # The tracker and authoring.
    path("", tracker.tracker, name="list"),
    path("bulk/", tracker.bulk, name="bulk"),
    path("export.csv", tracker.export_csv, name="export_csv"),
    path("export.xlsx", tracker.export_xlsx, name="export_xlsx"),
    path("new/", authoring.create, name="create"),
    path("suggestions/", authoring.suggestions, name="suggestions"),
    path("<int:pk>/edit/", authoring.edit, name="edit"),
    path("<int:pk>/repeats/", authoring.repeat_link, name="repeat_link"),
    # Compliance.
    path("<int:pk>/", compliance.recommendation_detail, name="detail"),
    path("<int:pk>/assess/", compliance.recommendation_assess, name="assess"),
    path("responses/new/", responses.response_create, name="response_create"),
    path("responses/<int:pk>/", responses.response_detail, name="response_detail"),
    path("responses/<int:pk>/edit/", responses.response_edit, name="response_edit"),
    path("responses/<int:pk>/document/", responses.response_document, name="response_document"),
    path("visit/<int:visit_pk>/", compliance.visit_recommendations, name="visit_recommendations"),
    path(
        "visit/<int:visit_pk>/checklist/",
        checklist.follow_up_checklist,
        name="follow_up_checklist",
    ),
    path("checks/<int:pk>/record/", checklist.check_record, name="check_record"),
    # Bulk import of past years.
    path("import/", imports.import_start, name="import"),
    path("import/confirm/", imports.import_confirm, name="import_confirm"),
    path("import/template.xlsx", imports.template_xlsx, name="import_template_xlsx"),
    path("import/template.csv", imports.template_csv, name="import_template_csv"),
    path("import/<int:pk>/", imports.batch_detail, name="import_batch"),
    path("import/<int:pk>/undo/", imports.batch_undo, name="import_undo"),
    # Dashboards.
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/annual/<int:year>.pdf", dashboard.annual_report, name="annual_report"),
]
