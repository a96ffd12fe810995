"""Demo team exercises of Les Jardins du Lien (Alice): the review of a shared calendar before
adopting it, one decision already in the action plan, and the team's working-time compromise.
Built through the actions the views call."""

from reperes.exercises.actions import entry_to_action, save_entries, start_exercise


def seed_exercises(organisation, lead):
    review, _ = start_exercise(
        organisation,
        by=lead,
        kind="tool_review",
        title="Revue de l'agenda partagé",
        tool_name="Agenda partagé",
        family="collaboration",
        stage="before",
    )
    save_entries(
        review,
        by=lead,
        title=review.title,
        entries={
            "sens": {
                "notes": "Savoir qui est au jardin, qui est chez un partenaire, sans appeler tout le monde.",
                "decision": "keep",
                "agreed": "Un agenda pour l'équipe, pas pour surveiller",
            },
            "utilite": {
                "notes": "Utile aux encadrant·es ; deux personnes en insertion n'ont pas de smartphone.",
                "decision": "adjust",
                "agreed": "Afficher aussi le planning de la semaine au local",
            },
            "regles": {
                "notes": "Des invitations arrivent le soir pour le lendemain matin.",
                "decision": "adjust",
                "agreed": "Pas d'invitation après 18 h pour le lendemain",
            },
        },
    )
    entry_to_action(review, "regles", by=lead)
    compromise, _ = start_exercise(
        organisation, by=lead, kind="time_compromise", title="Notre compromis sur le temps de travail"
    )
    save_entries(
        compromise,
        by=lead,
        title=compromise.title,
        entries={
            "disponibilite": {"notes": "", "decision": "", "agreed": "On se joint de 8 h 30 à 17 h 30"},
            "deconnexion": {
                "notes": "Le week-end, seulement pour une urgence sur les cultures.",
                "decision": "",
                "agreed": "Pas de message le soir après 19 h ni le week-end",
            },
            "urgence": {
                "notes": "",
                "decision": "",
                "agreed": "Une urgence passe par le téléphone, jamais par mail",
            },
            "reunions": {
                "notes": "",
                "decision": "",
                "agreed": "Réunion d'équipe le mardi à 9 h, une heure au plus",
            },
        },
    )
