"""URL patterns; see recommendations/urls.py."""

from django.urls import path

from . import compliance_views as views

urlpatterns: list = [
    path("<int:pk>/", views.recommendation_detail, name="detail"),
    path("<int:pk>/assess/", views.recommendation_assess, name="assess"),
    path("responses/new/", views.response_create, name="response_create"),
    path("responses/<int:pk>/", views.response_detail, name="response_detail"),
    path("responses/<int:pk>/edit/", views.response_edit, name="response_edit"),
    path("responses/<int:pk>/document/", views.response_document, name="response_document"),
    path("visit/<int:visit_pk>/", views.visit_recommendations, name="visit_recommendations"),
    path(
        "visit/<int:visit_pk>/checklist/",
        views.follow_up_checklist,
        name="follow_up_checklist",
    ),
    path("checks/<int:pk>/record/", views.check_record, name="check_record"),
]
