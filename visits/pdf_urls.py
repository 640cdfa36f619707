"""URL patterns of report PDFs (draft previews, render jobs, the frozen issued PDF and its public
version); included into the `visits` namespace by visits/urls.py. `pk` is the visit."""

from django.urls import path

from . import pdf_views

urlpatterns = [
    path("visits/<int:pk>/report/preview/", pdf_views.report_preview, name="report_preview"),
    path(
        "visits/<int:pk>/report/renders/<int:render_pk>/",
        pdf_views.report_render,
        name="report_render",
    ),
    path(
        "visits/<int:pk>/report/renders/<int:render_pk>/download/",
        pdf_views.report_render_download,
        name="report_render_download",
    ),
    path("visits/<int:pk>/report/pdf/", pdf_views.report_pdf, name="report_pdf"),
    path(
        "visits/<int:pk>/report/public.pdf", pdf_views.report_public_pdf, name="report_public_pdf"
    ),
]
