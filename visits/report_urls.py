"""Report drafting and review, below /visits/<pk>/report/ (pk: the visit); see visits/urls.py."""

from django.urls import path

from . import report_views as views

SECTION = "visits/<int:pk>/report/sections/<int:section_pk>/"

urlpatterns = [
    path("visits/<int:pk>/report/", views.report_detail, name="report_detail"),
    path("visits/<int:pk>/report/new/", views.report_create, name="report_create"),
    path("visits/<int:pk>/report/edit/", views.report_edit, name="report_edit"),
    path(
        "visits/<int:pk>/report/status/<slug:action>/",
        views.report_transition,
        name="report_transition",
    ),
    path("visits/<int:pk>/report/sections/new/", views.section_create, name="section_create"),
    path(SECTION, views.section_edit, name="section_edit"),
    path(f"{SECTION}settings/", views.section_settings, name="section_settings"),
    path(f"{SECTION}autosave/", views.section_autosave, name="section_autosave"),
    path(f"{SECTION}preview/", views.section_preview, name="section_preview"),
    path(
        f"{SECTION}status/<slug:action>/",
        views.section_transition,
        name="section_transition",
    ),
    path(f"{SECTION}history/", views.section_history, name="section_history"),
    path(
        "visits/<int:pk>/report/dispatches/new/",
        views.dispatch_create,
        name="dispatch_create",
    ),
]
