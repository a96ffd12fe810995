"""The life of a request: every allowed step, every refused one, the shares that follow the
person in charge, and the timeline."""

import pytest
from django.utils import timezone

from reperes.lib.actions import ActionRefused
from reperes.organisations.models import Event
from reperes.requests import actions
from reperes.requests.models import Entry, Request
from reperes.sharing.models import ResultShare

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def meeting(help_request, by, **extra):
    return actions.log_entry(
        help_request,
        kind=Entry.Kind.MEETING,
        happened_on=TODAY(),
        format=Entry.Format.VIDEO,
        summary="Premier rendez-vous : inventaire des activités à faire en équipe.",
        visibility=Entry.Visibility.SHARED,
        by=by,
        **extra,
    )


def test_the_whole_life_of_a_request(help_request, fiona, alice, readiness):
    assert help_request.state == Request.State.NEW
    assert not ResultShare.objects.exists()  # nothing shared before someone takes it

    actions.take_request(help_request, by=fiona)
    help_request.refresh_from_db()
    assert (help_request.state, help_request.facilitator) == (Request.State.TAKEN, fiona)
    share = ResultShare.objects.get()
    assert (share.campaign, share.facilitator, share.cohort) == (readiness, fiona, None)

    meeting(help_request, fiona)
    help_request.refresh_from_db()
    assert help_request.state == Request.State.IN_PROGRESS
    assert help_request.first_contact_on == TODAY()

    actions.close_request(help_request, outcome=Request.Outcome.ACCOMPANIED, by=fiona)
    help_request.refresh_from_db()
    assert help_request.state == Request.State.CLOSED
    assert help_request.outcome == Request.Outcome.ACCOMPANIED
    assert not ResultShare.objects.exists()  # the share ends with the request
    assert [step.state for step in help_request.steps.all()] == ["new", "taken", "in_progress", "closed"]
    assert Event.objects.filter(verb="requests.closed", network=help_request.network).exists()


def test_an_explicit_start(help_request, fiona):
    actions.take_request(help_request, by=fiona)
    actions.start_accompaniment(help_request, by=fiona)
    help_request.refresh_from_db()
    assert help_request.state == Request.State.IN_PROGRESS
    with pytest.raises(ActionRefused):
        actions.start_accompaniment(help_request, by=fiona)  # in progress → in progress by start


@pytest.mark.parametrize("state", ["taken", "in_progress", "closed"])
def test_only_a_new_request_is_taken(help_request, fiona, fanny, state):
    actions.take_request(help_request, by=fanny)
    if state == "in_progress":
        actions.start_accompaniment(help_request, by=fanny)
    elif state == "closed":
        actions.close_request(help_request, outcome=Request.Outcome.NO_ANSWER, by=fanny)
    with pytest.raises(ActionRefused):
        actions.take_request(help_request, by=fiona)
    help_request.refresh_from_db()
    assert help_request.facilitator == fanny


def test_new_requests_close_directly_not_eligible(help_request, fiona, hugo):
    actions.close_request(
        help_request, outcome=Request.Outcome.NOT_ELIGIBLE, note="Plus de 250 salarié·es", by=hugo
    )
    help_request.refresh_from_db()
    assert help_request.outcome == Request.Outcome.NOT_ELIGIBLE


def test_a_new_request_cannot_start(help_request, fiona):
    with pytest.raises(ActionRefused):
        actions.start_accompaniment(help_request, by=fiona)


def test_nothing_moves_a_closed_request(help_request, fiona, hugo, fanny, alice):
    actions.take_request(help_request, by=fiona)
    actions.close_request(help_request, outcome=Request.Outcome.ACCOMPANIED, by=fiona)
    for step in (
        lambda: actions.take_request(help_request, by=fanny),
        lambda: actions.assign_request(help_request, facilitator=fanny, by=hugo),
        lambda: actions.start_accompaniment(help_request, by=fiona),
        lambda: meeting(help_request, fiona),
        lambda: actions.close_request(help_request, outcome=Request.Outcome.NO_ANSWER, by=fiona),
        lambda: actions.withdraw_request(help_request, by=alice),
    ):
        with pytest.raises(ActionRefused):
            step()
    help_request.refresh_from_db()
    assert help_request.outcome == Request.Outcome.ACCOMPANIED


def test_an_administrator_assigns_and_reassigns_and_the_share_follows(
    help_request, hugo, fiona, fanny, readiness
):
    actions.assign_request(help_request, facilitator=fiona, by=hugo)
    assert ResultShare.objects.get().facilitator == fiona
    actions.assign_request(help_request, facilitator=fanny, by=hugo)
    help_request.refresh_from_db()
    assert (help_request.state, help_request.facilitator) == (Request.State.TAKEN, fanny)
    assert list(ResultShare.objects.values_list("facilitator", flat=True)) == [fanny.pk]


def test_only_administrators_assign_and_only_to_facilitators(help_request, fiona, fanny, nina, hugo, zoe):
    with pytest.raises(ActionRefused):
        actions.assign_request(help_request, facilitator=fanny, by=fiona)
    for person in (nina, hugo, zoe):  # an analyst, an administrator, another network's facilitator
        with pytest.raises(ActionRefused):
            actions.assign_request(help_request, facilitator=person, by=hugo)
    assert Request.objects.get().state == Request.State.NEW


def test_analysts_and_administrators_do_not_take(help_request, nina, hugo, zoe):
    for person in (nina, hugo, zoe):
        with pytest.raises(ActionRefused):
            actions.take_request(help_request, by=person)


def test_only_the_person_in_charge_logs_and_starts(help_request, fiona, fanny):
    actions.take_request(help_request, by=fiona)
    with pytest.raises(ActionRefused):
        meeting(help_request, fanny)
    with pytest.raises(ActionRefused):
        actions.start_accompaniment(help_request, by=fanny)
    with pytest.raises(ActionRefused):
        actions.close_request(help_request, outcome=Request.Outcome.ACCOMPANIED, by=fanny)


def test_closing_needs_an_outcome_and_oriented_names_the_offer(help_request, fiona):
    actions.take_request(help_request, by=fiona)
    for outcome in ("", "n-importe-quoi", Request.Outcome.WITHDRAWN):
        with pytest.raises(ActionRefused, match="issue"):
            actions.close_request(help_request, outcome=outcome, by=fiona)
    with pytest.raises(ActionRefused, match="Nommez l'offre"):
        actions.close_request(help_request, outcome=Request.Outcome.ORIENTED, note="  ", by=fiona)
    actions.close_request(
        help_request, outcome=Request.Outcome.ORIENTED, note="Formation « Manager à distance »", by=fiona
    )
    assert Request.objects.get().outcome_note == "Formation « Manager à distance »"


def test_the_organisation_withdraws_at_any_open_state(help_request, alice, fiona):
    actions.take_request(help_request, by=fiona)
    actions.withdraw_request(help_request, by=alice)
    help_request.refresh_from_db()
    assert (help_request.state, help_request.outcome) == (Request.State.CLOSED, Request.Outcome.WITHDRAWN)
    assert not ResultShare.objects.exists()


def test_a_log_entry_is_not_dated_in_the_future_nor_before_the_request(help_request, fiona):
    from datetime import timedelta

    actions.take_request(help_request, by=fiona)
    with pytest.raises(ActionRefused, match="futur"):
        actions.log_entry(
            help_request,
            kind=Entry.Kind.NOTE,
            happened_on=TODAY() + timedelta(days=1),
            summary="x",
            visibility=Entry.Visibility.INTERNAL,
            by=fiona,
        )
    with pytest.raises(ActionRefused, match="avant la demande"):
        actions.log_entry(
            help_request,
            kind=Entry.Kind.NOTE,
            happened_on=TODAY() - timedelta(days=3),
            summary="x",
            visibility=Entry.Visibility.INTERNAL,
            by=fiona,
        )


def test_a_note_does_not_date_the_first_contact(help_request, fiona):
    actions.take_request(help_request, by=fiona)
    actions.log_entry(
        help_request,
        kind=Entry.Kind.NOTE,
        happened_on=TODAY(),
        summary="Relu la demande.",
        visibility=Entry.Visibility.INTERNAL,
        by=fiona,
    )
    help_request.refresh_from_db()
    assert help_request.first_contact_on is None
    assert help_request.state == Request.State.TAKEN


def test_a_share_revoked_by_the_pilot_is_not_brought_back_by_the_request(
    help_request, fiona, alice, fanny, hugo
):
    from reperes.sharing.actions import revoke_share

    actions.take_request(help_request, by=fiona)
    revoke_share(ResultShare.objects.get(), by=alice)
    meeting(help_request, fiona)
    assert not ResultShare.objects.exists()


def test_transitions_table_is_what_the_actions_allow():
    states = Request.State
    assert Request.TRANSITIONS[states.CLOSED] == set()
    assert states.NEW not in set().union(*Request.TRANSITIONS.values())


def test_oriented_to_an_offer_of_the_catalogue(help_request, fiona, network):
    from tests.offers.factories import OfferFactory

    offer = OfferFactory(network=network, title="Manager une équipe à distance")
    actions.take_request(help_request, by=fiona)
    actions.close_request(help_request, outcome=Request.Outcome.ORIENTED, offer=offer, by=fiona)
    help_request.refresh_from_db()
    assert (help_request.outcome_offer, help_request.outcome_note) == (offer, "Manager une équipe à distance")


def test_an_offer_of_another_network_is_refused(help_request, fiona):
    from tests.offers.factories import OfferFactory

    actions.take_request(help_request, by=fiona)
    with pytest.raises(ActionRefused, match="catalogue de votre réseau"):
        actions.close_request(help_request, outcome=Request.Outcome.ORIENTED, offer=OfferFactory(), by=fiona)
