from django.urls import path

from . import views, visit_views

app_name = "visits"

urlpatterns = [
    path("places/", views.place_list, name="place_list"),
    path("places/new/", views.place_create, name="place_create"),
    path("places/<int:pk>/", views.place_detail, name="place_detail"),
    path("places/<int:pk>/edit/", views.place_edit, name="place_edit"),
    path("authorities/", views.authority_list, name="authority_list"),
    path("authorities/new/", views.authority_create, name="authority_create"),
    path("authorities/<int:pk>/", views.authority_detail, name="authority_detail"),
    path("authorities/<int:pk>/edit/", views.authority_edit, name="authority_edit"),
    path("visits/", visit_views.visit_list, name="visit_list"),
    path("visits/agenda/", visit_views.visit_agenda, name="visit_agenda"),
    path("visits/new/", visit_views.visit_create, name="visit_create"),
    path("visits/<int:pk>/", visit_views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/edit/", visit_views.visit_edit, name="visit_edit"),
    path("visits/<int:pk>/conduct/", visit_views.visit_conduct, name="visit_conduct"),
    path("visits/<int:pk>/cancel/", visit_views.visit_cancel, name="visit_cancel"),
    path(
        "visits/<int:pk>/status/<slug:action>/",
        visit_views.visit_transition,
        name="visit_transition",
    ),
    path("visits/<int:pk>/team/", visit_views.visit_team, name="visit_team"),
    path(
        "visits/<int:pk>/team/<int:member_pk>/remove/",
        visit_views.team_member_remove,
        name="team_member_remove",
    ),
    path("visits/<int:pk>/population/", visit_views.visit_population, name="visit_population"),
    path("visits/<int:pk>/findings/", visit_views.visit_findings, name="visit_findings"),
    path("visits/<int:pk>/interviews/", visit_views.visit_interviews, name="visit_interviews"),
    path(
        "visits/<int:pk>/interviews/<int:interview_pk>/",
        visit_views.interview_detail,
        name="interview_detail",
    ),
    path("visits/<int:pk>/attachments/", visit_views.visit_attachments, name="visit_attachments"),
    path(
        "visits/<int:pk>/attachments/<int:attachment_pk>/download/",
        visit_views.attachment_download,
        name="attachment_download",
    ),
    path("visits/<int:pk>/return-operation/", visit_views.visit_return, name="visit_return"),
    path(
        "visits/<int:pk>/follow-ups/<int:follow_up_pk>/check/",
        visit_views.follow_up_check,
        name="follow_up_check",
    ),
]

# Reports of a visit (below /visits/<pk>/report/): drafting and review, and their PDFs.
from . import pdf_urls, report_urls  # noqa: E402

urlpatterns += report_urls.urlpatterns + pdf_urls.urlpatterns
