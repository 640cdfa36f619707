"""The authority area (/authority/): what an authority user sees and does."""

from django.urls import path

from .views import answering
from .views import authority as views

app_name = "authority"

SUBMISSION = "submissions/<int:pk>/"

urlpatterns = [
    path("", views.home, name="home"),
    path("recommendations/<int:pk>/", views.recommendation, name="recommendation"),
    path("reports/", views.reports, name="reports"),
    path("reports/<int:pk>/", views.report, name="report"),
    path("reports/<int:pk>/public.pdf", views.report_public_pdf, name="report_public_pdf"),
    path("reports/<int:pk>/full.pdf", views.report_full_pdf, name="report_full_pdf"),
    path("reports/<int:pk>/answer/", answering.submission_start, name="submission_start"),
    path("submissions/", answering.submissions, name="submissions"),
    path(SUBMISSION, answering.submission, name="submission"),
    path(f"{SUBMISSION}answers/<int:rec_pk>/", answering.answer_edit, name="answer_edit"),
    path(
        f"{SUBMISSION}answers/<int:answer_pk>/remove/",
        answering.answer_remove,
        name="answer_remove",
    ),
    path(
        f"{SUBMISSION}answers/<int:answer_pk>/evidence/",
        answering.evidence_add,
        name="evidence_add",
    ),
    path(f"{SUBMISSION}evidence/<int:evidence_pk>/", answering.evidence, name="evidence"),
    path(
        f"{SUBMISSION}evidence/<int:evidence_pk>/remove/",
        answering.evidence_remove,
        name="evidence_remove",
    ),
    path(f"{SUBMISSION}send/", answering.submission_send, name="submission_send"),
    path(f"{SUBMISSION}return/", answering.submission_return, name="submission_return"),
    path(f"{SUBMISSION}sign-off/", answering.submission_sign_off, name="submission_sign_off"),
    path(f"{SUBMISSION}follow-up/", answering.submission_follow_up, name="submission_follow_up"),
    # The link in the invitation e-mail: choose a password (no login yet).
    path("invitation/<str:uidb64>/<str:token>/", views.invitation, name="invitation"),
]
