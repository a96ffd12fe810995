from django.contrib import admin

from reperes.action_plans.models import Action


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "status", "owner", "due_on"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["organisation", "campaign", "owner", "created_by"]
