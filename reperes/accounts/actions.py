"""State changes of accounts."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse

from reperes.accounts.models import User
from reperes.lib.mail import send_templated_mail
from reperes.lib.signing import make_link_token, read_link_token

VERIFY_SALT = "reperes.accounts.verify-email"


@transaction.atomic
def sign_up(*, email, name, password):
    user = User.objects.create_user(email=email, name=name, password=password)
    send_verification_email(user)
    return user


def send_verification_email(user):
    token = make_link_token({"u": user.pk, "e": user.email}, salt=VERIFY_SALT)
    send_templated_mail(
        user.email,
        "accounts/email/verify",
        {"user": user, "url": settings.SITE_URL + reverse("accounts:verify", args=[token])},
    )


def user_from_verification_token(token):
    """The user a verification link was made for. Raises LinkExpired or LinkInvalid."""
    data = read_link_token(token, salt=VERIFY_SALT, max_age=settings.EMAIL_VERIFICATION_MAX_AGE)
    # A link made before an email change does not verify the new address.
    return User.objects.filter(pk=data["u"], email=data["e"], is_active=True).first()


def verify_email(user):
    if not user.email_verified:
        user.email_verified = True
        user.save(update_fields=["email_verified"])
