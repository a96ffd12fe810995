from django.contrib import admin

from reperes.organisations.models import (
    Affiliation,
    Event,
    Invitation,
    Membership,
    Network,
    NetworkInvitation,
    NetworkMembership,
    Organisation,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "legal_form", "headcount", "region", "created_at"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline, AffiliationInline]


class NetworkMembershipInline(admin.TabularInline):
    model = NetworkMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "scope", "region", "join_code"]
    search_fields = ["name"]
    readonly_fields = ["join_code"]
    inlines = [NetworkMembershipInline]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "accepted_at", "revoked_at"]
    search_fields = ["email"]
    raw_id_fields = ["organisation", "invited_by"]


@admin.register(NetworkInvitation)
class NetworkInvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "network", "role", "created_at", "accepted_at", "revoked_at"]
    raw_id_fields = ["network", "invited_by"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["created_at", "organisation", "network", "actor", "verb", "target"]
    list_filter = ["verb"]
    raw_id_fields = ["organisation", "network", "actor"]

    def has_change_permission(self, request, obj=None):
        return False
