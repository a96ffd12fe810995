from django import forms
from django.utils import timezone

from reperes.lib.forms import DATE_INPUT, SingleLineField
from reperes.offers.models import Offer
from reperes.organisations.models import NetworkRole
from reperes.requests.models import ENTRY_MAX_LENGTH, SITUATION_MAX_LENGTH, Entry, Request, Theme

THEME_ERRORS = {
    "required": "Choisissez au moins un thème sur lequel vous souhaitez être accompagnés.",
    "invalid_choice": "Ce thème n'existe pas : rechargez la page.",
}


class RequestForm(forms.Form):
    network = forms.ModelChoiceField(
        label="Réseau à qui vous adressez la demande",
        queryset=None,
        empty_label=None,
        error_messages={
            "required": "Choisissez un réseau.",
            "invalid_choice": "Ce réseau n'est pas le vôtre.",
        },
    )
    employees = forms.IntegerField(
        label="Nombre de salarié·es de la structure",
        min_value=0,
        max_value=1_000_000,
        help_text="Salarié·es sous contrat de travail, quel que soit leur temps de travail. "
        "Nous l'ajoutons au profil de la structure.",
        error_messages={"required": "Indiquez le nombre de salarié·es de la structure."},
    )
    themes = forms.MultipleChoiceField(
        label="Sur quoi souhaitez-vous être accompagnés ?",
        choices=Theme.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages=THEME_ERRORS,
    )
    situation = forms.CharField(
        label="Votre situation",
        max_length=SITUATION_MAX_LENGTH,
        help_text="En quelques lignes : votre activité, votre équipe, où vous en êtes du télétravail.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    problem = forms.CharField(
        label="Votre problématique liée au numérique",
        max_length=SITUATION_MAX_LENGTH,
        help_text="Ce qui vous pose question aujourd'hui, avec vos mots.",
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    contact_name = SingleLineField(label="Personne à contacter", max_length=200)
    contact_email = forms.EmailField(
        label="Son adresse e-mail",
        max_length=254,
        help_text="À la clôture, elle recevra aussi le court questionnaire anonyme sur l'accompagnement.",
    )
    contact_phone = SingleLineField(label="Son téléphone", max_length=30, required=False)
    campaigns = forms.ModelMultipleChoiceField(
        label="Résultats à partager avec la personne qui prendra la demande",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Elle seule les verra, à partir du moment où elle prend la demande et jusqu'à sa "
        "clôture, sans les réponses écrites. Vous pourrez retirer ce partage à tout moment depuis "
        "« Ce que nous partageons ».",
        error_messages={"invalid_choice": "Ce diagnostic ne peut pas être partagé : rechargez la page."},
    )

    def __init__(self, *args, organisation, networks, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = networks
        if len(networks) == 1:
            self.fields["network"].widget = forms.HiddenInput()
            self.fields["network"].initial = networks[0].pk
        else:
            self.fields["network"].widget = forms.RadioSelect()
        self.fields["campaigns"].queryset = campaigns
        self.fields["campaigns"].label_from_instance = lambda campaign: (
            f"{campaign.title} ({campaign.get_state_display().lower()})"
        )
        if organisation.employees is not None:
            del self.fields["employees"]


class TakeForm(forms.Form):
    """No field: taking is one button; the form carries the CSRF token only."""


class AssignForm(forms.Form):
    facilitator = forms.ModelChoiceField(
        label="Confier la demande à",
        queryset=None,
        error_messages={
            "required": "Choisissez une personne.",
            "invalid_choice": "Cette personne n'accompagne pas pour ce réseau.",
        },
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["facilitator"].queryset = (
            get_user_model()
            .objects.filter(
                network_memberships__network=network, network_memberships__role=NetworkRole.FACILITATOR
            )
            .order_by("name")
        )
        self.fields["facilitator"].label_from_instance = lambda user: user.name or user.email


class EntryForm(forms.ModelForm):
    class Meta:
        model = Entry
        fields = ["kind", "happened_on", "format", "summary", "link", "work", "visibility"]
        widgets = {
            "kind": forms.RadioSelect,
            "happened_on": DATE_INPUT,
            "summary": forms.Textarea(attrs={"rows": 4, "maxlength": ENTRY_MAX_LENGTH}),
            "visibility": forms.RadioSelect,
        }
        help_texts = {
            "summary": "Pour un rendez-vous : ce qui a été convenu et la suite.",
            "link": "Un document déposé ailleurs (espace partagé du réseau…), s'il y en a un.",
            "work": "Ce que la structure a fait ou va faire dans Repères : ses référent·es auront le lien.",
            "visibility": "Une note partagée apparaît sur la page de la demande de la structure.",
        }
        error_messages = {
            "kind": {"required": "Choisissez le type de suivi.", "invalid_choice": "Ce type n'existe pas."},
            "happened_on": {"required": "Indiquez la date.", "invalid": "Cette date n'est pas valide."},
            "summary": {"required": "Écrivez ce qui a été dit ou convenu."},
            "format": {"invalid_choice": "Ce format n'existe pas."},
            "work": {"invalid_choice": "Ce travail n'existe pas."},
            "visibility": {"invalid_choice": "Choisissez qui voit ce suivi."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["happened_on"].initial = timezone.localdate()
        self.fields["kind"].choices = Entry.Kind.choices  # radio buttons: no empty choice
        self.fields["format"].required = False
        self.fields["format"].choices = [("", "—"), *Entry.Format.choices]
        self.fields["work"].choices = [("", "Aucun"), *Entry.Work.choices]


class CloseForm(forms.Form):
    outcome = forms.ChoiceField(
        label="Issue de la demande",
        choices=[choice for choice in Request.Outcome.choices if choice[0] != Request.Outcome.WITHDRAWN],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choisissez l'issue de la demande.",
            "invalid_choice": "Cette issue n'existe pas.",
        },
    )
    offer = forms.ModelChoiceField(
        label="Offre du catalogue vers laquelle vous l'orientez",
        queryset=None,
        required=False,
        empty_label="Aucune, ou une offre hors catalogue",
        error_messages={"invalid_choice": "Cette offre n'est plus au catalogue : rechargez la page."},
    )
    note = SingleLineField(
        label="Précision",
        max_length=500,
        required=False,
        help_text="Si vous orientez la structure hors du catalogue, nommez l'offre (programme, "
        "formation, dispositif…) vers laquelle elle va.",
    )

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["offer"].queryset = Offer.objects.for_network(network).current().order_by("title")
