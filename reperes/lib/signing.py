"""Signed, expiring tokens for links sent by email (verification, invitations)."""

from django.core import signing


class LinkExpired(Exception):
    """The link was genuine but is too old."""


class LinkInvalid(Exception):
    """The link was altered, truncated or made up."""


def make_link_token(value, *, salt):
    return signing.dumps(value, salt=salt, compress=True)


def read_link_token(token, *, salt, max_age):
    try:
        return signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise LinkExpired from exc
    except signing.BadSignature as exc:
        raise LinkInvalid from exc
