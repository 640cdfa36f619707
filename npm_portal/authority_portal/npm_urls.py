"""The NPM side of the authority portal (/answers/): incoming submissions, authority accounts,
escalations."""

from django.urls import path

from .views import escalations
from .views import npm as views

app_name = "answers"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/clarify/", views.clarify, name="clarify"),
    path("<int:pk>/evidence/<int:evidence_pk>/", views.evidence, name="evidence"),
    path("escalations/", escalations.escalations, name="escalations"),
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/<int:pk>/", views.account_detail, name="account_detail"),
    path("accounts/<int:pk>/deactivate/", views.account_deactivate, name="account_deactivate"),
    path("accounts/<int:pk>/invite/", views.account_invite, name="account_invite"),
]
