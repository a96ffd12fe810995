from django import forms

from reperes.telework.inventory import WORKING_DAYS_PER_MONTH
from reperes.telework.models import Activity


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
