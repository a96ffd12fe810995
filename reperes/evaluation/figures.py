"""What Repères computes for a project and a period: participation (workshops of its cohorts,
sessions of its events), satisfaction (the anonymous session questionnaires, nothing under the
anonymity threshold), organisations reached, page views of the guidance pages, and the T0→T1
change of the organisations that answered the same questionnaire twice.

Only organisations that agreed to contribute to their networks' statistics
(`Organisation.shares_statistics`) are counted among the organisations reached and in T0→T1.
The key figures the network enters itself are laid out by `key_figures_table`."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Q, Sum
from django.utils import timezone

from reperes.action_plans.models import Action
from reperes.campaigns.models import Campaign, Response
from reperes.charters.models import TeleworkCharter
from reperes.evaluation.models import Indicator, region_label
from reperes.fiches.pageviews import page_view_figures
from reperes.programmes.models import Attendance, Enrolment, EventSession, Registration, Workshop
from reperes.programmes.reach import event_satisfaction_figures
from reperes.programmes.satisfaction import session_satisfaction
from reperes.results.compute import build_results
from reperes.sharing.known import known_organisations

# T0→T1 means are shown from this many organisations on, and a count of organisations' own
# activity (diagnostics, tools) from this many on: below, « moins de 3 ».
MIN_ORGANISATIONS = 3


@dataclass
class Period:
    key: str
    label: str
    start: date
    end: date


def periods(project, *, today=None):
    """The whole project, then each calendar year it spans (when it spans more than one)."""
    today = today or timezone.localdate()
    end = project.ends_on or max(today, project.starts_on)
    whole = Period("tout", "Tout le projet", project.starts_on, end)
    years = [
        Period(str(year), str(year), max(date(year, 1, 1), project.starts_on), min(date(year, 12, 31), end))
        for year in range(project.starts_on.year, end.year + 1)
    ]
    return [whole] + years if len(years) > 1 else [whole]


def period_for(project, key, *, today=None):
    choices = periods(project, today=today)
    return next((p for p in choices if p.key == key), choices[0]), choices


def _in(period):
    return (period.start, period.end)


# Participation


def participation(project, period):
    """Workshops of the project's cohorts held in the period and their attendance; sessions of
    its events held in the period, with registrations, live audience and replays. Four queries."""
    now = timezone.now()
    workshops = Workshop.objects.filter(
        cohort__in=project.cohorts.all(),
        cancelled_at__isnull=True,
        precision=Workshop.Precision.EXACT,
        starts_at__date__range=_in(period),
        starts_at__lte=now,
    )
    present = Q(status__in=Attendance.PRESENT)
    attendance = Attendance.objects.filter(workshop__in=workshops).aggregate(
        recorded=Count("pk"),
        present=Count("pk", filter=present),
        people=Count("participant", filter=present, distinct=True),
        workshops=Count("workshop", distinct=True),
    )
    held = workshops.count()
    sessions = EventSession.objects.filter(
        event__in=project.events.all(),
        cancelled_at__isnull=True,
        starts_at__date__range=_in(period),
        starts_at__lte=now,
    )
    session_figures = sessions.aggregate(
        sessions=Count("pk"), events=Count("event", distinct=True), live=Sum("live_attendance")
    )
    events = project.events.filter(pk__in=sessions.values("event")).aggregate(
        replay_clicks=Sum("replay_clicks"), host_views=Sum("host_views")
    )
    registrations = Registration.objects.filter(event__in=sessions.values("event")).count()
    rate = round(100 * attendance["present"] / attendance["recorded"]) if attendance["recorded"] else None
    return {
        "workshops": held,
        "presences": attendance["present"],
        "recorded": attendance["recorded"],
        "people": attendance["people"],
        "attendance_rate": rate,  # percent of the attendance records taken
        "event_sessions": session_figures["sessions"],
        "events": session_figures["events"],
        "registrations": registrations,
        "live": session_figures["live"] or 0,
        "replay_clicks": events["replay_clicks"] or 0,
        "host_views": events["host_views"] or 0,
    }


# Satisfaction


@dataclass
class Satisfaction:
    threshold: int
    shown: int = 0
    withheld: int = 0
    open: int = 0
    answers: int = 0  # over the questionnaires shown only
    themes: list = field(default_factory=list)  # [(short title, mean 0–5 weighted by answers)]
    event_answers: int = 0
    event_score: float | None = None


def satisfaction(project, period):
    """The satisfaction questionnaires of the workshops and events held in the period: the
    figures of those closed with at least k answers, never those below."""
    k = settings.ANONYMITY_THRESHOLD
    summary = Satisfaction(threshold=k)
    now = timezone.now()
    workshops = Workshop.objects.filter(
        cohort__in=project.cohorts.all(),
        cancelled_at__isnull=True,
        satisfaction__isnull=False,
        starts_at__date__range=_in(period),
        starts_at__lte=now,
    ).select_related("satisfaction__questionnaire_version")
    sums = {}
    for workshop in workshops:
        session = session_satisfaction(workshop, k=k)
        if session.state == "shown":
            summary.shown += 1
            summary.answers += session.responses
            for title, score in session.themes:
                if score is None:
                    continue
                total, answers = sums.get(title, (0.0, 0))
                sums[title] = (total + score * session.responses, answers + session.responses)
        elif session.state == "open":
            summary.open += 1
        else:
            summary.withheld += 1
    summary.themes = [(title, total / answers) for title, (total, answers) in sums.items() if answers]
    events = (
        project.events.filter(
            satisfaction__isnull=False,
            sessions__starts_at__date__range=_in(period),
            sessions__cancelled_at__isnull=True,
        )
        .distinct()
        .select_related("satisfaction__questionnaire_version")
    )
    score_total = 0.0
    for event in events:
        figures = event_satisfaction_figures(event)
        if figures["shown"]:
            summary.shown += 1
            summary.event_answers += figures["answers"]
            score_total += figures["score"] * figures["answers"]
        elif figures["open"]:
            summary.open += 1
        else:
            summary.withheld += 1
    if summary.event_answers:
        summary.event_score = score_total / summary.event_answers
    return summary


# Organisations reached


def _small(n):
    """A count of organisations' own activity: shown from MIN_ORGANISATIONS on, or when nil."""
    return {"value": n, "shown": n == 0 or n >= MIN_ORGANISATIONS}


def organisations_reached(project, period):
    """Distinct organisations that agreed to contribute to the statistics and, in the period,
    applied to a cohort of the project, were enrolled in one, registered someone to one of its
    events; and among them, those that ran a diagnostic answered by at least one person, and those
    that used a tool (an action of their plan, a telework charter). Six queries."""
    counted = Q(organisation__shares_statistics=True)
    enrolments = Enrolment.objects.filter(
        counted, cohort__in=project.cohorts.all(), applied_at__date__range=_in(period)
    )
    applied = set(enrolments.values_list("organisation_id", flat=True))
    enrolled = set(
        enrolments.filter(state=Enrolment.State.ACCEPTED).values_list("organisation_id", flat=True)
    )
    registered = set(
        Registration.objects.filter(
            counted,
            event__in=project.events.all(),
            registered_at__date__range=_in(period),
        ).values_list("organisation_id", flat=True)
    )
    reached = applied | registered
    # A diagnostic counts once closed in the period with answers, never at its first answer: a
    # live count that moves when someone answers would tell a watcher when they did.
    diagnosed = set(
        Campaign.objects.filter(
            organisation_id__in=reached,
            state=Campaign.State.CLOSED,
            closed_on__range=_in(period),
            responses__isnull=False,
        ).values_list("organisation_id", flat=True)
    )
    tools = set(
        Action.objects.filter(organisation_id__in=reached, created_at__date__range=_in(period)).values_list(
            "organisation_id", flat=True
        )
    ) | set(
        TeleworkCharter.objects.filter(
            organisation_id__in=reached, created_on__range=_in(period)
        ).values_list("organisation_id", flat=True)
    )
    return {
        "reached": len(reached),
        "applied": len(applied),
        "enrolled": len(enrolled),
        "registered": len(registered),
        "diagnosed": _small(len(diagnosed)),
        "used_tools": _small(len(tools)),
    }


# T0 → T1


def theme_scores(campaign, stored=None):
    """{theme id: (short title, score)} of a closed campaign: the figures stored at closing
    (reperes.results.models.StoredResults, `stored` maps campaign ids to their theme_scores),
    else computed from the answers."""
    titles = {theme["id"]: theme["short_title"] for theme in campaign.spec.themes}
    scores = (stored or {}).get(campaign.pk)
    if isinstance(scores, dict):
        return {key: (titles.get(key, key), value) for key, value in scores.items() if value is not None}
    results = build_results(campaign, k=settings.ANONYMITY_THRESHOLD)
    return {t.id: (t.theme["short_title"], t.score) for t in results.themes if t.score is not None}


def _stored_scores(campaigns):
    try:
        from reperes.results.models import StoredResults
    except ImportError:  # before the results app stores them
        return {}
    return dict(
        StoredResults.objects.filter(campaign__in=campaigns).values_list("campaign_id", "theme_scores")
    )


def before_after(project, period):
    """Per questionnaire: the organisations enrolled in the project's cohorts (and contributing
    to the statistics) whose team answered it at least twice individually, with results shown
    each time (k answers); each theme's mean score at their first and at their second
    diagnostic, the second one closed in the period.

    So that nobody learns one organisation's scores by difference (between two visits, between
    the whole project and one of its years, or by setting aside the organisations whose results
    they see individually), the means are published in batches: the organisations are taken in
    the order their second diagnostic closed, over the whole project, in batches of
    MIN_ORGANISATIONS; a batch is counted when it is complete, when all its organisations' second
    diagnostics closed in the period, and when none of them is seen individually by the network.
    An organisation's contribution never changes once in a batch (its first and second
    diagnostics, not its latest). Two queries (the campaigns, their stored scores), and the
    scores of any diagnostic closed before results were stored."""
    organisations = Enrolment.objects.filter(
        cohort__in=project.cohorts.all(), state=Enrolment.State.ACCEPTED, organisation__shares_statistics=True
    ).values("organisation_id")
    countable = ~Q(responses__source=Response.Source.PAPER) | Q(
        responses__paper_batch__attested_on__isnull=False
    )
    campaigns = (
        Campaign.objects.filter(
            organisation_id__in=organisations, opened_on__isnull=False, mode=Campaign.Mode.INDIVIDUAL
        )
        .exclude(state=Campaign.State.DRAFT)
        .select_related("questionnaire_version__questionnaire")
        .annotate(countable_now=Count("responses", filter=countable, distinct=True))
        .order_by("opened_on", "created_at")
    )
    series = {}
    for campaign in campaigns:
        if not campaign.closing_figures:  # closed by date, not yet by the closing job
            campaign.countable_response_count = campaign.countable_now
        if not (campaign.is_closed and campaign.results_visible):
            continue
        questionnaire = campaign.questionnaire_version.questionnaire
        series.setdefault((questionnaire.pk, campaign.organisation_id), (questionnaire, []))[1].append(
            campaign
        )
    project_period = periods(project)[0]
    known = known_organisations(project.network)
    by_questionnaire = {}
    for (questionnaire_id, _), (questionnaire, runs) in series.items():
        if len(runs) < 2:
            continue
        # Ordered by closing: the first diagnostic and the second, whatever came after.
        first, second = sorted(runs[:2], key=lambda c: (c.effective_closed_on, c.created_at))
        if not (project_period.start <= second.effective_closed_on <= project_period.end):
            continue
        by_questionnaire.setdefault(questionnaire_id, (questionnaire, []))[1].append((first, second))
    chosen = {}
    for questionnaire_id, (questionnaire, pairs) in by_questionnaire.items():
        pairs.sort(key=lambda pair: (pair[1].effective_closed_on, pair[1].created_at, str(pair[1].pk)))
        counted = []
        for start in range(0, len(pairs) - MIN_ORGANISATIONS + 1, MIN_ORGANISATIONS):
            batch = pairs[start : start + MIN_ORGANISATIONS]
            in_period = all(period.start <= second.effective_closed_on <= period.end for _, second in batch)
            if in_period and not any(first.organisation_id in known for first, _ in batch):
                counted.extend(batch)
        in_period_pairs = [
            pair for pair in pairs if period.start <= pair[1].effective_closed_on <= period.end
        ]
        chosen[questionnaire_id] = (questionnaire, counted, len(in_period_pairs))
    stored = _stored_scores([c for _, counted, _n in chosen.values() for pair in counted for c in pair])
    tables = []
    for questionnaire, counted, answered_twice in chosen.values():
        if not answered_twice:
            continue
        table = {
            "questionnaire": questionnaire,
            "organisations": len(counted) if counted else answered_twice,
            "shown": False,
            "themes": [],
        }
        if counted:
            table["shown"] = True
            sums = {}
            for first, last in counted:
                before, after = theme_scores(first, stored), theme_scores(last, stored)
                for theme_id in before.keys() & after.keys():
                    title = after[theme_id][0]
                    row = sums.setdefault(theme_id, [title, 0.0, 0.0, 0])
                    row[1] += before[theme_id][1]
                    row[2] += after[theme_id][1]
                    row[3] += 1
            for title, before_total, after_total, n in sums.values():
                if n == len(counted):  # a theme some of them lack would be a smaller group
                    before_mean, after_mean = before_total / n, after_total / n
                    table["themes"].append(
                        {
                            "title": title,
                            "before": before_mean,
                            "after": after_mean,
                            "change": after_mean - before_mean,
                            "organisations": n,
                        }
                    )
        tables.append(table)
    return tables


def project_figures(project, period):
    """Everything Repères computes for the project page."""
    return {
        "participation": participation(project, period),
        "satisfaction": satisfaction(project, period),
        "reached": organisations_reached(project, period),
        "before_after": before_after(project, period),
        "page_views": page_view_figures(period.start, period.end),
        "min_organisations": MIN_ORGANISATIONS,
    }


# Key figures, as the network entered them


def key_figures_table(project):
    """The table region × indicator, the sum of the regions' numbers, and the national row as
    entered: the national figure is its own entry and never the sum of the regions (a national
    count includes what no region reported, and may count once what two regions share).
    One query."""
    figures = list(project.key_figures.all())
    indicators = [indicator for indicator in Indicator if any(f.indicator == indicator for f in figures)]
    by_place = {(f.region, f.indicator): f for f in figures}
    regions = sorted({f.region for f in figures if f.region}, key=region_label)
    rows = [
        {"region": code, "label": region_label(code), "cells": [by_place.get((code, i)) for i in indicators]}
        for code in regions
    ]
    sums = []
    for indicator in indicators:
        values = [by_place[(code, indicator)] for code in regions if (code, indicator) in by_place]
        numbers = [f.value for f in values if f.value is not None]
        sums.append(
            {
                "value": sum(numbers) if numbers else None,
                "partial": any(f.value is None or f.qualifier != "exact" for f in values),
            }
        )
    national = []
    for indicator, total in zip(indicators, sums, strict=True):
        figure = by_place.get(("", indicator))
        differs = (
            figure is not None
            and figure.value is not None
            and total["value"] is not None
            and figure.value != total["value"]
        )
        national.append({"figure": figure, "differs": differs})
    return {
        "indicators": [{"code": i.value, "label": i.label} for i in indicators],
        "rows": rows,
        "sums": sums,
        "national": national,
        "any_difference": any(cell["differs"] for cell in national),
    }
