from django.contrib import admin

from .models import Unit


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]
