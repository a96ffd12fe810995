"""French error pages. They render without a database query so they work when things break."""

import sqlite3
import sys
from datetime import timedelta

import psycopg
from django.db import DatabaseError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.csrf import requires_csrf_token

from reperes.lib.limits import in_duration

# Django's database errors, and the drivers' own when raised outside a cursor (a connection
# refused while PostgreSQL restarts).
DATABASE_ERRORS = (DatabaseError, sqlite3.DatabaseError, psycopg.Error)


def _error(request, status, title, message):
    """The standalone error page, rendered without the request: the context processors read the
    session and the user, that is the database, which may be what failed."""
    return HttpResponse(
        render_to_string("errors/error.html", {"status": status, "title": title, "message": message}),
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


def _database_failure():
    """The database error being handled, if the page fails because of the database: None for
    any other failure. Django calls handler500 inside its `except` block."""
    exception = sys.exc_info()[1]
    while exception is not None:
        if isinstance(exception, DATABASE_ERRORS):
            return exception
        exception = exception.__cause__ or exception.__context__
    return None


def is_disk_full(exception):
    """SQLite's « database or disk is full », PostgreSQL's « No space left on device » (53100)."""
    text = str(exception).lower()
    return "disk is full" in text or "no space left" in text or getattr(exception, "sqlstate", "") == "53100"


@requires_csrf_token
def server_error(request):
    """500, or 503 with a « try again » when the database is out of reach (restarting, full):
    what was saved before stays saved, and what this page sent is not half written, since every
    write runs in a transaction."""
    if (failure := _database_failure()) is not None:
        again = (
            "revenez à la page précédente (bouton Retour du navigateur\u00a0: vos choix y sont encore) "
            "et envoyez-la de nouveau."
        )
        if is_disk_full(failure):
            message = (
                "Le serveur manque de place pour enregistrer. Ce que vous aviez enregistré avant est "
                f"conservé\u00a0; ce que vous venez d'envoyer ne l'a pas été. Un peu plus tard, {again}"
            )
        else:
            message = (
                "La base de données ne répond pas pour le moment. Ce que vous aviez enregistré avant "
                "est conservé\u00a0; ce que vous venez d'envoyer ne l'a peut-être pas été. "
                f"Dans une minute, {again}"
            )
        response = _error(request, 503, "Service momentanément indisponible", message)
        response["Retry-After"] = "60"
        return response
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
