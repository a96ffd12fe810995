"""What every app's actions share."""

from django.core.exceptions import ValidationError


class ActionRefused(Exception):
    """A rule forbids the change; the message says why, in French, for the user. Views catch it
    and show the message; nothing has been written."""


# A network prepares a few drafts at a time (questionnaires, fiches, programme templates): past
# this many of one kind waiting, it publishes or deletes some before starting another, so that
# nobody fills the database with drafts.
PENDING_DRAFTS_LIMIT = 50


def refuse_when_drafts_pile_up(pending):
    """ActionRefused when `pending`, a network's drafts of one kind not yet published, is full."""
    if pending.count() >= PENDING_DRAFTS_LIMIT:
        raise ActionRefused(
            f"Le réseau a déjà {PENDING_DRAFTS_LIMIT} brouillons en cours de ce type : publiez-en ou "
            "supprimez-en avant d'en commencer un autre."
        )


def check_or_refuse(instance, *, exclude=()):
    """`instance.full_clean()`, its messages turned into one ActionRefused naming each field by
    its verbose name, for an action that checks what it writes as the form did."""
    try:
        instance.full_clean(exclude=list(exclude))
    except ValidationError as error:
        problems = []
        for name, messages in error.message_dict.items():
            label = instance._meta.get_field(name).verbose_name if name != "__all__" else ""
            problems += [f"{label} : {message}" if label else message for message in messages]
        raise ActionRefused(" ".join(problems)) from error


def code_list_errors(instance, allowed):
    """{field: French message} for the JSON list fields of `instance` named in `allowed`
    ({field: set of codes}) that are not a list of distinct known codes; for a model's clean."""
    errors = {}
    for field, codes in allowed.items():
        value = getattr(instance, field)
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            errors[field] = "Une liste de codes est attendue."
        elif unknown := [code for code in value if code not in codes]:
            errors[field] = f"Valeur inconnue : {', '.join(unknown[:3])}."
        elif len(set(value)) != len(value):
            errors[field] = "Une valeur est choisie deux fois."
    return errors
