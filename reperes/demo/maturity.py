"""Demo data for the digital-maturity self-diagnostic: one organisation answers it twice, about
six months apart, through the same actions as the pages. Called by seed_demo after the content is
loaded: `seed_maturity(organisation, lead)`."""

from datetime import timedelta

from django.utils import timezone

from reperes.maturity import actions
from reperes.maturity.models import Assessment

# Points (0–3) per statement of each dimension, first time, then six months later: better on
# most dimensions, a little worse on security (a backup left untested), the same on inclusion.
FIRST = {
    "equipement": [2, 1, 1, 0, 1],
    "communication": [3, 1, 1, 2, 0],
    "collaboration": [1, 1, 0, 1, 0],
    "securite": [2, 1, 2, 1, 1],
    "distance": [1, 0, 1, 1, 0],
    "competences": [0, 1, 1, 0, 1],
    "sens": [0, 1, 0, 0, 1],
    "inclusion": [1, 1, 2, 0, 0],
}
SECOND = {
    "equipement": [3, 2, 2, 1, 2],
    "communication": [3, 2, 2, 2, 1],
    "collaboration": [3, 2, 2, 2, 1],
    "securite": [2, 0, 2, 1, 1],
    "distance": [2, 2, 2, 2, 1],
    "competences": [1, 2, 2, 1, 1],
    "sens": [2, 2, 1, 1, 2],
    "inclusion": [1, 1, 2, 0, 0],
}
NOTES = {
    "distance": "La charte de télétravail est signée ; reste à préparer les responsables d'équipe.",
    "securite": "Personne n'a refait d'essai de restauration depuis le changement de prestataire.",
}


def _answer(organisation, lead, *, points_by_dimension, mode, notes, completed_at):
    assessment, _ = actions.start_assessment(organisation, mode=mode, by=lead)
    by_points = {choice["points"]: choice["value"] for choice in assessment.spec.scale["choices"]}
    for dimension in assessment.dimensions:
        points = points_by_dimension[dimension["id"]]
        answers = {
            item["id"]: by_points[points[position % len(points)]]
            for position, item in enumerate(dimension["items"])
        }
        actions.save_answers(assessment, dimension["id"], answers, notes.get(dimension["id"], ""), by=lead)
    assessment = actions.complete_assessment(assessment, by=lead)
    # Backdated afterwards: the actions date things now.
    Assessment.objects.filter(pk=assessment.pk).update(
        created_at=completed_at - timedelta(days=1), completed_at=completed_at
    )
    return Assessment.objects.get(pk=assessment.pk)


def seed_maturity(organisation, lead):
    """Two completed assessments of `organisation` by `lead`, about six months apart; returns
    them (earlier, later). Does nothing (returns the existing ones) if it already answered."""
    done = list(Assessment.objects.filter(organisation=organisation).completed().order_by("completed_at"))
    if len(done) >= 2:
        return done[0], done[-1]
    now = timezone.now()
    first = _answer(
        organisation,
        lead,
        points_by_dimension=FIRST,
        mode=Assessment.Mode.PILOTS,
        notes={},
        completed_at=now - timedelta(days=190),
    )
    second = _answer(
        organisation,
        lead,
        points_by_dimension=SECOND,
        mode=Assessment.Mode.MEETING,
        notes=NOTES,
        completed_at=now - timedelta(days=7),
    )
    return first, second
