from django import forms
from django.forms.models import fields_for_model, model_to_dict

from reperes.lib.forms import DATE_INPUT, SingleLineField
from reperes.listings.models import Listing
from reperes.matchmaking.actions import CALIBRATION_FIELDS, FOLLOW_UP_FIELDS
from reperes.matchmaking.models import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH, Case, profit_reason

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class CaseForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label="Structure qui a le besoin",
        queryset=None,
        error_messages={"invalid_choice": "Cette structure ne fait pas partie du réseau."},
    )
    category = forms.ChoiceField(label="Catégorie de partage", choices=Listing.Category.choices)
    title = SingleLineField(label="Intitulé du dossier", max_length=150)
    need = forms.CharField(
        label="Besoin exprimé",
        max_length=TEXT_MAX_LENGTH,
        widget=TEXTAREA,
        help_text="Avec les mots de la structure : ce qu'elle demande, pourquoi, pour quand.",
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = network.organisations.order_by("name")


class DiagnosticForm(forms.Form):
    sought = forms.CharField(
        label="Ce qui est réellement recherché",
        max_length=TEXT_MAX_LENGTH,
        widget=TEXTAREA,
        help_text="Après l'échange avec la structure : le besoin de fond, pas seulement la demande.",
    )
    notes = forms.CharField(
        label="Notes du diagnostic", max_length=TEXT_MAX_LENGTH, widget=TEXTAREA, required=False
    )


CALIBRATION_HELP = {
    "planned_volume": "En heures ou en jours, selon l'unité choisie, sur toute la durée.",
    "arrangement": "Un prêt de personnel ou un emploi partagé ouvre l'accompagnement juridique.",
    "lender_side": "Pour un prêt de main-d'œuvre : la structure qui emploie la personne.",
    "invoiced": "Pour un prêt : ce que la structure prêteuse facturera, au plus le salaire, "
    "les charges et les frais.",
    "post_features": "Par exemple un travail de nuit, un poste à risque, des déplacements.",
    "trial_period": "Si un élément essentiel du contrat change (lieu, horaires, fonctions) : sa durée.",
}


class CalibrationForm(forms.Form):
    """The calibration fields of Case, checked as the action checks them (no profit)."""

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, initial=model_to_dict(case, fields=CALIBRATION_FIELDS), **kwargs)
        self.fields.update(
            fields_for_model(
                Case,
                fields=CALIBRATION_FIELDS,
                widgets={
                    "starts_on": DATE_INPUT,
                    "ends_on": DATE_INPUT,
                    "shared_what": TEXTAREA,
                    "roles": TEXTAREA,
                },
                help_texts=CALIBRATION_HELP,
            )
        )
        self.fields["arrangement"].required = True

    def clean(self):
        data = super().clean()
        reason = profit_reason(
            **{k: data.get(k) for k in ("arrangement", "salary", "charges", "expenses", "invoiced")}
        )
        if reason:
            self.add_error("invoiced", reason)
        if data.get("arrangement") == Case.Arrangement.LENDING and not data.get("lender_side"):
            self.add_error("lender_side", "Dites quelle structure prête la personne salariée.")
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "La fin prévue précède le début.")
        return data


class ListingForm(forms.Form):
    listing = forms.ModelChoiceField(
        label="Annonce",
        queryset=None,
        error_messages={"invalid_choice": "Cette annonce n'est pas celle d'une structure du réseau."},
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["listing"].queryset = (
            Listing.objects.filter(network=network, state=Listing.State.PUBLISHED)
            .select_related("organisation")
            .order_by("title")
        )
        self.fields["listing"].label_from_instance = lambda listing: (
            f"{listing.title} — {listing.get_kind_display().lower()} de {listing.organisation}"
        )


class PartnerForm(forms.Form):
    partner = forms.ModelChoiceField(
        label="Structure partenaire",
        queryset=None,
        error_messages={"invalid_choice": "Cette structure ne fait pas partie du réseau."},
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, initial={"partner": case.partner_id}, **kwargs)
        self.fields["partner"].queryset = case.network.organisations.exclude(
            pk=case.organisation_id
        ).order_by("name")


class ItemForm(forms.Form):
    item = forms.CharField(max_length=40)
    done = forms.BooleanField(required=False)


class EmployeeForm(forms.Form):
    name = SingleLineField(label="Nom et prénom de la personne salariée", max_length=150)
    qualification = SingleLineField(label="Qualification", max_length=150)


class FollowUpForm(forms.Form):
    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, initial=model_to_dict(case, fields=FOLLOW_UP_FIELDS), **kwargs)
        self.fields.update(
            fields_for_model(
                Case,
                fields=FOLLOW_UP_FIELDS,
                widgets={"shared_from": DATE_INPUT, "shared_until": DATE_INPUT, "follow_up_note": TEXTAREA},
            )
        )
        self.fields["happened"] = forms.TypedChoiceField(
            label="Le partage a-t-il eu lieu ?",
            choices=[("", "—"), ("oui", "Oui"), ("non", "Non")],
            coerce=lambda value: value == "oui",
            empty_value=None,
            required=False,
        )
        if case.happened is not None:
            self.initial["happened"] = "oui" if case.happened else "non"

    def clean(self):
        data = super().clean()
        if (
            data.get("shared_from")
            and data.get("shared_until")
            and data["shared_until"] < data["shared_from"]
        ):
            self.add_error("shared_until", "La fin du partage précède son début.")
        return data


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(label="Issue", choices=Case.Outcome.choices, widget=forms.RadioSelect)
    reason = SingleLineField(
        label="Motif",
        max_length=300,
        required=False,
        help_text="Obligatoire pour un abandon : ce qui a empêché le partage.",
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Case.Outcome.ABANDONED and not data.get("reason"):
            self.add_error("reason", "Dites pourquoi le dossier est abandonné.")
        return data


class NoteForm(forms.Form):
    text = forms.CharField(label="Note", max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))
