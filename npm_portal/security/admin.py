"""Two-factor devices and enrolment links in the admin: an administrator may see who has set up
two-factor login and delete a device, and sees which enrolment links were issued, by whom and
whether they were used, but never a TOTP secret, a backup code or a link's token (none is stored
in clear anyway). A lost phone is replaced through an enrolment link (SECURITY.md)."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from .models import Authenticator, BackupCodes, EnrolmentLink


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Authenticator)
class AuthenticatorAdmin(ReadOnlyAdmin):
    list_display = ["user", "name", "confirmed", "created_at", "last_used_at"]
    list_filter = ["confirmed"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__last_name"]
    fields = ["user", "name", "confirmed", "created_at", "last_used_at"]
    readonly_fields = fields


@admin.register(BackupCodes)
class BackupCodesAdmin(ReadOnlyAdmin):
    list_display = ["user", "codes_left", "created_at", "last_used_at"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__last_name"]
    fields = ["user", "codes_left", "created_at", "last_used_at"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(codes_left=Count("codes"))

    @admin.display(description=_("codes left"))
    def codes_left(self, obj) -> int:
        return obj.codes_left


@admin.register(EnrolmentLink)
class EnrolmentLinkAdmin(ReadOnlyAdmin):
    list_display = ["user", "created_by", "created_at", "expires_at", "used_at", "emailed"]
    list_select_related = ["user", "created_by"]
    search_fields = ["user__username", "user__last_name"]
    fields = ["user", "created_by", "created_at", "expires_at", "used_at", "emailed"]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
