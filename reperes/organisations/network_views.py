from collections import Counter

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from reperes.lib.actions import ActionRefused
from reperes.lib.limits import MailQuotaExceeded
from reperes.organisations import actions, reference
from reperes.organisations.access import get_network_for_user
from reperes.organisations.forms import NetworkInviteForm


def network_home(request, slug):
    network = get_network_for_user(request, slug)
    organisations = network.organisations.all()
    by_region = Counter(organisation.region for organisation in organisations)
    context = {
        "network": network,
        "abilities": network.abilities,
        "organisation_count": len(organisations),
        "regions": sorted(
            ((reference.label("regions", code), count) for code, count in by_region.items()),
            key=lambda pair: (-pair[1], pair[0]),
        ),
        "organisations": organisations if network.abilities["see_organisation_list"] else [],
        "staff": network.memberships.select_related("user").order_by("role", "user__name"),
    }
    return render(request, "networks/home.html", context)


def network_staff(request, slug):
    network = get_network_for_user(request, slug, ability="manage_staff")
    form = NetworkInviteForm(request.POST or None)
    if form.is_valid():
        try:
            invitation = actions.invite_to_network(network, by=request.user, **form.cleaned_data)
        except MailQuotaExceeded as exceeded:
            form.add_error(None, exceeded.message)
        else:
            messages.success(request, f"Invitation envoyée à {invitation.email}.")
            return redirect("networks:staff", slug)
    return render(
        request,
        "networks/staff.html",
        {
            "network": network,
            "abilities": network.abilities,
            "staff": network.memberships.select_related("user").order_by("role", "user__name"),
            "invitations": network.invitations.pending(),
            "form": form,
        },
    )


@require_POST
def network_staff_remove(request, slug, membership_id):
    network = get_network_for_user(request, slug, ability="manage_staff")
    network_membership = network.memberships.filter(pk=membership_id).select_related("user").first()
    if network_membership is None:
        raise Http404("Membre introuvable")
    try:
        actions.remove_network_member(network_membership, by=request.user)
    except ActionRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"{network_membership.user} ne fait plus partie de l'équipe.")
    return redirect("networks:staff", slug)
