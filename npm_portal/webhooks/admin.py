"""The back office's view of webhooks: read only (the pages at /webhooks/ and their services
change them). The signing secret is encrypted, so the admin guard leaves it out everywhere."""

from django.contrib import admin

from .models import WebhookDelivery, WebhookSubscription


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["name", "url", "active", "created_at", "created_by"]
    list_filter = ["active"]
    list_select_related = ["created_by"]
    search_fields = ["name", "url"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "subscription",
        "event_type",
        "event_id",
        "status",
        "attempts",
        "last_status_code",
        "next_attempt_at",
    ]
    list_filter = ["status", "event_type"]
    list_select_related = ["subscription"]
    search_fields = ["event_id"]
    date_hierarchy = "created_at"
