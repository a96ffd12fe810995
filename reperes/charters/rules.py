"""The telework charter builder's rules: which route applies to a structure, which mandatory
contents a draft covers, parameter checks and the document as the page, the PDF and the DOCX
render it. Everything here reads the clause library (charters.library) and plain values, so that
it can be tested without a database."""

import datetime

from reperes.charters.library import get_library
from reperes.charters.models import Instrument
from reperes.legal.references import NOT_LEGAL_ADVICE, cited

RATIFICATION_DELAY_DAYS = 15  # L2232-21: the vote at the earliest 15 days after the draft is communicated
# Instruments whose text must hold the seven contents of L1222-9 II before it is final.
BINDING_INSTRUMENTS = {Instrument.AGREEMENT, Instrument.RATIFIED, Instrument.CHARTER}


def ratification_open_to(organisation):
    """L2232-21 and L2232-23: under 11 without a union delegate, 11 to 20 without a union delegate
    nor an elected staff representative (here: a CSE)."""
    if organisation.has_union_delegate:
        return False
    if organisation.headcount < 11:
        return True
    return organisation.headcount <= 20 and not organisation.has_cse


def routes(organisation):
    """Each instrument with whether it fits this structure and why, in two sentences."""
    headcount = organisation.headcount
    people = f"{headcount} salarié·e{'s' if headcount > 1 else ''}"
    result = []
    if organisation.has_union_delegate:
        agreement = (
            True,
            "Avec un·e délégué·e syndical·e, le télétravail se négocie de préférence avec elle ou lui : "
            "l'accord signé devient la règle commune. C'est la voie que la loi cite en premier (L1222-9 I).",
        )
    else:
        agreement = (
            False,
            "Un accord collectif se négocie avec un·e délégué·e syndical·e, que votre structure n'a pas. "
            "Selon votre effectif, d'autres façons de conclure un accord existent (élu·es du CSE, salarié·e "
            "mandaté·e, ou approbation par le personnel ci-dessous).",
        )
    if ratification_open_to(organisation):
        ratified = (
            True,
            f"Avec {people} et sans délégué·e syndical·e{'' if headcount < 11 else ' ni élu·e au CSE'}, "
            "vous pouvez proposer un projet d'accord au personnel. Approuvé par les deux tiers de tout "
            "le personnel, lors d'un vote personnel et secret organisé hors de la présence de l'employeur "
            "au moins 15 jours après sa communication, il vaut accord d'entreprise (L2232-21 à L2232-23).",
        )
    else:
        ratified = (
            False,
            "L'approbation d'un projet d'accord par les deux tiers du personnel est réservée aux "
            "structures de moins de 11 salarié·es sans délégué·e syndical·e, et à celles de 11 à 20 "
            "sans délégué·e syndical·e ni élu·e au CSE (L2232-21 à L2232-23). Avec "
            f"{people}, elle ne s'applique pas à la vôtre.",
        )
    cse = "après avis de votre CSE" if organisation.has_cse else "seule, puisque vous n'avez pas de CSE"
    charter = (
        True,
        f"À défaut d'accord collectif, la direction rédige une charte, {cse} (L1222-9 I). Elle s'applique "
        "à toute l'équipe et doit contenir les sept points que liste la loi.",
    )
    individual = (
        True,
        "Sans accord ni charte, le télétravail peut être convenu avec chaque salarié·e, par tout moyen (un "
        "courriel suffit, L1222-9 I). Simple pour une ou deux personnes, cette voie laisse chacun·e négocier "
        "seul·e : le panneau des sept points y est un conseil, pas une obligation.",
    )
    for instrument, (fits, text) in [
        (Instrument.AGREEMENT, agreement),
        (Instrument.RATIFIED, ratified),
        (Instrument.CHARTER, charter),
        (Instrument.INDIVIDUAL, individual),
    ]:
        result.append({"instrument": instrument, "label": instrument.label, "fits": fits, "text": text})
    return result


def covered_slots(chosen, library=None):
    """The slots the chosen clauses (CharterClause rows) fill; withdrawn clauses fill none."""
    library = library or get_library()
    covered = set()
    for row in chosen:
        if clause := library.clauses.get(row.clause_id):
            covered.update(clause.covers)
    return covered


def missing_contents(covered_slot_ids, library=None):
    """The mandatory slots (L1222-9 II) not covered, in the order of the law."""
    library = library or get_library()
    covered = set(covered_slot_ids)
    return [slot for slot in library.mandatory_slots if slot.id not in covered]


def blocks_when_incomplete(instrument):
    return instrument in BINDING_INSTRUMENTS


def parameter_values(stored, library=None):
    """The charter's parameters with the library's defaults for those not set."""
    library = library or get_library()
    return {key: stored.get(key, parameter.default) for key, parameter in library.parameters.items()}


def check_parameters(values, library=None):
    """{parameter id: French error} for values out of range or inconsistent with each other."""
    library = library or get_library()
    errors = {}
    parsed = {}
    for key, parameter in library.parameters.items():
        value = values.get(key, parameter.default)
        if parameter.type == "int":
            try:
                value = int(value)
            except (TypeError, ValueError):
                errors[key] = "Indiquez un nombre entier."
                continue
            if not parameter.minimum <= value <= parameter.maximum:
                errors[key] = f"Indiquez un nombre entre {parameter.minimum} et {parameter.maximum}."
                continue
        else:
            try:
                value = datetime.time.fromisoformat(str(value))
            except ValueError:
                errors[key] = "Indiquez une heure au format HH:MM, par exemple 09:30."
                continue
        parsed[key] = value
    for key, parameter in library.parameters.items():
        if key not in parsed:
            continue
        if parameter.at_most and parameter.at_most in parsed and parsed[key] > parsed[parameter.at_most]:
            other = library.parameters[parameter.at_most]
            errors[key] = (
                f"Ce nombre ne peut pas dépasser « {other.label.lower()} » ({parsed[parameter.at_most]})."
            )
        if parameter.after and parameter.after in parsed and parsed[key] <= parsed[parameter.after]:
            errors[key] = f"Cette heure doit venir après {format_time(parsed[parameter.after])}."
    return errors


def format_time(value):
    """« 9 h 30 », « 17 h »: French writes hours this way in a text."""
    if isinstance(value, str):
        value = datetime.time.fromisoformat(value)
    # Non-breaking spaces: « 9 h 30 » never splits across lines.
    return f"{value.hour}\u00a0h" + (f"\u00a0{value.minute:02d}" if value.minute else "")


def display_values(values, library):
    """Parameter values as they read in a clause: « 9 h 30 », « 2 »."""
    shown = {}
    for key, parameter in library.parameters.items():
        value = values[key]
        shown[key] = format_time(value) if parameter.type == "time" else str(value)
    return shown


def fill(wording, values, library):
    """A wording's text with the charter's parameters in place of its placeholders."""
    return wording.text.format_map(display_values(values, library))


def clause_text(chosen, clause, values, library):
    """The text of a chosen clause: the team's own, or the chosen wording filled in."""
    if chosen.custom_text.strip():
        return chosen.custom_text.strip()
    return fill(clause.wording(chosen.wording_id), values, library)


def document(charter, *, chosen=None, library=None):
    """The charter as a plain dict (JSON-ready, stored in versions): its sections in the order of
    the library's slots, the mandatory contents covered or missing, and the references cited."""
    library = library or get_library()
    chosen = list(charter.clauses.all()) if chosen is None else chosen
    values = parameter_values(charter.parameters, library)
    by_slot = {}
    covered = covered_slots(chosen, library)
    reference_ids = []
    for row in chosen:
        clause = library.clauses.get(row.clause_id)
        if clause is None:  # withdrawn from the library: kept in the database, left out of the text
            continue
        wording = clause.wording(row.wording_id)
        reference_ids += [basis.ref for basis in clause.basis]
        by_slot.setdefault(clause.slot, []).append(
            {
                "clause_id": clause.id,
                "title": clause.title,
                "text": clause_text(row, clause, values, library),
                "wording": wording.label,
                "custom": bool(row.custom_text.strip()),
                "reviewed": wording.reviewed and not row.custom_text.strip(),
                "basis": [str(basis) for basis in clause.basis],
                "fiche": clause.fiche,
            }
        )
    sections = []
    for slot in library.slots.values():
        if slot.id in by_slot:
            reference_ids += [basis.ref for basis in slot.basis]
            sections.append(
                {
                    "slot": slot.id,
                    "label": slot.label,
                    "mandatory": slot.mandatory,
                    "clauses": by_slot[slot.id],
                }
            )
    missing = missing_contents(covered, library)
    return {
        "title": charter.title,
        "organisation": charter.organisation.name,
        "instrument": charter.get_instrument_display(),
        "status": charter.get_status_display(),
        "version": charter.version,
        "sections": sections,
        "mandatory": [
            {"slot": slot.id, "label": slot.label, "covered": slot.id in covered, "basis": str(slot.basis[0])}
            for slot in library.mandatory_slots
        ],
        "missing": [slot.label for slot in missing],
        "unreviewed": any(not c["reviewed"] for s in sections for c in s["clauses"]),
        "references": [
            {"label": ref.label, "version_date": ref.version_date.isoformat(), "url": ref.url}
            for ref in cited(reference_ids)
        ],
        "notice": NOT_LEGAL_ADVICE,
    }
