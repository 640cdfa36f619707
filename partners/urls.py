from django.urls import path

from . import cooperation_views, views

app_name = "partners"

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("new/", views.organisation_create, name="organisation_create"),
    path("<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("calls/", views.call_list, name="call_list"),
    path("calls/new/", views.call_create, name="call_create"),
    path("calls/<int:pk>/", views.call_detail, name="call_detail"),
    path("calls/<int:pk>/edit/", views.call_edit, name="call_edit"),
    path("calls/<int:pk>/applications/new/", views.application_create, name="application_create"),
    path("calls/<int:pk>/decision/", views.call_decision, name="call_decision"),
    path("agreements/", views.agreement_list, name="agreement_list"),
    path("agreements/new/", views.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", views.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/document/", views.agreement_document, name="agreement_document"),
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/pledge/", views.member_pledge, name="member_pledge"),
    path("network/", cooperation_views.network_list, name="network_list"),
    path("network/new/", cooperation_views.network_create, name="network_create"),
    path("network/<int:pk>/", cooperation_views.network_detail, name="network_detail"),
    path("network/<int:pk>/edit/", cooperation_views.network_edit, name="network_edit"),
    path(
        "network/<int:pk>/<slug:part>/new/",
        cooperation_views.network_part_create,
        name="network_part_create",
    ),
    path("events/", cooperation_views.event_list, name="event_list"),
    path("events/new/", cooperation_views.event_create, name="event_create"),
    path("events/<int:pk>/", cooperation_views.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", cooperation_views.event_edit, name="event_edit"),
    path(
        "events/<int:pk>/participants/new/",
        cooperation_views.participant_create,
        name="participant_create",
    ),
    path("projects/", cooperation_views.project_list, name="project_list"),
    path("projects/new/", cooperation_views.project_create, name="project_create"),
    path("projects/<int:pk>/", cooperation_views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", cooperation_views.project_edit, name="project_edit"),
    path("projects/<int:pk>/results/new/", cooperation_views.result_create, name="result_create"),
    path(
        "projects/<int:pk>/results/<int:result_pk>/edit/",
        cooperation_views.result_edit,
        name="result_edit",
    ),
]
