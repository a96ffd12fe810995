"""The life of a network survey: preparing, targeting, opening (with its mails), answering once
per organisation (the last answer kept until closing), postponing, reminding, closing, and the
daily job."""

from datetime import timedelta

import pytest
from django.core import mail

from reperes.lib.actions import ActionRefused
from reperes.organisations.models import Event
from reperes.surveys import actions, jobs
from reperes.surveys.models import Recipient, Survey
from tests.accounts.factories import UserFactory
from tests.observatory.helpers import member
from tests.organisations.factories import MembershipFactory
from tests.surveys.conftest import TODAY, all_answers, answer, make_survey

pytestmark = pytest.mark.django_db


def test_a_draft_survey_asks_nobody_until_it_opens(
    network, hugo, members, django_capture_on_commit_callbacks
):
    survey = make_survey(network, hugo, open_=False, opens_on=TODAY + timedelta(days=3))
    assert survey.state == Survey.State.DRAFT
    assert not survey.recipients.exists()
    actions.schedule_survey(survey, by=hugo, today=TODAY)
    survey.refresh_from_db()
    assert survey.state == Survey.State.SCHEDULED
    assert not survey.recipients.exists()
    # The daily job opens it on its day, not before.
    assert actions.open_due(TODAY + timedelta(days=2)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.open_due(TODAY + timedelta(days=3)) == 1
    survey.refresh_from_db()
    assert survey.is_open and survey.opened_on == TODAY + timedelta(days=3)
    assert survey.recipients.count() == 14  # org_a, org_b and the twelve members


def test_opening_mails_each_targeted_organisation_s_pilots_once(
    network, hugo, alice, bob, carol, dave, members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        make_survey(network, hugo)
    recipients = sorted(message.to[0] for message in mail.outbox)
    # Pilots only (Alice, lead, and Carol, staff representative, of A; Dave of B): not Bob.
    assert recipients == ["alice@example.org", "carol@example.org", "dave@example.org"]
    assert "Vos pratiques de QVT" in mail.outbox[0].body
    assert "confidentielle" in mail.outbox[0].body


def test_targeting_by_region_sector_and_size(network, hugo, members, org_a):
    survey = make_survey(network, hugo, regions=["53"], size_bands=["11-19"])
    assert survey.recipients.count() == 8
    assert set(survey.recipients.values_list("region", flat=True)) == {"53"}
    survey = make_survey(network, hugo, size_bands=["50-99"], title="Grandes")
    assert survey.recipients.count() == 4
    survey = make_survey(network, hugo, sectors=["sport"], title="Sport", open_=False)
    with pytest.raises(ActionRefused, match="Aucune structure"):
        actions.schedule_survey(survey, by=hugo, today=TODAY)


def test_segments_are_those_of_the_opening_day(network, hugo, members):
    survey = make_survey(network, hugo)
    moved = members[0]
    moved.region = "11"
    moved.save()
    assert Recipient.objects.get(survey=survey, organisation=moved).region == "53"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": "  "}, "titre"),
        ({"title": "x" * 201}, "200 caractères"),
        ({"introduction": "x" * 2001}, "2000 caractères"),
        ({"closes_on": TODAY - timedelta(days=1)}, "après l'ouverture"),
        ({"opens_on": TODAY - timedelta(days=1)}, "passée"),
        ({"closes_on": TODAY + timedelta(days=400)}, "un an"),
        ({"regions": ["99"]}, "régions choisies"),
        ({"size_bands": ["1000+"]}, "tailles"),
        ({"questionnaire_version": None}, "questionnaire"),
    ],
)
def test_bad_survey_fields_are_refused_in_french(network, hugo, version, fields, message):
    with pytest.raises(ActionRefused, match=message):
        make_survey(network, hugo, open_=False, **fields)
    assert not Survey.objects.exists()


def test_a_team_questionnaire_cannot_be_sent_as_a_survey(network, hugo, version):
    from tests.campaigns.factories import questionnaire_version

    with pytest.raises(ActionRefused, match="questionnaire d'enquête"):
        make_survey(network, hugo, questionnaire_version=questionnaire_version("qvt-numerique"))


def test_one_answer_per_organisation_the_last_one_kept_until_closing(network, hugo, alice, org_a, members):
    survey = make_survey(network, hugo)
    answer(survey, org_a, "oui", by=alice)
    answer(survey, org_a, "non", by=alice, today=TODAY + timedelta(days=2))
    recipient = Recipient.objects.get(survey=survey, organisation=org_a)
    assert recipient.has_answered and set(recipient.answers.values()) == {"non"}
    assert recipient.submitted_on == TODAY + timedelta(days=2)
    assert Recipient.objects.filter(survey=survey, organisation=org_a).count() == 1
    verbs = list(Event.objects.filter(organisation=org_a).values_list("description", flat=True))
    assert any("remplacé" in text for text in verbs) and any("envoyé" in text for text in verbs)
    actions.close_survey(survey, by=hugo, today=TODAY + timedelta(days=5))
    with pytest.raises(ActionRefused, match="clôturée"):
        answer(survey, org_a, "oui", by=alice)
    recipient.refresh_from_db()
    assert set(recipient.answers.values()) == {"non"}


def test_sending_needs_every_statement_and_refuses_tampered_values(network, hugo, alice, org_a, members):
    survey = make_survey(network, hugo)
    recipient = Recipient.objects.get(survey=survey, organisation=org_a)
    partial = dict(list(all_answers(survey).items())[:3])
    with pytest.raises(ActionRefused, match="sans réponse"):
        actions.save_answer(recipient, answers=partial, texts={}, quote_consent=False, submit=True, by=alice)
    actions.save_answer(recipient, answers=partial, texts={}, quote_consent=False, submit=False, by=alice)
    recipient.refresh_from_db()
    assert recipient.state == Recipient.State.DRAFT and recipient.answers == partial
    for tampered in (
        {"enquete-entretiens": "peut-etre"},
        {"inconnu": "oui"},
        {"enquete-entretiens": ["oui"]},
    ):
        with pytest.raises(ActionRefused, match="pas valide"):
            actions.save_answer(
                recipient, answers=tampered, texts={}, quote_consent=False, submit=False, by=alice
            )
    with pytest.raises(ActionRefused, match="2000 caractères"):
        actions.save_answer(
            recipient,
            answers={},
            texts={"enquete-bonne-pratique": "x" * 2001},
            quote_consent=False,
            submit=False,
            by=alice,
        )
    with pytest.raises(ActionRefused, match="n'existe pas"):
        actions.save_answer(
            recipient, answers={}, texts={"inconnue": "x"}, quote_consent=False, submit=False, by=alice
        )
    recipient.refresh_from_db()
    assert recipient.answers == partial  # nothing lost


def test_postponing_keeps_the_first_closing_day(network, hugo, members):
    survey = make_survey(network, hugo)
    first = survey.closes_on
    actions.postpone(survey, first + timedelta(days=100), by=hugo, today=TODAY)
    survey.refresh_from_db()
    assert survey.closes_on == first + timedelta(days=100)
    assert survey.first_closes_on == first and survey.was_postponed
    with pytest.raises(ActionRefused, match="aujourd'hui ou plus tard"):
        actions.postpone(survey, TODAY - timedelta(days=1), by=hugo, today=TODAY)
    with pytest.raises(ActionRefused, match="un an"):
        actions.postpone(survey, TODAY + timedelta(days=400), by=hugo, today=TODAY)


def test_reminders_reach_only_those_who_have_not_answered_once_a_week(
    network, hugo, alice, dave, org_a, org_b, django_capture_on_commit_callbacks
):
    survey = make_survey(network, hugo)
    answer(survey, org_a, by=alice)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert actions.remind(survey, by=hugo, today=TODAY + timedelta(days=1)) == 1
    assert [message.to for message in mail.outbox] == [["dave@example.org"]]
    assert "Rappel" in mail.outbox[0].subject
    with pytest.raises(ActionRefused, match="suivante est possible"):
        actions.remind(survey, by=hugo, today=TODAY + timedelta(days=7))
    assert actions.remind(survey, by=hugo, today=TODAY + timedelta(days=8)) == 1
    survey.refresh_from_db()
    assert survey.reminders == 2


def test_the_automatic_reminder_goes_a_week_before_closing(network, hugo, org_a, org_b):
    survey = make_survey(network, hugo)
    assert actions.remind_due(survey.closes_on - timedelta(days=8)) == 0
    assert actions.remind_due(survey.closes_on - timedelta(days=7)) == 1
    assert actions.remind_due(survey.closes_on - timedelta(days=7)) == 0  # not twice


def test_a_network_opens_at_most_four_surveys_in_thirty_days(network, hugo, org_a):
    for n in range(4):
        make_survey(network, hugo, title=f"Enquête {n}")
    survey = make_survey(network, hugo, open_=False, title="Une de trop")
    with pytest.raises(ActionRefused, match="trente derniers jours"):
        actions.schedule_survey(survey, by=hugo, today=TODAY)


def test_closing_erases_drafts_and_delegates_and_keeps_sent_answers(network, hugo, alice, org_a, org_b, dave):
    colleague = MembershipFactory(organisation=org_b, user=UserFactory(email="eve@example.org")).user
    survey = make_survey(network, hugo)
    answer(survey, org_a, by=alice, texts={"enquete-bonne-pratique": "Un café le lundi"}, consent=True)
    draft = Recipient.objects.get(survey=survey, organisation=org_b)
    actions.hand_over(draft, org_b.memberships.get(user=colleague), by=dave)
    actions.save_answer(
        draft,
        answers={"enquete-entretiens": "non"},
        texts={"enquete-attente": "Un brouillon"},
        quote_consent=True,
        submit=False,
        by=colleague,
    )
    actions.close_survey(survey, by=hugo, today=TODAY + timedelta(days=3))
    draft.refresh_from_db()
    assert draft.answers == {} and draft.texts == {} and draft.delegate is None and not draft.quote_consent
    kept = Recipient.objects.get(survey=survey, organisation=org_a)
    assert kept.has_answered and kept.texts == {"enquete-bonne-pratique": "Un café le lundi"}
    survey.refresh_from_db()
    assert survey.closes_on == TODAY + timedelta(days=3)  # closed early: the day it closed


def test_handing_over_only_to_a_member_of_the_organisation(network, hugo, alice, bob, dave, org_a):
    survey = make_survey(network, hugo)
    recipient = Recipient.objects.get(survey=survey, organisation=org_a)
    with pytest.raises(ActionRefused, match="équipe de la structure"):
        actions.hand_over(recipient, dave.memberships.get(), by=alice)
    with pytest.raises(ActionRefused, match="pilote déjà"):
        actions.hand_over(recipient, alice.memberships.get(), by=alice)
    actions.hand_over(recipient, bob.memberships.get(), by=alice)
    recipient.refresh_from_db()
    assert recipient.delegate == bob


def test_the_daily_job_opens_adds_newcomers_reminds_closes_and_purges(network, hugo, org_a):
    survey = make_survey(network, hugo)
    newcomer = member(network, region="53")
    summary = jobs.daily(TODAY + timedelta(days=1))
    assert "1 structure(s) ajoutée(s)" in summary
    assert survey.recipients.filter(organisation=newcomer).exists()
    jobs.daily(survey.closes_on + timedelta(days=1))
    survey.refresh_from_db()
    assert survey.is_closed
    assert jobs.daily(survey.closes_on + timedelta(days=365 * 5)).count("supprimée") == 1
    assert Survey.objects.filter(pk=survey.pk).exists()
    jobs.daily(survey.closes_on + timedelta(days=365 * 5 + 3))
    assert not Survey.objects.filter(pk=survey.pk).exists()
