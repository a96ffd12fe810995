from django.utils.functional import SimpleLazyObject

from reperes.organisations.access import networks_for, organisations_for


def navigation(request):
    """The organisations and networks of the signed-in user, for the header's switcher.

    Lazy: building the two queries costs about as much as the rest of a small page, and the
    answering pages (their own header) never show the switcher. A page that shows it runs each
    query once, with the few columns the menu needs."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_organisations": [], "my_networks": []}
    return {
        "my_organisations": SimpleLazyObject(lambda: list(organisations_for(user).only("name", "slug"))),
        "my_networks": SimpleLazyObject(lambda: list(networks_for(user).only("name", "slug"))),
    }
