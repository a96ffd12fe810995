"""The telework charter builder: routes, completeness panel, parameters, status, exports."""

import datetime
import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document
from hypothesis import given
from hypothesis import strategies as st

from reperes.charters import actions, rules
from reperes.charters.library import get_library
from reperes.charters.models import CharterStatus, Instrument, TeleworkCharter
from reperes.lib.actions import ActionRefused
from tests.helpers import page_text

LIBRARY = get_library()
MANDATORY = [slot.id for slot in LIBRARY.mandatory_slots]


def docx_text(content):
    return "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)


def new_charter(org, user, *, instrument=Instrument.CHARTER, proposal=True, **fields):
    return actions.create_charter(
        org, by=user, instrument=instrument, title="Télétravail", proposal=proposal, **fields
    )


def without(charter, slot_id):
    """Remove every clause covering `slot_id`."""
    for row in list(charter.clauses.all()):
        if slot_id in LIBRARY.clauses[row.clause_id].covers:
            row.delete()


# The completeness panel: a pure function of the covered slots.


@given(st.sets(st.sampled_from([slot.id for slot in LIBRARY.slots.values()])))
def test_missing_contents_is_exactly_the_uncovered_mandatory_slots_in_legal_order(covered):
    missing = [slot.id for slot in rules.missing_contents(covered, LIBRARY)]
    assert missing == [slot_id for slot_id in MANDATORY if slot_id not in covered]


def test_the_seven_mandatory_contents_follow_article_l1222_9_ii():
    assert len(MANDATORY) == 7
    bases = [LIBRARY.slots[slot].basis[0] for slot in MANDATORY]
    assert {basis.ref for basis in bases} == {"l1222-9"}
    assert [basis.point[:6] for basis in bases] == [f"II, {n}°" for n in range(1, 8)]
    assert "pollution" in LIBRARY.slots["passage-retour"].label


# Routes.


@pytest.mark.parametrize(
    ("headcount", "cse", "union", "ratification"),
    [
        (6, False, False, True),
        (10, True, False, True),
        (10, False, True, False),
        (15, False, False, True),
        (15, True, False, False),
        (25, False, False, False),
    ],
)
def test_two_thirds_approval_route_depends_on_headcount_and_representation(
    org_a, headcount, cse, union, ratification
):
    org_a.headcount, org_a.has_cse, org_a.has_union_delegate = headcount, cse, union
    assert rules.ratification_open_to(org_a) is ratification
    route = {r["instrument"]: r for r in rules.routes(org_a)}[Instrument.RATIFIED]
    assert route["fits"] is ratification
    assert "L2232-21" in route["text"]


def test_routes_page_explains_each_route_with_the_profile(client_of, alice, org_a):
    org_a.headcount, org_a.has_cse = 8, False
    org_a.save()
    page = page_text(client_of(alice).get(reverse("charters:list", args=[org_a.slug])))
    assert "Avec 8 salarié·es et sans délégué·e syndical·e" in page
    assert "deux tiers" in page and "15 jours" in page
    assert "pas de conseil juridique" in page


# Building a charter.


@pytest.mark.django_db
def test_proposal_covers_the_seven_points_and_renders_parameters(alice, org_a):
    charter = new_charter(org_a, alice)
    content = rules.document(charter)
    assert content["missing"] == []
    assert all(point["covered"] for point in content["mandatory"])
    text = "\n".join(c["text"] for s in content["sections"] for c in s["clauses"])
    assert "{" not in text  # every placeholder filled
    assert content["unreviewed"] is True
    assert any(ref["label"].startswith("Code du travail, article L1222-9") for ref in content["references"])


@pytest.mark.django_db
def test_creating_from_the_page_and_adding_a_clause(client_of, alice, org_a):
    client = client_of(alice)
    response = client.post(
        reverse("charters:list", args=[org_a.slug]),
        {"title": "Notre charte", "instrument": "charter", "co_drafted": "", "proposal": ""},
    )
    charter = TeleworkCharter.objects.get(organisation=org_a)
    assert response["Location"] == charter.get_absolute_url()
    assert charter.clauses.count() == 0
    page = page_text(client.get(charter.get_absolute_url()))
    assert "Il manque 7 points" in page
    clause = LIBRARY.clauses_for("plages-contact")[0]
    client.post(reverse("charters:clause_add", args=[org_a.slug, charter.pk]), {"clause": clause.id})
    page = page_text(client.get(charter.get_absolute_url()))
    assert "Il manque 6 points" in page


@pytest.mark.django_db
def test_final_with_a_missing_mandatory_content_is_refused_and_nothing_lost(client_of, alice, org_a):
    charter = new_charter(org_a, alice, instrument=Instrument.CHARTER)
    without(charter, "acces-aidants")
    kept = charter.clauses.count()
    client = client_of(alice)
    response = client.post(
        reverse("charters:status", args=[org_a.slug, charter.pk]),
        {"step": "adopt", "on": "2026-11-20"},
        follow=True,
    )
    page = page_text(response)
    assert "doit traiter les sept points" in page
    assert "aidant" in page
    charter.refresh_from_db()
    assert charter.status == CharterStatus.DRAFT
    assert charter.clauses.count() == kept


@pytest.mark.django_db
def test_individual_agreement_panel_is_advice_not_a_block(alice, org_a):
    charter = new_charter(org_a, alice, instrument=Instrument.INDIVIDUAL, proposal=False)
    assert actions.adoption_refusal(charter) == ""
    actions.adopt_charter(charter, by=alice, on=datetime.date(2026, 11, 20))
    assert charter.status == CharterStatus.ADOPTED


@pytest.mark.django_db
def test_charter_with_a_cse_needs_its_opinion_before_adoption(alice, org_a):
    org_a.has_cse = True
    org_a.save()
    charter = new_charter(org_a, alice)
    with pytest.raises(ActionRefused, match="avis du CSE"):
        actions.adopt_charter(charter, by=alice, on=datetime.date(2026, 11, 20))
    actions.submit_charter(charter, by=alice, on=datetime.date(2026, 11, 1))
    with pytest.raises(ActionRefused, match="avant la soumission"):
        actions.record_opinion(charter, on=datetime.date(2026, 10, 1), summary="", by=alice)
    actions.record_opinion(charter, on=datetime.date(2026, 11, 10), summary="Avis favorable.", by=alice)
    actions.adopt_charter(charter, by=alice, on=datetime.date(2026, 11, 20))
    assert [v.status for v in charter.versions.order_by("pk")] == ["submitted", "adopted"]
    with pytest.raises(ActionRefused, match="plus un brouillon"):
        actions.remove_clause(charter.clauses.first(), by=alice)
    actions.revise_charter(charter, by=alice)
    assert charter.version == 2 and charter.is_draft


@pytest.mark.django_db
def test_ratified_agreement_vote_waits_fifteen_days(alice, org_a):
    charter = new_charter(org_a, alice, instrument=Instrument.RATIFIED)
    with pytest.raises(ActionRefused, match="communiqué"):
        actions.adopt_charter(charter, by=alice, on=datetime.date(2026, 11, 20))
    actions.set_communicated(charter, on=datetime.date(2026, 11, 10))
    with pytest.raises(ActionRefused, match="25/11/2026"):
        actions.adopt_charter(charter, by=alice, on=datetime.date(2026, 11, 20))
    actions.adopt_charter(charter, by=alice, on=datetime.date(2026, 11, 25))


@pytest.mark.django_db
def test_co_signature_by_lead_and_staff_representative(alice, bob, carol, org_a):
    charter = new_charter(org_a, alice, co_drafted=True)
    lead = org_a.memberships.get(user=alice)
    rep = org_a.memberships.get(user=carol)
    with pytest.raises(ActionRefused, match="texte adopté"):
        actions.sign_charter(charter, user=alice, membership=lead)
    actions.adopt_charter(charter, by=alice, on=datetime.date(2026, 11, 20))
    actions.sign_charter(charter, user=alice, membership=lead)
    actions.sign_charter(charter, user=carol, membership=rep)
    with pytest.raises(ActionRefused, match="déjà signé"):
        actions.sign_charter(charter, user=alice, membership=lead)
    with pytest.raises(ActionRefused, match="cosignent"):
        actions.sign_charter(charter, user=bob, membership=org_a.memberships.get(user=bob))
    assert {s.role for s in charter.signatures.all()} == {"lead", "staff_rep"}


# Parameters.


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"contact_debut": "17:00", "contact_fin": "09:00"}, "contact_fin", "doit venir après 17 h"),
        ({"jours_travailles": 4, "jours_max": 5}, "jours_max", "ne peut pas dépasser"),
        ({"adaptation_semaines": 40}, "adaptation_semaines", "entre 0 et 26"),
        ({"contact_debut": "9h"}, "contact_debut", "HH:MM"),
    ],
)
def test_parameters_out_of_range_are_refused(values, field, message):
    errors = rules.check_parameters(values, LIBRARY)
    assert message in errors[field].replace("\u00a0", " ")


def test_disconnection_may_cross_midnight():
    assert rules.check_parameters({"deconnexion_debut": "19:00", "deconnexion_fin": "07:30"}, LIBRARY) == {}


@pytest.mark.django_db
def test_parameters_page_keeps_input_and_says_what_is_wrong(client_of, alice, org_a):
    charter = new_charter(org_a, alice)
    data = {key: p.default for key, p in LIBRARY.parameters.items()}
    data.update(contact_debut="17:00", contact_fin="09:00", jours_travailles=4, jours_max=5)
    response = client_of(alice).post(reverse("charters:parameters", args=[org_a.slug, charter.pk]), data)
    assert response.status_code == 400
    page = page_text(response).replace("\u00a0", " ")
    assert "Cette heure doit venir après 17 h" in page
    assert "ne peut pas dépasser" in page
    assert 'value="17:00"' in response.content.decode()
    data.update(contact_debut="09:00", contact_fin="16:30", jours_travailles=5, jours_max=3)
    response = client_of(alice).post(reverse("charters:parameters", args=[org_a.slug, charter.pk]), data)
    assert response.status_code == 302
    charter.refresh_from_db()
    assert charter.parameters["jours_max"] == 3
    text = "\n".join(c["text"] for s in rules.document(charter)["sections"] for c in s["clauses"])
    assert "16\u00a0h\u00a030" in text


# Clauses: wordings, own text, comments.


@pytest.mark.django_db
def test_members_comment_and_pilots_choose_wordings(client_of, alice, bob, org_a):
    charter = new_charter(org_a, alice)
    row = charter.clauses.get(clause_id=LIBRARY.clauses_for("plages-contact")[0].id)
    url = reverse("charters:clause", args=[org_a.slug, charter.pk, row.clause_id])
    response = client_of(bob).post(url, {"action": "comment", "text": "Et le mercredi ?"})
    assert response.status_code == 302
    assert row.comments.get().text == "Et le mercredi ?"
    assert client_of(bob).post(url, {"action": "save", "wording": row.wording_id}).status_code == 404
    response = client_of(alice).post(
        url, {"action": "save", "wording": row.wording_id, "custom_text": "Notre texte."}
    )
    assert response.status_code == 302
    section = next(s for s in rules.document(charter)["sections"] if s["slot"] == "plages-contact")
    assert section["clauses"][0]["text"] == "Notre texte." and section["clauses"][0]["custom"]


@pytest.mark.django_db
def test_tampered_wording_is_refused(client_of, alice, org_a):
    charter = new_charter(org_a, alice)
    row = charter.clauses.first()
    url = reverse("charters:clause", args=[org_a.slug, charter.pk, row.clause_id])
    response = client_of(alice).post(url, {"action": "save", "wording": "inventee"})
    assert response.status_code == 400
    row.refresh_from_db()
    assert row.wording_id != "inventee"
    response = client_of(alice).post(
        reverse("charters:clause_add", args=[org_a.slug, charter.pk]),
        {"clause": "inventee"},
        follow=True,
    )
    assert "n'existe pas dans la bibliothèque" in page_text(response)


# Exports and isolation.


@pytest.mark.django_db
def test_docx_and_pdf_exports_carry_references_and_notice(client_of, alice, org_a):
    charter = new_charter(org_a, alice)
    client = client_of(alice)
    docx = client.post(reverse("charters:export", args=[org_a.slug, charter.pk, "docx"]))
    assert docx["Content-Disposition"].endswith('.docx"')
    text = docx_text(docx.content)
    assert "Références juridiques citées" in text
    assert "Code du travail, article L1222-9 — version du 21/07/2023" in text
    assert "ne constitue pas un conseil juridique" in text
    assert "Rédaction non relue par un·e juriste." in text
    pdf = client.post(reverse("charters:export", args=[org_a.slug, charter.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF-")


@pytest.mark.django_db
def test_docx_of_another_organisations_charter_is_a_404(client_of, alice, dave, org_a, org_b):
    foreign = new_charter(org_b, dave)
    client = client_of(alice)
    for name, args in [
        ("charters:export", [org_a.slug, foreign.pk, "docx"]),
        ("charters:export", [org_b.slug, foreign.pk, "docx"]),
        ("charters:detail", [org_a.slug, foreign.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404


@pytest.mark.django_db
def test_ratification_kit_has_calendar_ballot_and_record(client_of, alice, org_a):
    org_a.headcount = 9
    org_a.save()
    charter = new_charter(org_a, alice, instrument=Instrument.RATIFIED)
    actions.set_communicated(charter, on=datetime.date(2026, 11, 2))
    response = client_of(alice).post(reverse("charters:kit", args=[org_a.slug, charter.pk]))
    text = docx_text(response.content)
    assert "Consultation possible à partir du : 17/11/2026" in text
    assert "6 voix « oui » sur 9" in text
    assert "Procès-verbal" in text and "personnel et secret" in text
    page = page_text(client_of(alice).get(charter.get_absolute_url()))
    assert "hors de Repères" in page and "Kit d'approbation" in page
    other = new_charter(org_a, alice, instrument=Instrument.CHARTER)
    assert client_of(alice).get(reverse("charters:kit", args=[org_a.slug, other.pk])).status_code == 404


@pytest.mark.django_db
def test_docx_round_trip_through_libreoffice(client_of, alice, org_a, tmp_path):
    """The DOCX opens in LibreOffice (headless) and its PDF holds the text."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice manque : lancez scripts/system-deps.sh (paquet libreoffice-writer-nogui)"
    charter = new_charter(org_a, alice)
    response = client_of(alice).post(reverse("charters:export", args=[org_a.slug, charter.pk, "docx"]))
    source = tmp_path / "charte.docx"
    source.write_bytes(response.content)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(tmp_path / "charte.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    flat = " ".join(text.split())
    assert "Les Jardins du Lien" in flat
    assert "Article 1" in flat and "pollution" in flat
    assert "Références juridiques citées" in flat
    assert "ne constitue pas un conseil juridique" in flat


@pytest.mark.django_db
def test_charter_and_usage_charter_become_actions_linked_to_them(client_of, alice, bob, org_a):
    charter = new_charter(org_a, alice)
    client = client_of(alice)
    response = client.post(reverse("charters:action", args=[org_a.slug, charter.pk]))
    action = org_a.actions.get()
    assert response["Location"] == action.get_absolute_url()
    assert action.document_url == charter.get_absolute_url() and action.social_dialogue
    page = page_text(client.get(action.get_absolute_url()))
    assert f'Document : <a href="{charter.get_absolute_url()}">{charter.title}</a>' in page
    client.post(reverse("telework:usage_document_action", args=[org_a.slug]))
    usage = org_a.actions.get(document_label__startswith="Charte d'usage")
    assert usage.document_url == reverse("telework:usage_document", args=[org_a.slug])
    assert usage.fiche == "temps-de-travail"
    assert (
        client_of(bob).post(reverse("telework:usage_document_action", args=[org_a.slug])).status_code == 404
    )


@pytest.mark.django_db
def test_usage_charter_cites_dated_references(client_of, alice, org_a):
    page = page_text(client_of(alice).get(reverse("telework:usage_document", args=[org_a.slug])))
    assert "Code du travail, article L2242-17 (7°), version du 01/01/2018" in page


@pytest.mark.django_db
def test_a_draft_can_be_deleted_but_not_a_text_with_history(client_of, alice, org_a):
    client = client_of(alice)
    draft = new_charter(org_a, alice)
    response = client.post(reverse("charters:delete", args=[org_a.slug, draft.pk]))
    assert response["Location"] == reverse("charters:list", args=[org_a.slug])
    assert not TeleworkCharter.objects.filter(pk=draft.pk).exists()
    submitted = new_charter(org_a, alice)
    actions.submit_charter(submitted, by=alice, on=datetime.date(2026, 11, 1))
    response = client.post(reverse("charters:delete", args=[org_a.slug, submitted.pk]), follow=True)
    assert "son historique est conservé" in page_text(response)
    assert TeleworkCharter.objects.filter(pk=submitted.pk).exists()


@pytest.mark.django_db
def test_oversized_own_text_and_comment_are_refused_and_nothing_is_lost(client_of, alice, org_a):
    charter = new_charter(org_a, alice)
    row = charter.clauses.first()
    url = reverse("charters:clause", args=[org_a.slug, charter.pk, row.clause_id])
    client = client_of(alice)
    response = client.post(url, {"action": "save", "wording": row.wording_id, "custom_text": "x" * 6001})
    assert response.status_code == 400
    assert "au plus 6000 caractères" in page_text(response).replace("\u202f", " ")
    assert "x" * 6001 in page_text(response)  # what was typed is shown again
    row.refresh_from_db()
    assert row.custom_text == ""
    response = client.post(url, {"action": "comment", "text": "y" * 2001})
    assert response.status_code == 400
    assert "y" * 2001 in page_text(response)
    assert not row.comments.exists()
