from django import forms

from reperes.evaluation.actions import region_choices
from reperes.evaluation.models import GeneralIndicator, Indicator, Partner, Qualifier
from reperes.lib.forms import DATE_INPUT, SingleLineField

MAX_TEXT = 5000
MAX_MINUTES = 20000
NATIONAL_CHOICE = (
    "national"  # the nation in a form's region field (an empty value reads as « nothing chosen »)
)


def _too_long(limit):
    return {"max_length": f"Ce texte est trop long : {limit} caractères au plus."}


class RegionField(forms.ChoiceField):
    """A region of the network, or the nation for a national network: nothing outside."""

    def __init__(self, network, **kwargs):
        choices = [(code or NATIONAL_CHOICE, label) for code, label in region_choices(network)]
        super().__init__(
            choices=choices,
            error_messages={
                "required": "Choisissez la région (ou « National »).",
                "invalid_choice": "Cette région n'est pas dans le périmètre du réseau.",
            },
            **kwargs,
        )

    def clean(self, value):
        value = super().clean(value)
        return "" if value == NATIONAL_CHOICE else value


class ProjectForm(forms.Form):
    title = SingleLineField(label="Nom du projet", max_length=200, error_messages=_too_long(200))
    description = forms.CharField(
        label="Présentation",
        required=False,
        max_length=MAX_TEXT,
        error_messages=_too_long(MAX_TEXT),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    starts_on = forms.DateField(label="Début", widget=DATE_INPUT)
    ends_on = forms.DateField(
        label="Fin", required=False, widget=DATE_INPUT, help_text="Laissez vide pour un projet en cours."
    )
    cohorts = forms.ModelMultipleChoiceField(
        label="Cohortes du projet",
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text="Leurs ateliers, présences, questionnaires de satisfaction et structures inscrites "
        "sont comptés.",
        error_messages={"invalid_choice": "Cette cohorte n'est pas une cohorte du réseau."},
    )
    events = forms.ModelMultipleChoiceField(
        label="Événements du projet",
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Cet événement n'est pas un événement du réseau."},
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohorts"].queryset = network.cohorts.order_by("name")
        self.fields["events"].queryset = network.network_events.order_by("title")

    def clean(self):
        data = super().clean()
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", "La fin du projet ne peut pas précéder son début.")
        return data


class PartnerForm(forms.Form):
    name = SingleLineField(label="Nom", max_length=200, error_messages=_too_long(200))
    kind = forms.ChoiceField(label="Rôle", choices=Partner.Kind.choices, widget=forms.RadioSelect)
    contribution = SingleLineField(
        label="Contribution",
        max_length=300,
        required=False,
        error_messages=_too_long(300),
        help_text="Par exemple « cofinance la formation » ou « membre du comité de pilotage ».",
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = RegionField(network, label="Région")


class CommitteeForm(forms.Form):
    held_on = forms.DateField(label="Date", widget=DATE_INPUT)
    members = forms.CharField(
        label="Membres",
        required=False,
        max_length=MAX_TEXT,
        error_messages=_too_long(MAX_TEXT),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Les organisations représentées, et si vous le souhaitez les personnes.",
    )
    minutes = forms.CharField(
        label="Compte rendu",
        required=False,
        max_length=MAX_MINUTES,
        error_messages=_too_long(MAX_MINUTES),
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = RegionField(network, label="Comité national ou régional")


class KeyFiguresForm(forms.Form):
    """The key figures of one place: a number (0 or more) and how exact it is, or the figure in
    words when there is no number."""

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"] = RegionField(network, label="Région, ou « National » pour le chiffre national")
        for indicator in Indicator:
            self.fields[f"{indicator.value}_value"] = forms.IntegerField(
                label=indicator.label,
                required=False,
                min_value=0,
                max_value=10_000_000,
                error_messages={
                    "min_value": "Un chiffre ne peut pas être négatif.",
                    "max_value": "Ce chiffre est trop grand.",
                    "invalid": "Saisissez un nombre entier.",
                },
            )
            self.fields[f"{indicator.value}_qualifier"] = forms.ChoiceField(
                label=f"Précision ({indicator.label.lower()})",
                choices=Qualifier.choices,
                initial=Qualifier.EXACT,
                required=False,
            )
            self.fields[f"{indicator.value}_note"] = SingleLineField(
                label=f"En mots, sans nombre ({indicator.label.lower()})",
                max_length=120,
                required=False,
                error_messages=_too_long(120),
            )

    def indicator_rows(self):
        return [
            {
                "label": indicator.label,
                "value": self[f"{indicator.value}_value"],
                "qualifier": self[f"{indicator.value}_qualifier"],
                "note": self[f"{indicator.value}_note"],
            }
            for indicator in Indicator
        ]

    def figures(self):
        data = self.cleaned_data
        return {
            indicator.value: (
                data.get(f"{indicator.value}_value"),
                data.get(f"{indicator.value}_qualifier") or Qualifier.EXACT,
                data.get(f"{indicator.value}_note") or "",
            )
            for indicator in Indicator
        }

    @staticmethod
    def initial_for(region, key_figures):
        initial = {"region": region or NATIONAL_CHOICE}
        for figure in key_figures:
            initial[f"{figure.indicator}_value"] = figure.value
            initial[f"{figure.indicator}_qualifier"] = figure.qualifier
            initial[f"{figure.indicator}_note"] = figure.note
        return initial


class AssessmentForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for indicator in GeneralIndicator:
            self.fields[indicator.value] = forms.CharField(
                label=indicator.label,
                required=False,
                max_length=MAX_TEXT,
                error_messages=_too_long(MAX_TEXT),
                widget=forms.Textarea(attrs={"rows": 4}),
            )
