from django import forms

from reperes.lib.forms import DATE_INPUT, SectionedForm, SingleLineField
from reperes.listings.actions import Decision
from reperes.listings.models import COMMENT_MAX_LENGTH, DESCRIPTION_MAX_LENGTH, MESSAGE_MAX_LENGTH, Listing
from reperes.listings.search import MAX_QUERY_LENGTH
from reperes.organisations import reference
from reperes.organisations.models import Network


class ListingForm(SectionedForm, forms.ModelForm):
    """A listing as its author writes it. The network is asked only of an organisation that
    belongs to several."""

    title = SingleLineField(
        label="Titre", max_length=150, help_text="Ce que vous proposez ou cherchez, en quelques mots."
    )
    town = SingleLineField(label="Commune", max_length=100)

    class Meta:
        model = Listing
        fields = [
            "kind",
            "category",
            "title",
            "description",
            "region",
            "town",
            "starts_on",
            "ends_on",
            "availability",
            "frequency",
            "conditions",
            "conditions_detail",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "category": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6, "maxlength": DESCRIPTION_MAX_LENGTH}),
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            "frequency": forms.RadioSelect,
            "conditions": forms.RadioSelect,
        }
        help_texts = {
            "description": (
                "Ce qui est proposé ou recherché, pour qui, comment. Pour un prêt de personnel, "
                "décrivez le poste et les compétences sans nommer la personne : son identité n'est "
                "donnée qu'une fois son accord écrit recueilli."
            ),
            "starts_on": "Laissez vide si c'est déjà possible.",
            "ends_on": (
                "Un an au plus. Le lendemain, l'annonce disparaît d'elle-même ; vous serez prévenu·e "
                "une semaine avant."
            ),
        }
        error_messages = {
            "category": {"required": "Choisissez une catégorie."},
            "region": {"required": "Choisissez la région."},
            "kind": {"required": "Dites s'il s'agit d'une offre ou d'un besoin."},
            "ends_on": {"required": "Indiquez jusqu'à quand l'annonce vaut."},
        }

    def __init__(self, *args, networks=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Listing.Kind.choices
        self.fields["category"].choices = Listing.Category.choices
        self.fields["frequency"].choices = Listing.Frequency.choices
        self.fields["conditions"].choices = Listing.Conditions.choices
        self.fields["conditions"].label = "Ce que cela coûte"
        self.fields["region"].choices = [("", "Choisir…"), *reference.choices("regions")]
        for name in ("availability", "conditions_detail"):
            self.fields[name] = SingleLineField(
                label=self.fields[name].label.capitalize(),
                max_length=self.fields[name].max_length,
                required=False,
                help_text=self.fields[name].help_text,
            )
        networks = list(networks or [])
        if len(networks) > 1:
            self.fields["network"] = forms.ModelChoiceField(
                label="Réseau",
                queryset=Network.objects.filter(pk__in=[n.pk for n in networks]).order_by("name"),
                help_text="Les structures de ce réseau verront l'annonce.",
                empty_label="Choisir…",
            )
            self.order_fields(["network"])
        self.single_network = networks[0] if len(networks) == 1 else None

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", "La date de fin est avant la date de début.")
        return cleaned

    SECTIONS = [
        ("L'annonce", ["network", "kind", "category", "title", "description"]),
        ("Où et quand", ["region", "town", "starts_on", "ends_on", "availability", "frequency"]),
        ("Conditions", ["conditions", "conditions_detail"]),
    ]

    def values(self):
        """The listing's fields for the actions."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def network(self):
        return self.cleaned_data.get("network") or self.single_network


class SearchForm(forms.Form):
    """The board's filters, read from the query string; an unknown value is ignored."""

    q = forms.CharField(label="Mots-clés", required=False, max_length=MAX_QUERY_LENGTH)
    kind = forms.ChoiceField(
        label="Offres ou besoins", required=False, choices=[("", "Les deux"), *Listing.Kind.choices]
    )
    category = forms.ChoiceField(
        label="Catégorie", required=False, choices=[("", "Toutes"), *Listing.Category.choices]
    )
    region = forms.ChoiceField(label="Région", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "Toutes"), *reference.choices("regions")]

    def filters(self):
        """The valid filters, each falling back to « all » when its value was not valid."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}


class ContactForm(forms.Form):
    message = forms.CharField(
        label="Votre message",
        max_length=MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": MESSAGE_MAX_LENGTH}),
        help_text=(
            "Ce que vous cherchez et pourquoi cette annonce vous intéresse. Il est transmis à la "
            "structure de l'annonce ; vos adresses ne sont échangées qu'une fois que les deux "
            "structures ont accepté."
        ),
        error_messages={"required": "Écrivez quelques mots pour la structure de l'annonce."},
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label="Ce qui ne va pas",
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_LENGTH}),
        error_messages={"required": "Dites en quelques mots ce qui ne va pas."},
    )


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label="Décision",
        choices=Decision.CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez une décision."},
    )
    comment = forms.CharField(
        label="Commentaire pour l'auteur",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": COMMENT_MAX_LENGTH}),
        help_text="Obligatoire pour renvoyer ou refuser l'annonce : ce qu'il faut changer, ou pourquoi.",
    )


class ExtendForm(forms.Form):
    ends_on = forms.DateField(
        label="Nouvelle date de fin",
        widget=DATE_INPUT,
        error_messages={
            "required": "Choisissez la nouvelle date de fin.",
            "invalid": "Une date, par exemple 31/12/2027.",
        },
    )
