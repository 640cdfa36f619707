from django.urls import path

from .views import agreements, calls, cooperation, members, organisations

app_name = "partners"

urlpatterns = [
    path("", organisations.organisation_list, name="organisation_list"),
    path("new/", organisations.organisation_create, name="organisation_create"),
    path("<int:pk>/", organisations.organisation_detail, name="organisation_detail"),
    path("<int:pk>/edit/", organisations.organisation_edit, name="organisation_edit"),
    path("calls/", calls.call_list, name="call_list"),
    path("calls/new/", calls.call_create, name="call_create"),
    path("calls/<int:pk>/", calls.call_detail, name="call_detail"),
    path("calls/<int:pk>/edit/", calls.call_edit, name="call_edit"),
    path("calls/<int:pk>/applications/new/", calls.application_create, name="application_create"),
    path("calls/<int:pk>/decision/", calls.call_decision, name="call_decision"),
    path("agreements/", agreements.agreement_list, name="agreement_list"),
    path("agreements/new/", agreements.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement_detail"),
    path("agreements/<int:pk>/edit/", agreements.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/document/", agreements.agreement_document, name="agreement_document"),
    path("members/", members.member_list, name="member_list"),
    path("members/new/", members.member_create, name="member_create"),
    path("members/<int:pk>/", members.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", members.member_edit, name="member_edit"),
    path("members/<int:pk>/pledge/", members.member_pledge, name="member_pledge"),
    path("network/", cooperation.network_list, name="network_list"),
    path("network/new/", cooperation.network_create, name="network_create"),
    path("network/<int:pk>/", cooperation.network_detail, name="network_detail"),
    path("network/<int:pk>/edit/", cooperation.network_edit, name="network_edit"),
    path(
        "network/<int:pk>/<slug:part>/new/",
        cooperation.network_part_create,
        name="network_part_create",
    ),
    path("events/", cooperation.event_list, name="event_list"),
    path("events/new/", cooperation.event_create, name="event_create"),
    path("events/<int:pk>/", cooperation.event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", cooperation.event_edit, name="event_edit"),
    path(
        "events/<int:pk>/participants/new/",
        cooperation.participant_create,
        name="participant_create",
    ),
    path("projects/", cooperation.project_list, name="project_list"),
    path("projects/new/", cooperation.project_create, name="project_create"),
    path("projects/<int:pk>/", cooperation.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", cooperation.project_edit, name="project_edit"),
    path("projects/<int:pk>/results/new/", cooperation.result_create, name="result_create"),
    path(
        "projects/<int:pk>/results/<int:result_pk>/edit/",
        cooperation.result_edit,
        name="result_edit",
    ),
]
