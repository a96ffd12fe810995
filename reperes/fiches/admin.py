from django.contrib import admin

from reperes.fiches.models import Fiche, FicheVersion


@admin.register(Fiche)
class FicheAdmin(admin.ModelAdmin):
    list_display = ["collection", "number", "title", "slug", "network"]
    list_filter = ["collection", "network"]


@admin.register(FicheVersion)
class FicheVersionAdmin(admin.ModelAdmin):
    list_display = ["fiche", "number", "source", "loaded_at"]
    readonly_fields = ["fiche", "number", "content_hash", "content", "source", "loaded_at"]

    def has_add_permission(self, request):
        return False
