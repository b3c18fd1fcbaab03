from django.urls import path

from .views import ict, office, registry

app_name = "counters"

urlpatterns = [
    # The office's own pages (operators and office managers).
    path("office/", office.office_home, name="office"),
    path("office/<int:office_id>/", office.office_queue, name="office_queue"),
    path("office/<int:office_id>/file/", office.office_file, name="office_file"),
    path("office/<int:office_id>/operators/", office.office_operators, name="office_operators"),
    path(
        "office/<int:office_id>/operators/<int:membership_id>/active/",
        office.office_operator_active,
        name="office_operator_active",
    ),
    # The ICT organisation's pages.
    path("offices/", registry.registry, name="registry"),
    path("offices/import/", registry.registry_import, name="registry_import"),
    path("offices/<int:office_id>/", registry.office_detail, name="office_detail"),
    path("offices/training/", ict.training_list, name="training_list"),
    path("offices/training/new/", ict.training_new, name="training_new"),
    path("offices/<int:office_id>/visits/new/", ict.visit_new, name="visit_new"),
    path("offices/findings/", ict.findings, name="findings"),
    path("offices/findings/<int:finding_id>/", ict.finding_update, name="finding_update"),
    path("offices/scorecards/", ict.scorecard_list, name="scorecards"),
]
