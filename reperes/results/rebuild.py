"""Storing the figures of many closed campaigns at once, from their anonymous rows.

Used by `manage.py rebuild_results` and by the migration that stored the figures of campaigns
closed before results were stored (with the migration's historical models: hence `models`). A
chunk of campaigns costs a fixed number of grouped queries whatever its size (its campaigns, their
groups, response counts, answer counts, meeting answers), never one query per campaign.
"""

import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import batched

from django.db import connections, transaction
from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast
from django.utils import timezone

from reperes.campaigns import models as campaigns
from reperes.instruments.definition import Definition
from reperes.instruments.models import QuestionnaireVersion
from reperes.results import rebuild_worker
from reperes.results.compute import NO_GROUP, collective_figures, figures_from_counts
from reperes.results.models import StoredResults

CHUNK_SIZE = 1000
STORED_FIELDS = [
    "respondents",
    "theme_scores",
    "determinant_scores",
    "distribution",
    "groups",
    "hidden_groups",
    "computed_on",
]


@dataclass
class Models:
    """The models the rebuild reads and writes: today's, or a migration's historical ones."""

    Campaign: type = campaigns.Campaign
    RespondentGroup: type = campaigns.RespondentGroup
    Response: type = campaigns.Response
    Answer: type = campaigns.Answer
    CollectiveAnswer: type = campaigns.CollectiveAnswer
    QuestionnaireVersion: type = QuestionnaireVersion
    StoredResults: type = StoredResults

    @classmethod
    def from_apps(cls, apps):
        return cls(
            Campaign=apps.get_model("campaigns", "Campaign"),
            RespondentGroup=apps.get_model("campaigns", "RespondentGroup"),
            Response=apps.get_model("campaigns", "Response"),
            Answer=apps.get_model("campaigns", "Answer"),
            CollectiveAnswer=apps.get_model("campaigns", "CollectiveAnswer"),
            QuestionnaireVersion=apps.get_model("instruments", "QuestionnaireVersion"),
            StoredResults=apps.get_model("results", "StoredResults"),
        )


def rebuild_stored_results(
    *, only_missing=False, campaign_ids=None, models=None, chunk_size=CHUNK_SIZE, workers=1
):
    """Store (again) the figures of every closed campaign, or of those in `campaign_ids`, or with
    `only_missing` of those that have none yet. Returns the number of campaigns stored.

    With `workers` > 1, that many processes read and count the chunks side by side (the
    database does the counting: one process per core keeps each busy) while this one writes
    what they return. They see only committed data: never from inside a transaction (a test's,
    a migration's), where `workers` must stay 1."""
    parallel = workers > 1 and models is None
    models = models or Models()
    closed = models.Campaign.objects.filter(state=campaigns.Campaign.State.CLOSED)
    if campaign_ids is not None:
        closed = closed.filter(pk__in=campaign_ids)
    if only_missing:
        stored = models.StoredResults.objects.values("campaign_id")
        closed = closed.exclude(pk__in=stored)
    ids = list(closed.order_by("pk").values_list("pk", flat=True))
    specs = {}
    today = timezone.localdate()
    chunks = list(batched(ids, chunk_size))

    # A migration's historical model may not have every field yet (determinant_scores came
    # after the first rebuild): write those it has.
    fields = [
        name for name in STORED_FIELDS if any(f.name == name for f in models.StoredResults._meta.fields)
    ]

    def write(figures):
        with transaction.atomic():
            models.StoredResults.objects.bulk_create(
                [
                    models.StoredResults(
                        campaign_id=campaign_id,
                        computed_on=today,
                        **{name: value for name, value in values.items() if name in fields},
                    )
                    for campaign_id, values in figures
                ],
                update_conflicts=True,
                unique_fields=["campaign"],
                update_fields=fields,
            )

    if parallel and len(chunks) > 1:
        if transaction.get_connection().in_atomic_block:
            raise RuntimeError("rebuild_stored_results(workers>1) cannot see uncommitted rows.")
        # Processes started afresh ("spawn"), each opening its own connections to the database
        # this one uses (its settings passed along: a test database, for instance). Forked
        # processes inherited this process's state and now and then shared a PostgreSQL
        # connection (a row of one query read by another).
        databases = {alias: dict(connections[alias].settings_dict) for alias in connections}
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=rebuild_worker.start, initargs=(databases,)
        ) as pool:
            for figures in pool.map(rebuild_worker.figures_of_chunk, chunks):
                write(figures)
    else:
        for chunk in chunks:
            write(list(_chunk_figures(models, chunk, specs)))
    return len(ids)


def _chunk_figures(models, chunk, specs):
    """(campaign id, figures) for each campaign of `chunk`, from a few grouped queries."""
    k = campaigns.anonymity_threshold()
    rows = list(
        models.Campaign.objects.filter(pk__in=chunk).values(
            "id", "mode", "closing_figures", "questionnaire_version_id"
        )
    )
    missing = {row["questionnaire_version_id"] for row in rows} - set(specs)
    for version_id, definition in models.QuestionnaireVersion.objects.filter(pk__in=missing).values_list(
        "pk", "definition"
    ):
        specs[version_id] = Definition(definition)

    collective_ids = [row["id"] for row in rows if row["mode"] == campaigns.Campaign.Mode.COLLECTIVE]
    distributions = {campaign_id: {} for campaign_id in collective_ids}
    for campaign_id, item_id, counts, consensus in models.CollectiveAnswer.objects.filter(
        campaign_id__in=collective_ids
    ).values_list("campaign_id", "item_id", "counts", "consensus"):
        # The model's own rule (hands counted, or one vote for the agreed answer).
        answer = campaigns.CollectiveAnswer(counts=counts, consensus=consensus)
        distributions[campaign_id][item_id] = answer.distribution()

    individual_ids = [row["id"] for row in rows if row["mode"] != campaigns.Campaign.Mode.COLLECTIVE]
    groups = {campaign_id: [] for campaign_id in individual_ids}
    for campaign_id, group_id, label in (
        models.RespondentGroup.objects.filter(campaign_id__in=individual_ids)
        .order_by("campaign_id", "position", "pk")
        .values_list("campaign_id", "pk", "label")
    ):
        groups[campaign_id].append((group_id, label))
    sizes = {
        campaign_id: dict.fromkeys((g for g, _ in groups[campaign_id]), 0) for campaign_id in individual_ids
    }
    for campaign_id, group_id, n in (
        models.Response.objects.filter(campaign_id__in=individual_ids)
        .values_list("campaign_id", "group_id")
        .annotate(n=Count("*"))
        .order_by()
    ):
        sizes[campaign_id][group_id or NO_GROUP] = n
    scales = {value for row in rows for value in specs[row["questionnaire_version_id"]].values}
    by_group = _answer_counts(models, individual_ids, scales)
    countable = _countable(models, [row for row in rows if row["id"] in by_group])

    for row in rows:
        spec = specs[row["questionnaire_version_id"]]
        campaign_id = row["id"]
        if campaign_id in distributions:
            yield campaign_id, collective_figures(spec, distributions[campaign_id])
            continue
        group_countable, countable_total = countable[campaign_id]
        yield (
            campaign_id,
            figures_from_counts(
                spec,
                by_group=by_group[campaign_id],
                sizes=sizes[campaign_id],
                groups=groups[campaign_id],
                countable=group_countable,
                countable_total=countable_total,
                hidden_at_close=(row["closing_figures"] or {}).get("hidden_groups"),
                k=k,
            ),
        )


def _answer_counts(models, campaign_ids, scales):
    """{campaign id: {group id or NO_GROUP: {item_id: {value: count}}}} in one grouped query: a row
    per campaign, group and statement, with one count per answer value of the chunk's `scales`
    (counting in the database, and a third of the rows a row per value would give)."""
    if not campaign_ids:
        return {}
    values = sorted(scales)
    counts = {f"n{index}": Count("item_id", filter=Q(value=value)) for index, value in enumerate(values)}
    by_group = {campaign_id: {} for campaign_id in campaign_ids}
    # The campaign's key as text: a UUID column would be converted row by row.
    campaigns = {
        key: campaign_id for campaign_id in campaign_ids for key in (campaign_id.hex, str(campaign_id))
    }
    query = (
        models.Answer.objects.filter(response__campaign_id__in=campaign_ids)
        .annotate(campaign_key=Cast("response__campaign_id", CharField()))
        .values_list("campaign_key", "response__group_id", "item_id")
        .annotate(**counts)
        .order_by()
    )
    # The ORM's SQL, read straight from the cursor: its plain columns need no conversion, and
    # iterating through the queryset would cost half as long again as the query itself.
    with connections[query.db].cursor() as cursor:
        cursor.execute(*query.query.sql_with_params())
        rows = cursor.fetchall()
    for campaign_key, group_id, item_id, *numbers in rows:
        by_group[campaigns[campaign_key]].setdefault(group_id or NO_GROUP, {})[item_id] = {
            value: n for value, n in zip(values, numbers, strict=True) if n
        }
    return by_group


def _countable(models, rows):
    """{campaign id: ({group id: countable responses}, countable total)}: kept at closing, or
    counted for campaigns closed before the closing figures were kept."""
    countable = {}
    recount = []
    for row in rows:
        figures = row["closing_figures"]
        if figures:
            countable[row["id"]] = ({int(g): n for g, n in figures["groups"].items()}, figures["countable"])
        else:
            countable[row["id"]] = ({}, 0)
            recount.append(row["id"])
    paper = campaigns.Response.Source.PAPER
    for campaign_id, group_id, n in (
        models.Response.objects.filter(campaign_id__in=recount)
        .filter(~Q(source=paper) | Q(paper_batch__attested_on__isnull=False))
        .values_list("campaign_id", "group_id")
        .annotate(n=Count("*"))
        .order_by()
    ):
        groups, total = countable[campaign_id]
        if group_id is not None:
            groups[group_id] = n
        countable[campaign_id] = (groups, total + n)
    return countable
