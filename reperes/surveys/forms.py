from django import forms

from reperes.lib.forms import DATE_INPUT, SingleLineField
from reperes.observatory.dimensions import size_band_choices
from reperes.organisations import reference
from reperes.organisations.models import Network, Role
from reperes.surveys.actions import questionnaire_choices
from reperes.surveys.models import INTRODUCTION_MAX_LENGTH, TITLE_MAX_LENGTH, Survey


def _too_long(limit):
    return {"max_length": f"Ce texte est trop long : {limit} caractères au plus."}


class SurveyForm(forms.Form):
    title = SingleLineField(
        label="Titre", max_length=TITLE_MAX_LENGTH, error_messages=_too_long(TITLE_MAX_LENGTH)
    )
    questionnaire_version = forms.ChoiceField(
        label="Questionnaire",
        error_messages={"invalid_choice": "Choisissez un questionnaire parmi ceux proposés."},
    )
    introduction = forms.CharField(
        label="Mot d'introduction",
        required=False,
        max_length=INTRODUCTION_MAX_LENGTH,
        error_messages=_too_long(INTRODUCTION_MAX_LENGTH),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Pourquoi le réseau pose ces questions et ce qu'il fera des réponses.",
    )
    opens_on = forms.DateField(label="Ouverture", widget=DATE_INPUT)
    closes_on = forms.DateField(
        label="Clôture",
        widget=DATE_INPUT,
        help_text="Dernier jour pour répondre. Vous pourrez la repousser si les structures ont "
        "besoin de temps.",
    )
    attributed = forms.BooleanField(
        label="Réponses nominatives : l'équipe du réseau verra les réponses de chaque structure",
        required=False,
        help_text="Laissez décoché pour une enquête confidentielle (le choix par défaut) : le réseau ne voit "
        "alors que des chiffres par région, secteur ou taille, à partir de 5 structures. Ce choix est "
        "annoncé aux structures et ne change plus une fois l'enquête ouverte.",
    )
    breakdown = forms.ChoiceField(
        label="Résultats répartis par",
        required=False,
        initial="region",
        choices=Survey._meta.get_field("breakdown").choices,
        help_text="Une seule répartition, choisie avant l'ouverture : deux répartitions des mêmes réponses, "
        "croisées, permettraient de retrouver ce qu'une structure a répondu.",
        error_messages={"invalid_choice": "Choisissez parmi les répartitions proposées."},
    )
    regions = forms.MultipleChoiceField(
        label="Régions", required=False, widget=forms.CheckboxSelectMultiple, help_text="Aucune : toutes."
    )
    sectors = forms.MultipleChoiceField(
        label="Secteurs d'activité",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Aucun : tous.",
    )
    size_bands = forms.MultipleChoiceField(
        label="Tailles (salarié·es)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=size_band_choices(),
        help_text="Aucune : toutes.",
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {str(version.pk): version for version in questionnaire_choices()}
        self.fields["questionnaire_version"].choices = [
            (pk, version.questionnaire.title) for pk, version in self.versions.items()
        ]
        regions = reference.choices("regions")
        if network.scope != Network.Scope.NATIONAL:  # a regional network: its members' regions
            present = set(network.organisations.values_list("region", flat=True)) | {network.region}
            regions = [(code, label) for code, label in regions if code in present]
        self.fields["regions"].choices = regions
        self.fields["sectors"].choices = reference.choices("sectors")

    def clean_questionnaire_version(self):
        return self.versions[self.cleaned_data["questionnaire_version"]]


class PostponeForm(forms.Form):
    closes_on = forms.DateField(label="Nouvelle date de clôture", widget=DATE_INPUT)


class AnswerForm(forms.Form):
    """Every statement of the questionnaire as a radio group, the open questions, and the
    agreement to be quoted. Nothing is required to keep a draft; sending checks completeness."""

    def __init__(self, *args, spec, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(choice["value"], choice["label"]) for choice in spec.scale["choices"]]
        self.sections = []
        for theme in spec.themes:
            names = []
            for item in theme["items"]:
                self.fields[item["id"]] = forms.ChoiceField(
                    label=item["text"],
                    choices=choices,
                    widget=forms.RadioSelect,
                    required=False,
                    error_messages={"invalid_choice": "Choisissez parmi les réponses proposées."},
                )
                names.append(item["id"])
            self.sections.append((theme, names))
        self.item_ids = [item["id"] for item in spec.items]
        self.text_ids = []
        for item in spec.text_items:
            self.fields[item["id"]] = forms.CharField(
                label=item["text"],
                required=False,
                max_length=item["max_length"],
                help_text=item.get("help", ""),
                error_messages=_too_long(item["max_length"]),
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.text_ids.append(item["id"])
        self.fields["quote_consent"] = forms.BooleanField(
            label="Le réseau peut citer nos réponses à ces questions ouvertes, avec le nom de la structure",
            required=False,
            help_text="Sans cet accord, elles ne sont montrées à personne en dehors de votre structure.",
        )

    def section_fields(self):
        return [(theme, [self[name] for name in names]) for theme, names in self.sections]

    def text_fields(self):
        return [self[name] for name in self.text_ids]

    def answers(self):
        return {
            item_id: self.cleaned_data[item_id] for item_id in self.item_ids if self.cleaned_data.get(item_id)
        }

    def texts(self):
        return {item_id: self.cleaned_data.get(item_id, "") for item_id in self.text_ids}


class HandOverForm(forms.Form):
    membership = forms.ChoiceField(
        label="Confier le questionnaire à",
        error_messages={"invalid_choice": "Choisissez une personne de l'équipe de la structure."},
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.memberships = {
            str(membership.pk): membership
            for membership in organisation.memberships.with_users().filter(role=Role.MEMBER)
        }
        self.fields["membership"].choices = [
            (pk, f"{membership.user.name or membership.user.email}")
            for pk, membership in self.memberships.items()
        ]

    def clean_membership(self):
        return self.memberships[self.cleaned_data["membership"]]
