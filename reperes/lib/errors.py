"""French error pages. They render without a database query so they work when things break."""

from datetime import timedelta

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import requires_csrf_token

from reperes.lib.limits import in_duration


def _error(request, status, title, message):
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "message": message},
        status=status,
    )


def bad_request(request, exception=None):
    return _error(
        request,
        400,
        "Requête invalide",
        "Le navigateur a envoyé une demande que nous ne comprenons pas. "
        "Revenez à la page précédente et réessayez.",
    )


def permission_denied(request, exception=None):
    return _error(
        request,
        403,
        "Accès refusé",
        "Votre compte ne permet pas cette action. Si vous pensez que c'est une erreur, "
        "demandez à la personne référente de votre structure.",
    )


def page_not_found(request, exception=None):
    return _error(
        request,
        404,
        "Page introuvable",
        "Cette adresse ne correspond à aucune page, ou vous n'y avez pas accès. "
        "Vérifiez le lien, ou repartez de l'accueil.",
    )


@requires_csrf_token
def server_error(request):
    return _error(
        request,
        500,
        "Erreur du serveur",
        "Quelque chose s'est mal passé de notre côté. Ce que vous aviez enregistré avant "
        "est conservé. Réessayez dans quelques minutes.",
    )


def csrf_failure(request, reason=""):
    return _error(
        request,
        403,
        "Formulaire expiré",
        "Ce formulaire a expiré ou a été ouvert dans un autre onglet. Revenez en arrière, "
        "rechargez la page, puis envoyez-le à nouveau.",
    )


def too_many_requests(request, throttled):
    """429 for a `reperes.lib.limits.Throttled`: says when to try again, in words and in the
    Retry-After header."""
    retry_at = timezone.localtime() + timedelta(seconds=throttled.retry_after)
    response = _error(
        request,
        429,
        "Trop de tentatives",
        f"Réessayez {in_duration(throttled.retry_after)}, vers {retry_at:%H} h {retry_at:%M}. Pour "
        "protéger les comptes et les adresses e-mail, Repères limite le nombre de demandes venant "
        "d'une même personne.",
    )
    response["Retry-After"] = str(throttled.retry_after)
    return response
