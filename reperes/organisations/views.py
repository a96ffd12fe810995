from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from reperes.accounts.forms import DeleteAccountForm
from reperes.lib.actions import ActionRefused
from reperes.lib.errors import too_many_requests
from reperes.lib.limits import MailQuotaExceeded, Throttled, count_join_code_attempt, mail_quota
from reperes.organisations import actions
from reperes.organisations.access import (
    get_member,
    get_org_for_user,
    get_pending_invitation,
)
from reperes.organisations.forms import InviteForm, JoinNetworkForm, OrganisationForm, RoleForm
from reperes.organisations.models import Role


def organisation_create(request):
    form = OrganisationForm(request.POST or None)
    if form.is_valid():
        organisation = actions.create_organisation(by=request.user, **form.cleaned_data)
        messages.success(
            request,
            f"La structure « {organisation.name} » est créée. Vous en êtes la personne référente.",
        )
        return redirect(organisation)
    return render(request, "organisations/create.html", {"form": form})


def organisation_settings(request, slug):
    organisation = get_org_for_user(request, slug, ability="edit")
    form = OrganisationForm(request.POST or None, instance=organisation)
    if form.is_valid():
        actions.update_organisation(
            form.save(commit=False),
            by=request.user,
            changed=[form.fields[name].label.lower() for name in form.changed_data],
        )
        messages.success(request, "Le profil de la structure est enregistré.")
        return redirect(organisation)
    return render(
        request,
        "organisations/settings.html",
        {"organisation": organisation, "abilities": organisation.abilities, "form": form},
    )


def members(request, slug):
    organisation = get_org_for_user(request, slug, ability="view_members")
    form = InviteForm(request.POST or None, organisation=organisation)
    if request.method == "POST":
        if not organisation.abilities["invite"]:
            return redirect("organisations:members", slug)
        if form.is_valid():
            try:
                invitation = actions.invite_member(organisation, by=request.user, **form.cleaned_data)
            except MailQuotaExceeded as exceeded:
                form.add_error(None, exceeded.message)
            else:
                messages.success(
                    request,
                    f"Invitation envoyée à {invitation.email}. Le lien est valable "
                    f"jusqu'au {invitation.expires_at:%d/%m/%Y}.",
                )
                return redirect("organisations:members", slug)
    context = {
        "organisation": organisation,
        "abilities": organisation.abilities,
        "memberships": organisation.memberships.with_users(),
        "invitations": organisation.invitations.pending().select_related("invited_by")
        if organisation.abilities["invite"]
        else [],
        "form": form,
        "role_choices": Role.choices,
        "mail_quota": mail_quota(organisation) if organisation.abilities["invite"] else None,
    }
    return render(request, "organisations/members.html", context)


@require_POST
def member_role(request, slug, membership_id):
    organisation = get_org_for_user(request, slug, ability="manage_members")
    membership = get_member(organisation, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ce rôle n'existe pas. Choisissez-en un dans la liste.")
        return redirect("organisations:members", slug)
    try:
        actions.change_role(membership, role=form.cleaned_data["role"], by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(
            request, f"{membership.user} est maintenant {membership.get_role_display().lower()}."
        )
    return redirect("organisations:members", slug)


@require_POST
def member_remove(request, slug, membership_id):
    organisation = get_org_for_user(request, slug, ability="manage_members")
    membership = get_member(organisation, membership_id)
    try:
        actions.remove_member(membership, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("organisations:members", slug)
    if membership.user_id == request.user.pk:
        messages.success(request, f"Vous avez quitté « {organisation.name} ».")
        return redirect("home")
    messages.success(request, f"{membership.user} ne fait plus partie de la structure.")
    return redirect("organisations:members", slug)


@require_POST
def invitation_revoke(request, slug, invitation_id):
    organisation = get_org_for_user(request, slug, ability="invite")
    invitation = get_pending_invitation(organisation, invitation_id)
    actions.revoke_invitation(invitation, by=request.user)
    messages.success(request, f"L'invitation de {invitation.email} est annulée.")
    return redirect("organisations:members", slug)


def leave(request, slug):
    organisation = get_org_for_user(request, slug, ability="leave")
    if request.method == "POST":
        try:
            actions.remove_member(organisation.membership, by=request.user)
        except ActionRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("organisations:members", slug)
        messages.success(request, f"Vous avez quitté « {organisation.name} ».")
        return redirect("home")
    return render(
        request,
        "organisations/leave.html",
        {"organisation": organisation, "abilities": organisation.abilities},
    )


def networks(request, slug):
    organisation = get_org_for_user(request, slug)
    form = JoinNetworkForm(request.POST or None)
    if request.method == "POST":
        if not organisation.abilities["manage_networks"]:
            return redirect("organisations:networks", slug)
        try:
            count_join_code_attempt(request)
        except Throttled as throttled:
            return too_many_requests(request, throttled)
        if form.is_valid():
            actions.join_network(organisation, form.network, by=request.user)
            messages.success(request, f"La structure a rejoint « {form.network.name} ».")
            return redirect("organisations:networks", slug)
    return render(
        request,
        "organisations/networks.html",
        {
            "organisation": organisation,
            "abilities": organisation.abilities,
            "networks": organisation.networks.all(),
            "form": form,
        },
    )


@require_POST
def network_leave(request, slug, network_slug):
    organisation = get_org_for_user(request, slug, ability="manage_networks")
    network = organisation.networks.filter(slug=network_slug).first()
    if network is not None:
        actions.leave_network(organisation, network, by=request.user)
        messages.success(request, f"La structure a quitté « {network.name} ».")
    return redirect("organisations:networks", slug)


def events(request, slug):
    organisation = get_org_for_user(request, slug, ability="view_events")
    return render(
        request,
        "organisations/events.html",
        {
            "organisation": organisation,
            "abilities": organisation.abilities,
            "events": organisation.events.select_related("actor")[:200],
        },
    )


@sensitive_post_parameters("password")
def account_delete(request):
    """Lives here rather than in accounts because it must hand over what the user leads."""
    blocking = actions.organisations_blocking_deletion(request.user)
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if not blocking and form.is_valid():
        user = request.user
        logout(request)
        actions.delete_account(user)
        messages.success(request, "Votre compte est supprimé. Merci d'avoir utilisé Repères.")
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form, "blocking": blocking})
