"""Point 6 of issue 9: error reports and logs carry nothing that identifies a respondent.

The attack: a 500 on an answer page used to email the admins the respondent's address, browser
and draft cookie, beside the campaign's link and the time; request logs kept the invitation
token of whoever opened their link.
"""

import io
import logging
import uuid
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reperes.campaigns.actions import start_draft
from reperes.lib.logging import (
    MASK,
    AdminEmailHandler,
    ExceptionReporter,
    ExceptionReporterFilter,
    MaskSecrets,
    is_secret_path,
    mask_path,
    mask_text,
)
from tests.campaigns.factories import CampaignFactory

IP = "203.0.113.77"
FORWARDED = "198.51.100.23"
AGENT = "Mozilla/5.0 (Linux; Android 14; TelephoneDeCamille) Chrome/131"
DRAFT = "jeton-de-brouillon-tres-secret-42"


# Masking paths


@pytest.mark.parametrize(
    ("path", "masked"),
    [
        ("/d/PARTAGE42/", f"/d/{MASK}/"),
        ("/d/PARTAGE42/theme/3/", f"/d/{MASK}/theme/3/"),
        ("/d/PARTAGE42/reprendre/BROUILLON/", f"/d/{MASK}/reprendre/{MASK}/"),
        ("/d/PARTAGE42/invitation/INVITATION/", f"/d/{MASK}/invitation/{MASK}/"),
        ("/i/INVITATION/", f"/i/{MASK}/"),
        ("/resultats/LIEN/temps/", f"/resultats/{MASK}/temps/"),
        ("/invitations/SIGNE:abc/", f"/invitations/{MASK}/"),
        ("/invitations/reseau/SIGNE:abc/", f"/invitations/reseau/{MASK}/"),
        ("/compte/verification/SIGNE:abc/", f"/compte/verification/{MASK}/"),
        ("/compte/mot-de-passe/nouveau/MQ/abc-123/", f"/compte/mot-de-passe/nouveau/{MASK}/{MASK}/"),
        ("/i/INVITATION/?utm=courriel", f"/i/{MASK}/?{MASK}"),
        (
            "/compte/connexion/?next=%2Finvitations%2FSIGNE%2F",
            f"/compte/connexion/?next=/invitations/{MASK}/",
        ),
    ],
)
def test_secrets_in_paths_are_masked(path, masked):
    assert mask_path(path) == masked
    assert is_secret_path(path) == (not path.startswith("/compte/connexion/"))


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/compte/verification/renvoyer/",
        "/compte/mot-de-passe/nouveau/termine/",
        "/s/jardins/diagnostics/6f1c0b1e-0000-4000-8000-000000000000/resultats/",
        "/s/jardins/invitations/6f1c0b1e-0000-4000-8000-000000000000/annuler/",
        "/fiches/droit-a-la-deconnexion/",
        "/confidentialite/",
    ],
)
def test_other_paths_are_left_alone(path):
    assert mask_path(path) == path
    assert not is_secret_path(path)


def test_paths_are_masked_inside_log_lines_and_urls():
    assert mask_text('"GET /i/ABC/ HTTP/1.1" 200 512') == f'"GET /i/{MASK}/ HTTP/1.1" 200 512'
    assert mask_text("Not Found: /d/XYZ/envoi/") == f"Not Found: /d/{MASK}/envoi/"
    assert mask_text("https://reperes.example.org/i/ABC/") == f"https://reperes.example.org/i/{MASK}/"
    assert mask_text("a/i/ABC/ and 1/2") == "a/i/ABC/ and 1/2"  # not a path of its own


SECRET_PARAMETERS = {"token", "share_id", "uidb64"}
# Public pages whose parameters are no secret: a fiche's slug, a theme's id, a step number.
# resource_id: a news item the network made public, read by anyone (resources:public_news).
PUBLIC_PARAMETERS = {"slug", "theme_id", "number", "resource_id"}


def public_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from public_patterns(entry, inner)
        elif (
            isinstance(entry, URLPattern)
            and entry.name
            and not getattr(entry.callback, "login_required", True)
        ):
            yield f"{namespace}{entry.name}", entry.pattern.converters


def sample(param, converter):
    name = type(converter).__name__
    if name == "IntConverter":
        return 7
    if name == "UUIDConverter":
        return uuid.UUID("6f1c0b1e-0000-4000-8000-000000000000")
    return "Secret42value" if param in SECRET_PARAMETERS else "public"


def test_every_public_page_with_a_secret_in_its_path_is_masked():
    """A new public URL with a parameter must be classified: a secret (then SECRET_PATHS masks
    it) or not (then it goes in PUBLIC_PARAMETERS)."""
    seen = set()
    for name, converters in public_patterns():
        unknown = set(converters) - SECRET_PARAMETERS - PUBLIC_PARAMETERS
        assert not unknown, f"{name}: is {unknown} a secret? Classify it in this test and SECRET_PATHS"
        kwargs = {param: sample(param, converter) for param, converter in converters.items()}
        path = reverse(name, kwargs=kwargs)
        if SECRET_PARAMETERS & set(converters):
            assert "Secret42value" not in mask_path(path), name
            assert is_secret_path(path), name
            seen.add(name)
    assert {
        "answer:intro",
        "answer:resume",
        "answer:invitation",
        "results:shared",
        "invitations:accept",
        "programmes:feed",
    } <= seen


# Error reports


@pytest.fixture
def reporting(settings):
    settings.ADMINS = ["technique@example.org"]
    settings.DEBUG = False
    mail.outbox.clear()
    return Client(
        raise_request_exception=False,
        REMOTE_ADDR=IP,
        HTTP_X_FORWARDED_FOR=FORWARDED,
        HTTP_USER_AGENT=AGENT,
    )


def crash(*args, **kwargs):
    raise RuntimeError("échec")


def crash_quoting(secret):
    """A failure whose message quotes a secret of the request, as a KeyError on a token would."""

    def crash(*args, **kwargs):
        raise RuntimeError(f"échec en lisant {secret}")

    return crash


def the_report():
    assert len(mail.outbox) == 1, "the 500 should be reported to ADMINS"
    message = mail.outbox[0]
    return "\n".join([message.subject, message.body, *(content for content, _ in message.alternatives)])


def assert_nothing_identifying(report, *secrets):
    for value in (IP, FORWARDED, AGENT, "TelephoneDeCamille", DRAFT, *secrets):
        assert value not in report, value


@pytest.mark.django_db
def test_500_on_an_answer_page_reports_nothing_identifying(reporting, org_a):
    campaign = CampaignFactory(organisation=org_a)
    _, draft_token = start_draft(campaign)
    reporting.cookies["brouillon"] = draft_token
    with mock.patch("reperes.campaigns.actions.save_answers", side_effect=crash_quoting(draft_token)):
        response = reporting.post(
            reverse("answer:theme", args=[campaign.share_id, 1]), {"remarque": "ma-reponse-secrete"}
        )
    assert response.status_code == 500
    report = the_report()
    assert_nothing_identifying(report, campaign.share_id, draft_token, "ma-reponse-secrete")
    assert f"/d/{MASK}/theme/1/" in report  # the admins still learn which page failed
    assert "RuntimeError" in report


@pytest.mark.django_db
def test_500_on_an_invitation_link_reports_no_token(reporting):
    token = "jeton-invitation-de-camille"
    with mock.patch("reperes.campaigns.answer_views.render", side_effect=crash_quoting(token)):
        response = reporting.get(reverse("answer:invitation", args=[token]) + "?utm=courriel")
    assert response.status_code == 500
    report = the_report()
    assert_nothing_identifying(report, token, "courriel")
    assert f"ERROR (EXTERNAL IP): Internal Server Error: /i/{MASK}/" in mail.outbox[0].subject


@pytest.mark.django_db
def test_500_on_a_signed_in_page_keeps_the_usual_report_but_masks_paths(reporting, alice, org_a):
    reporting.force_login(alice)
    with mock.patch("reperes.organisations.views.render", side_effect=crash):
        response = reporting.get(
            reverse("organisations:members", args=[org_a.slug]), HTTP_REFERER="https://x.org/i/JETON-REFERE/"
        )
    assert response.status_code == 500
    report = the_report()
    assert "JETON-REFERE" not in report
    assert "USER: Alice" in report  # who met the error, on a page that is not anonymous
    assert "sessionid = '********************'" in report


def test_report_filter_drops_identifying_meta_on_secret_pages(rf):
    request = rf.post(
        "/d/PARTAGE/envoi/?a=b",
        {"x": "y"},
        REMOTE_ADDR=IP,
        HTTP_USER_AGENT=AGENT,
        HTTP_X_FORWARDED_FOR=FORWARDED,
    )
    request.COOKIES["brouillon"] = DRAFT
    report_filter = ExceptionReporterFilter()
    meta = report_filter.get_safe_request_meta(request)
    assert {
        "REMOTE_ADDR",
        "HTTP_USER_AGENT",
        "HTTP_X_FORWARDED_FOR",
        "HTTP_COOKIE",
        "QUERY_STRING",
    }.isdisjoint(meta)
    assert meta["PATH_INFO"] == f"/d/{MASK}/envoi/"
    assert report_filter.get_safe_cookies(request) == {}
    assert report_filter.get_post_parameters(request) == {"x": report_filter.cleansed_substitute}


def test_report_filter_keeps_meta_elsewhere(rf):
    request = rf.get("/fiches/", REMOTE_ADDR=IP)
    assert ExceptionReporterFilter().get_safe_request_meta(request)["REMOTE_ADDR"] == IP


def test_reporter_hides_local_variables_on_secret_pages(rf):
    request = rf.get("/i/JETON-LOCAL/", REMOTE_ADDR=IP)

    def view(token):
        secret_local = f"valeur-{token}"  # noqa: F841 — read by the report
        raise RuntimeError("boom")

    try:
        view("JETON-LOCAL")
    except RuntimeError as error:
        exc_info = (type(error), error, error.__traceback__)
    html = ExceptionReporter(request, *exc_info, is_email=True).get_traceback_html()
    assert "JETON-LOCAL" not in html
    assert "secret_local" in html  # names stay, values go


def test_settings_use_our_filter_reporter_and_handler(settings):
    assert settings.DEFAULT_EXCEPTION_REPORTER_FILTER == "reperes.lib.logging.ExceptionReporterFilter"
    assert settings.DEFAULT_EXCEPTION_REPORTER == "reperes.lib.logging.ExceptionReporter"
    # Ours, not pytest's log-capturing handlers.
    handlers = [
        h for h in logging.getLogger("django").handlers if not type(h).__module__.startswith("_pytest")
    ]
    assert {type(handler) for handler in handlers} == {logging.StreamHandler, AdminEmailHandler}
    for handler in handlers:
        assert any(isinstance(f, MaskSecrets) for f in handler.filters), handler


# Log records


@pytest.fixture
def console():
    """What the configured console handler (the systemd journal in production) writes."""
    [handler] = [h for h in logging.getLogger("django").handlers if type(h) is logging.StreamHandler]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.django_db
def test_request_log_masks_tokens(console, org_a):
    campaign = CampaignFactory(organisation=org_a)
    client = Client(raise_request_exception=False, REMOTE_ADDR=IP, HTTP_USER_AGENT=AGENT)
    client.get(f"/i/jeton-perdu-{campaign.share_id}/")  # a 404 is logged as a warning
    client.get(f"/d/{campaign.share_id}/theme/99/")
    with mock.patch("reperes.campaigns.answer_views.render", side_effect=crash_quoting(campaign.share_id)):
        client.get(reverse("answer:intro", args=[campaign.share_id]))
    output = console.getvalue()
    assert f"/d/{MASK}/" in output
    assert f"RuntimeError: échec en lisant {MASK}" in output
    for value in (campaign.share_id, IP, AGENT):
        assert value not in output


def test_development_server_lines_are_masked(console):
    record = logging.LogRecord(
        "django.server",
        logging.INFO,
        __file__,
        1,
        '"%s" %s %s',
        ("GET /i/JETON-SERVEUR/ HTTP/1.1", 200, 1234),
        None,
    )
    logging.getLogger("django.server").handle(record)
    assert "JETON-SERVEUR" not in console.getvalue()
    assert f'"GET /i/{MASK}/ HTTP/1.1" 200 1234' in console.getvalue()


def test_filter_never_drops_a_record():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s %s", ("only one",), None)
    assert MaskSecrets().filter(record)
