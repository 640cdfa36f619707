"""URL patterns; see recommendations/urls.py."""

from django.urls import path

from . import tracker_views

urlpatterns: list = [
    path("", tracker_views.tracker, name="list"),
    path("bulk/", tracker_views.bulk, name="bulk"),
    path("export.csv", tracker_views.export_csv, name="export_csv"),
    path("export.xlsx", tracker_views.export_xlsx, name="export_xlsx"),
    path("new/", tracker_views.create, name="create"),
    path("suggestions/", tracker_views.suggestions, name="suggestions"),
    path("<int:pk>/edit/", tracker_views.edit, name="edit"),
    path("<int:pk>/repeats/", tracker_views.repeat_link, name="repeat_link"),
]
