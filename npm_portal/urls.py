from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from . import views
from .api import views as api_views
from .security import password_reset
from .security import views as security_views
from .security.log_export import access_log_export
from .security.middleware import otp_not_required

# JSON under /api/, the HTML page elsewhere.
handler404 = "npm_portal.api.errors.handler404"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", security_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", otp_not_required(auth_views.LogoutView.as_view()), name="logout"),
    # Two-factor login, backup codes, re-authentication, the access log (npm_portal.security).
    path("accounts/two-factor/", security_views.two_factor, name="two_factor"),
    path("accounts/two-factor/verify/", security_views.otp_verify, name="otp_verify"),
    path("accounts/two-factor/setup/", security_views.otp_setup, name="otp_setup"),
    path("accounts/two-factor/backup-codes/", security_views.backup_codes, name="backup_codes"),
    path("accounts/enrol/<str:token>/", security_views.enrolment_link, name="enrolment_link"),
    path("accounts/enrolment-links/", security_views.enrolment_links, name="enrolment_links"),
    path("accounts/reauthenticate/", security_views.reauthenticate, name="reauthenticate"),
    # Personal API tokens (npm_portal.api).
    path("accounts/tokens/", api_views.token_list, name="api_tokens"),
    path("accounts/tokens/new/", api_views.token_create, name="api_token_create"),
    path("accounts/tokens/<int:pk>/revoke/", api_views.token_revoke, name="api_token_revoke"),
    path("access-log/", security_views.access_log, name="access_log"),
    path("access-log/export.csv", access_log_export, name="access_log_export"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # Password reset by e-mail (npm_portal.security.password_reset): anyone, logged in or not.
    path(
        "accounts/password/reset/",
        login_not_required(password_reset.PasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "accounts/password/reset/sent/",
        login_not_required(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/complete/",
        login_not_required(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        login_not_required(password_reset.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    # Anyone may pick a language, the login page included.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    # Public open data (no token); before /api/v1/, whose router would claim the path.
    path("api/v1/open/", include("npm_portal.opendata.urls")),
    path("api/v1/", include("npm_portal.api.urls")),
    path("webhooks/", include("npm_portal.webhooks.urls")),
    path("partners/", include("partners.urls")),
    path("recommendations/", include("recommendations.urls")),
    path("portal/", include("npm_portal.portal.urls")),
    path("search/", include("npm_portal.search.urls")),
    path("notifications/", include("npm_portal.notifications.urls")),
    # The authority portal: the authorities' area, and the NPM's side of it.
    path("authority/", include("npm_portal.authority_portal.urls")),
    path("answers/", include("npm_portal.authority_portal.npm_urls")),
    path("", include("visits.urls")),
]
