"""Sending email from templates, after the surrounding transaction commits."""

import re
import unicodedata

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

SUBJECT_MAX_LENGTH = 150


def single_line(text):
    """`text` without control characters or line breaks, its spaces collapsed.

    For every name or title typed by a user that may end up in a mail subject (an organisation,
    a network, a person, a campaign, a discussion): a carriage return there makes the mail
    header invalid, and the send fails after the change it announces was saved.
    """
    kept = []
    for char in str(text):
        category = unicodedata.category(char)
        if category in {"Cc", "Zl", "Zp"}:  # controls (CR, LF, tab…) and line separators
            kept.append(" ")
        elif category != "Cf":  # invisible format characters, such as bidi overrides, go
            kept.append(char)
    return re.sub(r"\s+", " ", "".join(kept)).strip()


def send_templated_mail(to, template, context):
    """Render templates/<template>.txt (first line: the subject) and send it on commit."""
    context = {"site_url": settings.SITE_URL, **context}
    subject, _, body = render_to_string(f"{template}.txt", context).strip().partition("\n")
    # Names in the subject were cleaned by their forms; this holds for data that was not.
    subject = single_line(subject)
    if len(subject) > SUBJECT_MAX_LENGTH:
        subject = subject[: SUBJECT_MAX_LENGTH - 1].rstrip() + "…"

    def _send():
        send_mail(subject, body.strip() + "\n", None, [to])

    transaction.on_commit(_send)
