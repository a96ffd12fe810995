"""Accepting invitations sent by email. These pages open without an account."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.debug import sensitive_post_parameters

from reperes.accounts.models import User
from reperes.lib.actions import ActionRefused
from reperes.lib.signing import LinkExpired, LinkInvalid, read_link_token
from reperes.organisations import actions
from reperes.organisations.access import organisations_for
from reperes.organisations.forms import ChooseOrganisationForm, NewAccountForm
from reperes.organisations.models import Invitation, NetworkInvitation, Role

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def _mask(email):
    local, _, domain = email.partition("@")
    return f"{local[:1]}…@{domain}"


def _problem(request, problem, invitation=None, status=400):
    """One page for every way an invitation link can fail; nothing is changed."""
    return render(
        request,
        "invitations/problem.html",
        {
            "problem": problem,
            "invitation": invitation,
            "masked_email": _mask(invitation.email) if invitation else "",
        },
        status=status,
    )


def _refused(request, invitation, refusal):
    """Another request used the invitation first (a double click, two tabs), or an account was
    created with its address meanwhile: say what happened, from the invitation as it is now."""
    invitation.refresh_from_db()
    if invitation.state != "pending":
        return _problem(request, invitation.state, invitation, status=409)
    messages.error(request, str(refusal))
    return redirect(request.get_full_path())


def _resolve(request, token, model, salt):
    """The invitation behind `token`, or the problem page to show instead."""
    try:
        invitation_id = read_link_token(
            token, salt=salt, max_age=settings.INVITATION_MAX_AGE_DAYS * 24 * 3600
        )
    except LinkExpired:
        return None, _problem(request, "expired", status=410)
    except LinkInvalid:
        return None, _problem(request, "invalid")
    invitation = model.objects.filter(pk=invitation_id).first()
    if invitation is None:
        return None, _problem(request, "invalid")
    state = invitation.state
    if state != "pending":
        return None, _problem(request, state, invitation, status=410)
    if request.user.is_authenticated and request.user.email != invitation.email:
        return None, _problem(request, "other_email", invitation, status=403)
    return invitation, None


@login_not_required
@sensitive_post_parameters("password")
def accept(request, token):
    invitation, problem = _resolve(request, token, Invitation, actions.INVITATION_SALT)
    if problem:
        return problem
    organisation = invitation.organisation
    context = {"invitation": invitation, "organisation": organisation}

    if request.user.is_authenticated:
        if organisation.memberships.filter(user=request.user).exists():
            return _problem(request, "already_member", invitation, status=409)
        if request.method == "POST":
            try:
                membership = actions.accept_invitation(invitation, user=request.user)
            except ActionRefused as refusal:
                if organisation.memberships.filter(user=request.user).exists():
                    return redirect(organisation)  # the first of two clicks let them in
                return _refused(request, invitation, refusal)
            return _accepted(request, membership)
        return render(request, "invitations/accept.html", context)

    if User.objects.filter(email__iexact=invitation.email).exists():
        login_url = reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()})
        return render(request, "invitations/accept.html", {**context, "login_url": login_url})

    form = NewAccountForm(request.POST or None, email=invitation.email)
    if form.is_valid():
        try:
            membership = actions.create_account_and_accept(invitation, **form.cleaned_data)
        except ActionRefused as refusal:
            return _refused(request, invitation, refusal)
        login(request, membership.user, backend=MODEL_BACKEND)
        return _accepted(request, membership)
    return render(request, "invitations/accept.html", {**context, "form": form})


def _accepted(request, membership):
    messages.success(
        request,
        f"Bienvenue dans « {membership.organisation.name} » ({membership.get_role_display().lower()}).",
    )
    return redirect(membership.organisation)


@login_not_required
@sensitive_post_parameters("password")
def accept_network(request, token):
    invitation, problem = _resolve(request, token, NetworkInvitation, actions.NETWORK_INVITATION_SALT)
    if problem:
        return problem
    network = invitation.network
    context = {"invitation": invitation, "network": network}
    joins_as_organisation = invitation.role == NetworkInvitation.ORGANISATION

    if not request.user.is_authenticated:
        if joins_as_organisation or User.objects.filter(email__iexact=invitation.email).exists():
            login_url = reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()})
            return render(request, "invitations/accept_network.html", {**context, "login_url": login_url})
        form = NewAccountForm(request.POST or None, email=invitation.email)
        if form.is_valid():
            try:
                user = actions.create_account_and_accept_network(invitation, **form.cleaned_data)
            except ActionRefused as refusal:
                return _refused(request, invitation, refusal)
            login(request, user, backend=MODEL_BACKEND)
            messages.success(request, f"Bienvenue dans l'équipe de « {network.name} ».")
            return redirect(network)
        return render(request, "invitations/accept_network.html", {**context, "form": form})

    if joins_as_organisation:
        led = (
            organisations_for(request.user)
            .filter(memberships__user=request.user, memberships__role=Role.LEAD)
            .exclude(affiliations__network=network)
        )
        if not led.exists():
            return _problem(request, "no_organisation", invitation, status=409)
        form = ChooseOrganisationForm(request.POST or None, organisations=led)
        if form.is_valid():
            organisation = form.cleaned_data["organisation"]
            try:
                actions.accept_network_invitation(invitation, user=request.user, organisation=organisation)
            except ActionRefused as refusal:
                return _refused(request, invitation, refusal)
            messages.success(request, f"« {organisation.name} » a rejoint « {network.name} ».")
            return redirect("organisations:networks", organisation.slug)
        return render(request, "invitations/accept_network.html", {**context, "form": form})

    if request.method == "POST":
        try:
            actions.accept_network_invitation(invitation, user=request.user)
        except ActionRefused as refusal:
            if network.memberships.filter(user=request.user).exists():
                return redirect(network)  # the first of two clicks let them in
            return _refused(request, invitation, refusal)
        messages.success(request, f"Bienvenue dans l'équipe de « {network.name} ».")
        return redirect(network)
    return render(request, "invitations/accept_network.html", context)
