"""URL patterns; see recommendations/urls.py."""

from django.urls import path

from . import dashboard_views

urlpatterns: list = [
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    path("dashboard/annual/<int:year>.pdf", dashboard_views.annual_report, name="annual_report"),
]
