from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Authority, Place


@admin.register(Authority)
class AuthorityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "short_name", "kind", "parent", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "short_name"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(Place)
class PlaceAdmin(SimpleHistoryAdmin):
    list_display = [
        "name",
        "category",
        "authority",
        "municipality",
        "district",
        "capacity",
        "active",
    ]
    list_filter = ["category", "active", "district"]
    search_fields = ["name", "municipality", "district", "address"]
    list_select_related = ["authority"]
    autocomplete_fields = ["authority"]
    readonly_fields = ["created_at", "updated_at"]
