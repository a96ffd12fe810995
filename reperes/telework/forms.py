from django import forms

from reperes.lib.forms import TIME_INPUT
from reperes.telework.inventory import WORKING_DAYS_PER_MONTH
from reperes.telework.models import Activity, InformationFlow, Tool, UsageCharter

USE_CHOICES = [
    (-5, "Tout pour le travail quotidien"),
    (-3, "Surtout pour le travail quotidien"),
    (0, "Les deux"),
    (3, "Surtout pour la vie collective"),
    (5, "Tout pour la vie collective de la structure"),
]
REACH_CHOICES = [
    (5, "Imposée : envoyée à chacun (mail, SMS, réunion)"),
    (3, "Plutôt imposée"),
    (0, "Entre les deux"),
    (-3, "Plutôt en accès libre"),
    (-5, "En accès libre : on va la chercher (dossier partagé, intranet)"),
]


class ActivityForm(forms.ModelForm):
    class Meta:
        model = Activity
        fields = [
            "title",
            "role",
            "description",
            "frequency",
            "on_site_needs",
            "remote",
            "conditions",
            "groupable",
            "days_per_month",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "on_site_needs": forms.Textarea(attrs={"rows": 2}),
            "conditions": forms.Textarea(attrs={"rows": 2}),
            "remote": forms.RadioSelect,
        }

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("remote") == "partly" and not (cleaned.get("conditions") or "").strip():
            self.add_error(
                "conditions",
                "Pour une activité faisable « en partie » à distance, dites à quelles conditions.",
            )
        days = cleaned.get("days_per_month") or 0
        if days > WORKING_DAYS_PER_MONTH:
            self.add_error(
                "days_per_month", f"Un mois compte environ {WORKING_DAYS_PER_MONTH} jours travaillés."
            )
        if days and not cleaned.get("groupable"):
            self.add_error("days_per_month", "Cochez d'abord « peut se regrouper en journées entières ».")
        if cleaned.get("remote") == "no":
            cleaned["groupable"] = False
            cleaned["days_per_month"] = 0
        return cleaned


class MarkForm(forms.Form):
    does_it = forms.BooleanField(label="Je fais cette activité", required=False)
    wishes_remote = forms.BooleanField(label="Je souhaiterais la faire à distance", required=False)


class FlowForm(forms.ModelForm):
    """Placing a flow works with this form (and so by keyboard): five steps on each axis."""

    current_x = forms.TypedChoiceField(
        label="Aujourd'hui, elle sert…", choices=USE_CHOICES, coerce=int, initial=0
    )
    current_y = forms.TypedChoiceField(
        label="Aujourd'hui, elle arrive…", choices=REACH_CHOICES, coerce=int, initial=0
    )
    target_x = forms.TypedChoiceField(
        label="Demain, elle devrait servir…",
        choices=[("", "Sans changement")] + USE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    target_y = forms.TypedChoiceField(
        label="Demain, elle devrait arriver…",
        choices=[("", "Sans changement")] + REACH_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = InformationFlow
        fields = ["name", "current_x", "current_y", "target_x", "target_y"]

    def clean(self):
        cleaned = super().clean()
        target = (cleaned.get("target_x"), cleaned.get("target_y"))
        if (target[0] is None) != (target[1] is None):
            # One axis given: the other stays where it is today.
            cleaned["target_x"] = target[0] if target[0] is not None else cleaned.get("current_x")
            cleaned["target_y"] = target[1] if target[1] is not None else cleaned.get("current_y")
        return cleaned


class ToolForm(forms.ModelForm):
    class Meta:
        model = Tool
        fields = ["name", "purpose", "reply_delay", "hours_from", "hours_to", "urgent_channel"]
        widgets = {"hours_from": TIME_INPUT, "hours_to": TIME_INPUT}

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("hours_from"), cleaned.get("hours_to")
        if (start is None) != (end is None):
            self.add_error("hours_to", "Indiquez les deux heures, ou aucune.")
        elif start and end and end <= start:
            self.add_error("hours_to", "L'heure de fin doit venir après l'heure de début.")
        return cleaned


TEXTS = ["importance_levels", "quiet_slots", "overconnection_alert", "awareness_actions"]


class UsageCharterForm(forms.ModelForm):
    class Meta:
        model = UsageCharter
        fields = ["disconnect_from", "disconnect_to", "weekend", *TEXTS]
        widgets = {
            "disconnect_from": TIME_INPUT,
            "disconnect_to": TIME_INPUT,
            **{name: forms.Textarea(attrs={"rows": 3}) for name in TEXTS},
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("disconnect_from"), cleaned.get("disconnect_to")
        if (start is None) != (end is None):
            self.add_error("disconnect_to", "Indiquez le début et la fin de la période de déconnexion.")
        elif start and end and start == end:
            self.add_error("disconnect_to", "Le début et la fin ne peuvent pas être à la même heure.")
        return cleaned
