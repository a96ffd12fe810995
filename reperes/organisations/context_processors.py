from reperes.organisations.access import networks_for, organisations_for


def navigation(request):
    """The organisations and networks of the signed-in user, for the header's switcher."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_organisations": [], "my_networks": []}
    return {
        "my_organisations": organisations_for(user),
        "my_networks": networks_for(user),
    }
