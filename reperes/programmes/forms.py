from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from reperes.lib.forms import DATE_INPUT, TIME_INPUT, SingleLineField
from reperes.programmes.models import (
    Attendance,
    Cohort,
    Enrolment,
    NetworkEvent,
    Participant,
    Programme,
    Workshop,
)

PARIS = ZoneInfo("Europe/Paris")
MAX_TEXT = 5000


class CohortCreateForm(forms.Form):
    programme = forms.ModelChoiceField(
        label="Parcours",
        queryset=Programme.objects.all(),
        widget=forms.RadioSelect,
        empty_label=None,
        # Another network's programme is refused as one that does not exist.
        error_messages={"required": "Choisissez un parcours.", "invalid_choice": "Ce parcours n'existe pas."},
    )
    name = SingleLineField(
        label="Nom de la cohorte", max_length=200, help_text="Par exemple « Charente, automne 2026 »."
    )
    places = forms.IntegerField(
        label="Nombre de structures accueillies", min_value=1, max_value=60, initial=8
    )
    location = SingleLineField(label="Lieu habituel des ateliers", max_length=200, required=False)
    applications_close_on = forms.DateField(
        label="Fin des candidatures",
        required=False,
        widget=DATE_INPUT,
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        # The shipped programmes and the network's own published ones, never another network's.
        self.fields["programme"].queryset = (
            Programme.objects.available_to(network)
            .filter(versions__isnull=False)
            .distinct()
            .order_by("title")
        )


class CohortForm(forms.ModelForm):
    name = SingleLineField(label="Nom de la cohorte", max_length=200)

    class Meta:
        model = Cohort
        fields = ["name", "state", "places", "location", "applications_close_on", "partners", "funders"]
        widgets = {
            "applications_close_on": DATE_INPUT,
            "partners": forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
            "funders": forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
        }
        help_texts = {
            "state": "« Candidatures ouvertes » publie l'appel à candidatures aux structures du réseau."
        }


class SpeakerForm(forms.Form):
    name = SingleLineField(label="Nom", max_length=200)
    organisation_name = SingleLineField(label="Structure", max_length=200, required=False)
    role = SingleLineField(
        label="Rôle", max_length=200, required=False, help_text="Par exemple « conseiller prud'homal »."
    )


class ScheduleForm(forms.Form):
    precision = forms.ChoiceField(
        label="Ce que l'on sait de la date", choices=Workshop.Precision.choices, widget=forms.RadioSelect
    )
    date = forms.DateField(label="Jour", required=False, widget=DATE_INPUT)
    time = forms.TimeField(
        label="Heure de début",
        required=False,
        widget=TIME_INPUT,
    )
    week_of = forms.DateField(
        label="Semaine du (un jour de la semaine)",
        required=False,
        widget=DATE_INPUT,
    )
    poll_closes_on = forms.DateField(
        label="Les participant·es répondent jusqu'au",
        required=False,
        widget=DATE_INPUT,
    )
    month = forms.DateField(
        label="Mois (un jour du mois)",
        required=False,
        widget=DATE_INPUT,
    )
    location = SingleLineField(label="Lieu", max_length=200, required=False)
    remote_link = forms.URLField(
        label="Lien de connexion à distance",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Pour un atelier sur place aussi : une solution de repli pour qui ne peut pas venir.",
    )
    task_due_on = forms.DateField(
        label="Travail d'intersession à rendre le",
        required=False,
        widget=DATE_INPUT,
    )

    @classmethod
    def for_workshop(cls, workshop, data=None):
        starts = timezone.localtime(workshop.starts_at, PARIS) if workshop.starts_at else None
        return cls(
            data,
            initial={
                "precision": workshop.precision,
                "date": starts.date() if starts else None,
                "time": starts.time() if starts else None,
                "week_of": workshop.week_of,
                "poll_closes_on": workshop.poll_closes_on,
                "month": workshop.month,
                "location": workshop.location,
                "remote_link": workshop.remote_link,
                "task_due_on": workshop.task_due_on,
            },
        )

    def clean(self):
        data = super().clean()
        precision = data.get("precision")
        if precision == Workshop.Precision.EXACT:
            if not data.get("date") or not data.get("time"):
                self.add_error("date", "Indiquez le jour et l'heure de début.")
            else:
                data["starts_at"] = timezone.make_aware(
                    timezone.datetime.combine(data["date"], data["time"]), PARIS
                )
        elif precision == Workshop.Precision.WEEK and not data.get("week_of"):
            self.add_error("week_of", "Indiquez un jour de la semaine choisie.")
        elif precision == Workshop.Precision.MONTH and not data.get("month"):
            self.add_error("month", "Indiquez un jour du mois choisi.")
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("accept", "Accepter"), ("decline", "Ne pas retenir")], widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label="Motif (envoyé à la structure)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 1000}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label="Note", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 4, "maxlength": MAX_TEXT})
    )
    is_private = forms.BooleanField(
        label="Réservée aux accompagnateur·rices (la structure ne la voit pas)", required=False
    )


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Bilan", choices=[("", "Pas encore noté"), *Enrolment.Outcome.choices], required=False
    )
    reason = forms.CharField(
        label="Pourquoi",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
        help_text="Par exemple : manque de temps, changement de direction, "
        "démarche intégrée au projet associatif…",
    )


class FaqEntryForm(forms.Form):
    question = forms.CharField(
        label="Question reformulée",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
    )
    answer = forms.CharField(
        label="Réponse de l'expert·e",
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": MAX_TEXT}),
    )
    question_ids = forms.MultipleChoiceField(
        label="Questions regroupées", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["question_ids"].choices = [(str(q.pk), q.text[:200]) for q in questions]


class MessageForm(forms.Form):
    subject = SingleLineField(label="Objet", max_length=150)
    body = forms.CharField(
        label="Message", max_length=MAX_TEXT, widget=forms.Textarea(attrs={"rows": 8, "maxlength": MAX_TEXT})
    )


# The organisation's side


class ParticipantsForm(forms.Form):
    """Who attends: one or more members, or a named pair where the programme asks for one."""

    def __init__(self, *args, organisation, spec, current=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.spec = spec
        memberships = organisation.memberships.select_related("user").order_by("user__name", "user__email")
        choices = [("", "Choisir…")] + [(str(m.pk), f"{m.user.name or m.user.email}") for m in memberships]
        self.memberships = {str(m.pk): m for m in memberships}
        current = list(current)
        if spec.enrolment == "pair":
            self.slots = [(role, Participant.PairRole(role).label) for role in spec.pair_roles]
        else:
            self.slots = [("", f"Participant·e {n}") for n in range(1, spec.max_participants + 1)]
        for n, (role, label) in enumerate(self.slots):
            initial = (
                next((str(p.membership_id) for p in current if (p.pair_role == role if role else True)), None)
                if role
                else (str(current[n].membership_id) if n < len(current) else None)
            )
            self.fields[f"person_{n}"] = forms.ChoiceField(
                label=label, choices=choices, required=n == 0 or bool(role), initial=initial
            )

    def clean(self):
        data = super().clean()
        chosen = []
        for n, (role, _) in enumerate(self.slots):
            value = data.get(f"person_{n}")
            if value:
                chosen.append((self.memberships[value], role))
        data["participants"] = chosen
        return data


class ApplicationForm(ParticipantsForm):
    motivation = forms.CharField(
        label="Pourquoi souhaitez-vous suivre ce parcours ?",
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": 3000}),
        help_text="Quelques lignes suffisent : votre situation, ce que vous en attendez.",
    )
    management_commitment = forms.BooleanField(
        label="La direction s'engage à libérer le temps des participant·es et à suivre la démarche",
        required=False,
    )


class JoinForm(ParticipantsForm):
    code = forms.CharField(
        label="Code d'inscription",
        max_length=20,
        help_text="Huit caractères, donnés par votre accompagnateur·rice.",
    )


class PollForm(forms.Form):
    days = forms.MultipleChoiceField(
        label="Les jours qui vous conviennent", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [(day.isoformat(), f"{day:%d/%m}") for day in workshop.poll_days()]

    def clean_days(self):
        return [timezone.datetime.fromisoformat(day).date() for day in self.cleaned_data["days"]]


class HandInForm(forms.Form):
    text = forms.CharField(
        label="Ce que nous avons fait",
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_TEXT}),
    )
    files = forms.FileField(
        label="Joindre une copie (PDF ou DOCX exporté de Repères : plan d'action, projet de charte)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
        help_text="5 Mo au plus. C'est une copie : rien de votre espace n'est ouvert.",
    )


class QuestionForm(forms.Form):
    text = forms.CharField(
        label="Votre question pour l'expert·e",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": 2000}),
        help_text="Seule l'équipe d'animation la lit, pas même l'autre personne de votre structure. "
        "Elle sera reformulée sans nom dans la foire aux questions.",
    )


def attendance_fields(workshop, participants):
    """The name of each attendance field, for the attendance form."""
    return [
        (participant, half, f"a-{participant.pk}-{half}")
        for participant in participants
        for half in workshop.halves
    ]


ATTENDANCE_CHOICES = [("", "Non noté"), *Attendance.Status.choices]


# Network events


class EventForm(forms.ModelForm):
    title = SingleLineField(label="Titre", max_length=200)
    region = forms.ChoiceField(label="Région", required=False)

    class Meta:
        model = NetworkEvent
        fields = [
            "kind",
            "title",
            "description",
            "region",
            "cohort",
            "format",
            "location",
            "remote_link",
            "replay_link",
            "registrations_open",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 4, "maxlength": 3000})}

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        from reperes.organisations import reference

        self.fields["region"].choices = [("", "National (toutes les régions)")] + reference.choices("regions")
        self.fields["cohort"].queryset = network.cohorts.all()
        self.fields["cohort"].required = False
        for name in ("remote_link", "replay_link"):
            self.fields[name].assume_scheme = "https"


class SessionsForm(forms.Form):
    """Up to four sessions at creation (a regional conference had four)."""

    MAX = 4

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, self.MAX + 1):
            required = n == 1
            self.fields[f"date_{n}"] = forms.DateField(
                label=f"Séance {n} : jour", required=required, widget=DATE_INPUT
            )
            self.fields[f"time_{n}"] = forms.TimeField(
                label=f"Séance {n} : heure", required=required, widget=TIME_INPUT
            )
            self.fields[f"duration_{n}"] = forms.IntegerField(
                label=f"Séance {n} : durée (minutes)",
                required=required,
                min_value=15,
                max_value=600,
                initial=90,
            )
            self.fields[f"title_{n}"] = SingleLineField(
                label=f"Séance {n} : intitulé", max_length=200, required=False
            )

    def clean(self):
        data = super().clean()
        sessions = []
        for n in range(1, self.MAX + 1):
            day, time, duration = data.get(f"date_{n}"), data.get(f"time_{n}"), data.get(f"duration_{n}")
            if day and time and duration:
                starts_at = timezone.make_aware(timezone.datetime.combine(day, time), PARIS)
                sessions.append((starts_at, duration, data.get(f"title_{n}", "")))
            elif day or time:
                self.add_error(f"date_{n}", f"Séance {n} : indiquez le jour, l'heure et la durée.")
        data["sessions"] = sessions
        return data


class ReachForm(forms.Form):
    host_views = forms.IntegerField(
        label="Vues selon l'hébergeur vidéo (direct et replay)",
        required=False,
        min_value=0,
        max_value=10_000_000,
    )

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        self.sessions = [s for s in sessions if s.has_taken_place and not s.is_cancelled]
        for session in self.sessions:
            self.fields[f"live_{session.pk}"] = forms.IntegerField(
                label=f"Séance {session.number} : personnes présentes ou connectées en direct",
                required=False,
                min_value=0,
                max_value=1_000_000,
                initial=session.live_attendance,
            )

    def clean(self):
        data = super().clean()
        data["live_attendance"] = {s: data.get(f"live_{s.pk}") for s in self.sessions}
        return data


class CoFacilitatorForm(forms.Form):
    """A co-facilitator, among the network's facilitators and administrators not yet in."""

    user = forms.ModelChoiceField(
        label="Ajouter à l'animation",
        queryset=None,
        empty_label="Choisir…",
        error_messages={"invalid_choice": "Cette personne ne fait pas partie de l'équipe du réseau."},
    )

    def __init__(self, *args, cohort, **kwargs):
        super().__init__(*args, **kwargs)
        from reperes.accounts.models import User

        self.fields["user"].queryset = (
            User.objects.filter(
                network_memberships__network=cohort.network,
                network_memberships__role__in=["admin", "facilitator"],
            )
            .exclude(facilitated_cohorts=cohort)
            .order_by("name")
        )
        self.fields["user"].label_from_instance = lambda user: user.name or user.email


class SessionMoveForm(forms.Form):
    date = forms.DateField(label="Jour", widget=DATE_INPUT)
    time = forms.TimeField(label="Heure", widget=TIME_INPUT)
    duration_minutes = forms.IntegerField(label="Durée (minutes)", min_value=15, max_value=600)

    @classmethod
    def for_session(cls, session):
        starts = timezone.localtime(session.starts_at, PARIS)
        return cls(
            prefix=f"s{session.number}",
            initial={
                "date": starts.date(),
                "time": starts.time(),
                "duration_minutes": session.duration_minutes,
            },
        )

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time"):
            data["starts_at"] = timezone.make_aware(
                timezone.datetime.combine(data["date"], data["time"]), PARIS
            )
        return data
