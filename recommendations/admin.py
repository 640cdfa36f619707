"""Compliance records in the admin: responses, assessments, follow-up checks.

Read-only here: what they change (a recommendation's current status) is kept consistent by
`recommendations.services`, which the compliance pages call."""

from django.contrib import admin

from .models import (
    AnnualReport,
    Assessment,
    AuthorityResponse,
    FollowUpCheck,
    Recommendation,
    ResponseItem,
)


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ResponseItemInline(admin.TabularInline):
    model = ResponseItem
    extra = 0
    fields = ["recommendation", "stated_status", "explanation", "promised_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Recommendation)
class RecommendationAdmin(_ReadOnlyAdmin):
    """The back office's main table. Read-only: recommendations are written on the tracker's
    pages, whose services keep status, due date and history consistent."""

    list_display = ["__str__", "status", "priority", "due_date", "responded_on", "public"]
    list_select_related = ["visit__report", "visit__place"]
    list_filter = ["status", "priority", "public", "verified_on_site"]
    search_fields = ["text", "visit__report__reference"]
    ordering = ["-visit__year", "-visit__number", "number"]
    list_per_page = 50
    # A changelist over hundreds of thousands of rows: no second, unfiltered COUNT(*).
    show_full_result_count = False
    readonly_fields = ["visit", "theme", "addressees", "repeats", "created_by"]


@admin.register(AuthorityResponse)
class AuthorityResponseAdmin(_ReadOnlyAdmin):
    list_display = ["authority", "received_on", "reference", "visit"]
    list_select_related = ["authority", "visit__place"]
    search_fields = ["reference", "authority__name"]  # the note is encrypted
    date_hierarchy = "received_on"
    inlines = [ResponseItemInline]


@admin.register(Assessment)
class AssessmentAdmin(_ReadOnlyAdmin):
    list_display = [
        "recommendation",
        "status",
        "reason",
        "basis",
        "verified_on_site",
        "assessed_on",
    ]
    list_select_related = ["recommendation__visit__report", "recommendation__visit__place"]
    list_filter = ["status", "basis", "verified_on_site"]
    date_hierarchy = "assessed_on"


@admin.register(FollowUpCheck)
class FollowUpCheckAdmin(_ReadOnlyAdmin):
    list_display = ["visit", "recommendation", "recorded_at"]
    list_select_related = [
        "visit__place",
        "recommendation__visit__report",
        "recommendation__visit__place",
    ]


@admin.register(AnnualReport)
class AnnualReportAdmin(_ReadOnlyAdmin):
    """The frozen annual statistics reports: which years and languages are stored, with the
    checksum a copy can be verified against. Never changed: a frozen report is final."""

    list_display = ["year", "language", "pages", "sha256", "created_at"]
    list_filter = ["language"]
    ordering = ["-year", "language"]
