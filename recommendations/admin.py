from django.contrib import admin

from .models import Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "name_sr", "code", "order", "forced_return", "active"]
    list_filter = ["forced_return", "active"]
    list_editable = ["order", "active"]
    search_fields = ["name", "name_sr", "code"]
