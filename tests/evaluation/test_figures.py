"""The figures Repères computes for a project, checked against counts made by hand."""

from datetime import timedelta

import pytest
from django.utils import timezone

from reperes.evaluation.figures import (
    before_after,
    organisations_reached,
    participation,
    period_for,
    periods,
)
from reperes.programmes.models import Attendance, EventSession, NetworkEvent, Participant, Registration
from tests.accounts.factories import UserFactory
from tests.evaluation.conftest import closed_campaign, enrol
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def whole(project):
    period, _ = period_for(project, "tout")
    return period


def attend(cohort, number, statuses):
    workshop = cohort.workshops.get(number=number)
    for participant, status in statuses.items():
        Attendance.objects.create(workshop=workshop, participant=participant, status=status)


def event(network, *, sessions, replay_clicks=0, host_views=None, title="Webinaire"):
    created = NetworkEvent.objects.create(
        network=network, title=title, replay_clicks=replay_clicks, host_views=host_views
    )
    for number, (days_ago, live, cancelled) in enumerate(sessions, start=1):
        EventSession.objects.create(
            event=created,
            number=number,
            starts_at=timezone.now() - timedelta(days=days_ago),
            live_attendance=live,
            cancelled_at=timezone.now() if cancelled else None,
        )
    return created


def test_participation_counts_workshops_attendance_and_the_projects_events_only(
    project, cohort, network, sharing, alice, carol, dave
):
    a = enrol(cohort, sharing["a"])
    b = enrol(cohort, sharing["b"])
    alice_p = Participant.objects.create(enrolment=a, membership=sharing["a"].memberships.get(user=alice))
    carol_p = Participant.objects.create(enrolment=a, membership=sharing["a"].memberships.get(user=carol))
    dave_p = Participant.objects.create(enrolment=b, membership=sharing["b"].memberships.get(user=dave))
    attend(cohort, 1, {alice_p: "onsite", carol_p: "absent", dave_p: "remote"})
    attend(cohort, 2, {alice_p: "onsite", carol_p: "onsite", dave_p: "excused"})
    webinar = event(network, sessions=[(5, 12, False), (3, 50, True)], replay_clicks=7, host_views=30)
    Registration.objects.create(event=webinar, user=alice, organisation=sharing["a"])
    Registration.objects.create(event=webinar, user=dave, organisation=sharing["b"])
    project.events.add(webinar)
    event(network, sessions=[(4, 100, False)], replay_clicks=99, title="Hors projet")  # not in the project

    figures = participation(project, whole(project))

    # 2 workshops; 6 records, 4 present (alice twice, dave once, carol once): 67 %; 3 people.
    assert figures["workshops"] == 2
    assert (figures["recorded"], figures["presences"], figures["attendance_rate"]) == (6, 4, 67)
    assert figures["people"] == 3
    # One session held (the other cancelled), 12 live, 7 replay clicks, 30 views, 2 registered.
    assert (figures["event_sessions"], figures["events"], figures["live"]) == (1, 1, 12)
    assert (figures["replay_clicks"], figures["host_views"], figures["registrations"]) == (7, 30, 2)


def test_a_year_of_the_project_counts_only_what_happened_in_it(project, cohort, sharing, alice):
    project.starts_on = timezone.localdate().replace(year=timezone.localdate().year - 1, month=1, day=1)
    project.save()
    assert [p.key for p in periods(project)][0] == "tout" and len(
        periods(project)
    ) == 3  # all, last year, this year
    a = enrol(cohort, sharing["a"])
    alice_p = Participant.objects.create(enrolment=a, membership=sharing["a"].memberships.get(user=alice))
    attend(cohort, 1, {alice_p: "onsite"})
    last_year, _ = period_for(project, str(timezone.localdate().year - 1))

    assert participation(project, last_year)["presences"] == 0
    assert participation(project, whole(project))["presences"] == 1


def test_organisations_reached_count_only_those_that_share_their_statistics(
    project, cohort, network, sharing
):
    enrol(cohort, sharing["a"])
    enrol(cohort, sharing["b"])
    enrol(cohort, sharing["c"], state="applied")
    enrol(cohort, sharing["d"])  # does not share its statistics: counted nowhere
    webinar = event(network, sessions=[(5, 10, False)])
    project.events.add(webinar)
    for key in ("a", "c", "d"):
        person = MembershipFactory(organisation=sharing[key], user=UserFactory()).user
        Registration.objects.create(event=webinar, user=person, organisation=sharing[key])
    for key in ("a", "b", "d"):
        closed_campaign(sharing[key], "oui", days_ago=5, responses=1)

    reached = organisations_reached(project, whole(project))

    # Applied: A, B, C. Enrolled: A, B. Registered: A, C. Reached: A, B, C. D nowhere.
    assert (reached["reached"], reached["applied"], reached["enrolled"], reached["registered"]) == (
        3,
        3,
        2,
        2,
    )
    # A and B ran a diagnostic: 2, below 3, so the page says « moins de 3 ».
    assert reached["diagnosed"] == {"value": 2, "shown": False}
    assert reached["used_tools"] == {"value": 0, "shown": True}


def test_an_organisation_that_withdraws_its_agreement_leaves_the_counts(project, cohort, sharing):
    for key in ("a", "b"):
        enrol(cohort, sharing[key])
    assert organisations_reached(project, whole(project))["enrolled"] == 2
    sharing["b"].shares_statistics = False
    sharing["b"].save()
    assert organisations_reached(project, whole(project))["enrolled"] == 1


def test_before_after_means_from_three_organisations_and_only_those_sharing(project, cohort, sharing):
    # Scores per theme (0 to 5): A 0 → 5, B 0 → 5, C 5 → 5. D, not sharing, 5 → 0.
    for key, first, last in [
        ("a", "non", "oui"),
        ("b", "non", "oui"),
        ("c", "oui", "oui"),
        ("d", "oui", "non"),
    ]:
        enrol(cohort, sharing[key])
        closed_campaign(sharing[key], first, days_ago=40)
        closed_campaign(sharing[key], last, days_ago=5)

    [table] = before_after(project, whole(project))

    assert table["shown"] and table["organisations"] == 3
    assert table["themes"]
    for row in table["themes"]:
        # Before (0 + 0 + 5) / 3, after 5, change +10/3. With D, it would be 2.5 → 3.75.
        assert row["before"] == pytest.approx(5 / 3)
        assert row["after"] == pytest.approx(5.0)
        assert row["change"] == pytest.approx(10 / 3)
        assert row["organisations"] == 3


def test_before_after_shows_nothing_under_three_organisations(project, cohort, sharing):
    for key in ("a", "b"):
        enrol(cohort, sharing[key])
        closed_campaign(sharing[key], "non", days_ago=40)
        closed_campaign(sharing[key], "oui", days_ago=5)
    closed_campaign(sharing["c"], "non", days_ago=40)  # C answered once only, and is not enrolled

    [table] = before_after(project, whole(project))

    assert table["organisations"] == 2 and not table["shown"] and table["themes"] == []


def test_before_after_ignores_a_diagnostic_under_the_anonymity_threshold(project, cohort, sharing):
    for key in ("a", "b", "c"):
        enrol(cohort, sharing[key])
        closed_campaign(sharing[key], "non", days_ago=40)
        closed_campaign(sharing[key], "oui", days_ago=5, responses=4 if key == "c" else 5)

    [table] = before_after(project, whole(project))

    assert table["organisations"] == 2 and not table["shown"]


def test_before_after_reads_the_scores_stored_at_closing(project, cohort, sharing):
    from reperes.results.models import StoredResults

    campaigns = []
    for key in ("a", "b", "c"):
        enrol(cohort, sharing[key])
        campaigns.append(closed_campaign(sharing[key], "non", days_ago=40))
        campaigns.append(closed_campaign(sharing[key], "oui", days_ago=5))
    theme_ids = [theme["id"] for theme in campaigns[0].spec.themes]
    for campaign in campaigns:  # the stored figures say 1 then 4, whatever the rows say
        score = 1.0 if campaign.closed_on < timezone.localdate() - timedelta(days=20) else 4.0
        StoredResults.objects.create(
            campaign=campaign,
            respondents=5,
            theme_scores=dict.fromkeys(theme_ids, score),
            distribution={},
            groups=[],
            hidden_groups=False,
            computed_on=timezone.localdate(),
        )

    [table] = before_after(project, whole(project))

    assert {(row["before"], row["after"]) for row in table["themes"]} == {(1.0, 4.0)}
