"""The migrations that moved models between apps (issue 10) keep every row, both ways: a
history written with today's models is taken back to the migrations of the last release before
the move (a release rolled back), then migrated forward again (an old database upgraded)."""

import datetime
import uuid

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# Every app's last migration before the move; the apps that did not exist yet are unapplied.
BEFORE_THE_MOVE = [
    ("questionnaires", "0007_closing_figures"),
    ("telework", "0004_telework_charter"),
    ("results", "0001_initial"),
    ("discussions", "0002_voter_records_unordered"),
    ("action_plans", "0004_feedback_in_batches"),
    ("instruments", None),
    ("campaigns", None),
    ("charters", None),
]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([target for target in targets if target[1]]).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def fill(apps):
    """A small organisation's history, written through today's models."""
    User = apps.get_model("accounts", "User")
    Organisation = apps.get_model("organisations", "Organisation")
    Questionnaire = apps.get_model("instruments", "Questionnaire")
    QuestionnaireVersion = apps.get_model("instruments", "QuestionnaireVersion")
    Campaign = apps.get_model("campaigns", "Campaign")
    RespondentGroup = apps.get_model("campaigns", "RespondentGroup")
    Response = apps.get_model("campaigns", "Response")
    Answer = apps.get_model("campaigns", "Answer")
    Priority = apps.get_model("results", "Priority")
    Action = apps.get_model("action_plans", "Action")
    Discussion = apps.get_model("discussions", "Discussion")
    TeleworkCharter = apps.get_model("charters", "TeleworkCharter")
    CharterClause = apps.get_model("charters", "CharterClause")

    lead = User.objects.create(email="lead@example.org", name="Alice")
    organisation = Organisation.objects.create(
        name="Les Jardins",
        slug="jardins",
        legal_form="association",
        headcount=12,
        sector="social",
        region="53",
    )
    questionnaire = Questionnaire.objects.create(slug="qvt", title="QVT et numérique")
    version = QuestionnaireVersion.objects.create(
        questionnaire=questionnaire, number=1, content_hash="h", definition={"slug": "qvt"}, source="qvt.yaml"
    )
    campaign = Campaign.objects.create(
        organisation=organisation,
        questionnaire_version=version,
        title="Diagnostic 2026",
        closes_on=datetime.date(2026, 6, 30),
        created_by=lead,
    )
    group = RespondentGroup.objects.create(campaign=campaign, label="Équipe terrain")
    for value in ("4", "2", "3"):
        response = Response.objects.create(
            campaign=campaign,
            group=group,
            submitted_on=datetime.date(2026, 6, 1),
            submission_key=uuid.uuid4().hex,
        )
        Answer.objects.create(response=response, item_id="t1-q1", value=value)
    Priority.objects.create(
        campaign=campaign, theme_id="t1", chosen_by=lead, chosen_on=datetime.date(2026, 7, 1)
    )
    discussion = Discussion.objects.create(
        organisation=organisation,
        campaign=campaign,
        title="Nos priorités",
        opened_on=datetime.date(2026, 7, 2),
    )
    proposal = apps.get_model("discussions", "Proposal").objects.create(
        discussion=discussion, text="Des plages sans courriel", decision="adopted"
    )
    Action.objects.create(
        organisation=organisation, title="Des plages sans courriel", campaign=campaign, proposal=proposal
    )
    charter = TeleworkCharter.objects.create(
        organisation=organisation, instrument="charter", title="Charte de télétravail", created_by=lead
    )
    CharterClause.objects.create(charter=charter, clause_id="plages", wording_id="a")
    return campaign.pk, charter.pk


@pytest.mark.django_db(transaction=True)
def test_moving_models_between_apps_keeps_every_row_both_ways():
    """Two trips through the migrations, as each costs twenty seconds or more: a history written
    with today's models goes back to the layout of the last release before the move (a release
    rolled back), then forward again (an old database upgraded), and nothing is lost either way."""
    campaign_id, charter_id = fill(django_apps)

    old = migrate(BEFORE_THE_MOVE)

    tables = set(connection.introspection.table_names())
    assert {
        "questionnaires_campaign",
        "questionnaires_questionnaireversion",
        "telework_teleworkcharter",
    } <= tables
    assert not {"campaigns_campaign", "instruments_questionnaireversion", "charters_teleworkcharter"} & tables
    campaign = old.get_model("questionnaires", "Campaign").objects.get(pk=campaign_id)
    assert campaign.title == "Diagnostic 2026"
    assert campaign.questionnaire_version.questionnaire.slug == "qvt"
    assert sorted(
        old.get_model("questionnaires", "Answer")
        .objects.filter(response__campaign=campaign)
        .values_list("value", flat=True)
    ) == ["2", "3", "4"]
    charter = old.get_model("telework", "TeleworkCharter").objects.get(pk=charter_id)
    assert list(charter.clauses.values_list("clause_id", flat=True)) == ["plages"]
    ContentType = old.get_model("contenttypes", "ContentType")
    assert ContentType.objects.filter(app_label="telework", model="teleworkcharter").exists()
    # A database of that release also had the content type of the campaigns where they were.
    ContentType.objects.get_or_create(app_label="questionnaires", model="campaign")
    # Written after the move: the data migration that marks it must fill it in again.
    assert old.get_model("discussions", "Proposal").objects.filter(decision="adopted").count() == 1

    new = migrate(latest())

    campaign = new.get_model("campaigns", "Campaign").objects.get(pk=campaign_id)
    assert campaign.title == "Diagnostic 2026"
    assert campaign.questionnaire_version.questionnaire.slug == "qvt"
    assert campaign.questionnaire_version._meta.app_label == "instruments"
    assert campaign.organisation.slug == "jardins"
    assert sorted(
        new.get_model("campaigns", "Answer")
        .objects.filter(response__campaign=campaign)
        .values_list("value", flat=True)
    ) == ["2", "3", "4"]
    assert list(campaign.groups.values_list("label", flat=True)) == ["Équipe terrain"]
    assert new.get_model("results", "Priority").objects.get().campaign_id == campaign_id
    assert new.get_model("action_plans", "Action").objects.get().campaign_id == campaign_id
    assert new.get_model("discussions", "Discussion").objects.get().campaign_id == campaign_id
    # A proposal already turned into an action knows it (discussions 0004).
    assert new.get_model("discussions", "Proposal").objects.get().in_plan_since is not None
    charter = new.get_model("charters", "TeleworkCharter").objects.get(pk=charter_id)
    assert list(charter.clauses.values_list("clause_id", flat=True)) == ["plages"]

    tables = set(connection.introspection.table_names())
    assert {"campaigns_campaign", "instruments_questionnaireversion", "charters_teleworkcharter"} <= tables
    assert not {name for name in tables if name.startswith("questionnaires_")}
    content_types = new.get_model("contenttypes", "ContentType").objects
    assert content_types.filter(app_label="campaigns", model="campaign").exists()
    assert content_types.filter(app_label="charters", model="teleworkcharter").exists()
    assert not content_types.filter(app_label__in=["questionnaires"], model="campaign").exists()
    assert not content_types.filter(app_label="telework", model="teleworkcharter").exists()
