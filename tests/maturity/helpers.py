"""Helpers for the maturity tests: the real definition, answers by points."""

from reperes.instruments.definition import DEFINITIONS_DIR, parse_definition
from reperes.instruments.loading import load_definitions
from reperes.instruments.models import Questionnaire
from reperes.maturity import actions

MATURITY_FILE = DEFINITIONS_DIR / "maturite-numerique.yaml"


def definition():
    return parse_definition(MATURITY_FILE.read_text(encoding="utf-8"), source=MATURITY_FILE.name)


def load():
    """Load the questionnaire files once per test database."""
    if not Questionnaire.objects.filter(slug="maturite-numerique").exists():
        load_definitions()


VALUE_OF = {3: "etabli", 2: "en-bonne-partie", 1: "quelques-initiatives", 0: "pas-encore"}


def answer_all(assessment, points=2, *, by, per_dimension=None):
    """Answer every statement with `points` (or per_dimension[id]), dimension by dimension."""
    for dimension in assessment.dimensions:
        value = VALUE_OF[(per_dimension or {}).get(dimension["id"], points)]
        actions.save_answers(
            assessment, dimension["id"], {item["id"]: value for item in dimension["items"]}, "", by=by
        )
    assessment.refresh_from_db()
    return assessment


def completed(organisation, by, points=2, per_dimension=None, mode="pilots"):
    load()
    assessment, _ = actions.start_assessment(organisation, mode=mode, by=by)
    answer_all(assessment, points, by=by, per_dimension=per_dimension)
    return actions.complete_assessment(assessment, by=by)
