import html

from django.conf import settings


def page_text(response):
    """The response body with HTML entities decoded, for assertions on French text."""
    return html.unescape(response.content.decode())


def force_login_verified(client, user):
    """Log `user` in as after the code step: a confirmed authenticator app, and a session
    verified with it. Network roles and the instance administration need this."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Téléphone de test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    # A session kept in a signed cookie (tests/test_url_walk.py) changes its key when saved.
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client
