"""Sending email from templates, after the surrounding transaction commits."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string


def send_templated_mail(to, template, context):
    """Render templates/<template>.txt (first line: the subject) and send it on commit."""
    context = {"site_url": settings.SITE_URL, **context}
    subject, _, body = render_to_string(f"{template}.txt", context).strip().partition("\n")

    def _send():
        send_mail(subject.strip(), body.strip() + "\n", None, [to])

    transaction.on_commit(_send)
