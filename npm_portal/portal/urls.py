"""The public portal at /portal/: issued reports' public versions and public recommendations.
No login; nothing confidential, nothing unissued."""

from django.urls import path

from . import views

app_name = "portal"

urlpatterns: list = [
    path("", views.index, name="index"),
    path("lookup/<slug:kind>/", views.lookup, name="lookup"),
    path("reports/<int:pk>/public.pdf", views.report_pdf, name="report_pdf"),
    path("recommendations/<int:pk>/", views.recommendation_detail, name="recommendation_detail"),
]
