from django import forms

from reperes.lib.forms import DATE_INPUT, SectionedForm, SingleLineField, checkboxes
from reperes.offers.models import DESCRIPTION_MAX_LENGTH, ELIGIBILITY_MAX_LENGTH, Offer
from reperes.offers.subjects import subject_choices
from reperes.organisations import reference

STATUS_FILTERS = [
    ("current", "En cours"),
    ("upcoming", "À venir"),
    ("expired", "Expirées"),
    ("archived", "Archivées"),
    ("all", "Toutes"),
]


class OfferForm(SectionedForm, forms.ModelForm):
    """An offer of the catalogue; the lists are checkboxes of the reference lists, so a code
    that is not in them (a tampered form) is refused."""

    title = SingleLineField(label="Titre", max_length=200)
    summary = SingleLineField(
        label="En une phrase", max_length=300, help_text="Ce que la structure y gagne, en quelques mots."
    )

    class Meta:
        model = Offer
        fields = [
            "kind",
            "title",
            "summary",
            "description",
            "provider",
            "audience",
            "format",
            "duration",
            "cost",
            "funders",
            "other_funding",
            "subjects",
            "regions",
            "size_bands",
            "max_employees",
            "eligibility",
            "contact_name",
            "contact_email",
            "contact_phone",
            "link",
            "starts_on",
            "ends_on",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 6, "maxlength": DESCRIPTION_MAX_LENGTH}),
            "eligibility": forms.Textarea(attrs={"rows": 3, "maxlength": ELIGIBILITY_MAX_LENGTH}),
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            "contact_phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        }
        help_texts = {
            "format": "Surtout pour les formations.",
            "starts_on": "Laissez vide si l'offre est déjà ouverte.",
            "ends_on": "Le lendemain, l'offre disparaît d'elle-même des pages des structures.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Offer.Kind.choices
        self.fields["format"].choices = [("", "Sans objet"), *Offer.Format.choices]
        self.fields["funders"] = checkboxes("OPCO qui peuvent financer", reference.choices("opcos"))
        self.fields["subjects"] = checkboxes(
            "Sujets", subject_choices(), "Les sujets mènent à l'offre depuis les résultats et les demandes."
        )
        self.fields["regions"] = checkboxes(
            "Régions", reference.choices("regions"), "Aucune cochée : toutes les régions."
        )
        self.fields["size_bands"] = checkboxes(
            "Tailles de structure", reference.choices("size_bands"), "Aucune cochée : toutes les tailles."
        )
        self.fields["link"].assume_scheme = "https"
        for name in ("provider", "duration", "cost", "other_funding", "audience", "contact_name"):
            self.fields[name] = SingleLineField(
                label=self.fields[name].label,
                max_length=self.fields[name].max_length,
                required=False,
                help_text=self.fields[name].help_text,
            )
        self.fields["contact_phone"].validators = []

    SECTIONS = [
        ("L'offre", ["kind", "title", "summary", "description", "provider", "audience"]),
        ("Format, coût et financement", ["format", "duration", "cost", "funders", "other_funding"]),
        ("À qui elle s'adresse", ["subjects", "regions", "size_bands", "max_employees", "eligibility"]),
        ("Contact", ["contact_name", "contact_email", "contact_phone", "link"]),
        ("Validité", ["starts_on", "ends_on"]),
    ]

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        if phone and not set(phone) <= set("0123456789 +-.()"):
            raise forms.ValidationError("Un numéro de téléphone : des chiffres, des espaces, + ou -.")
        return phone


class CatalogueFilterForm(forms.Form):
    """The staff list's filters, read from the query string; an unknown value is ignored."""

    kind = forms.ChoiceField(label="Type", required=False, choices=[("", "Tous"), *Offer.Kind.choices])
    subject = forms.ChoiceField(label="Sujet", required=False)
    status = forms.ChoiceField(label="État", required=False, choices=STATUS_FILTERS, initial="current")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", "Tous"), *subject_choices()]

    def value(self, name, default=""):
        """The field's value if it was valid, else `default`: a bad filter shows the default."""
        if not self.is_bound:
            return default
        self.is_valid()
        return self.cleaned_data.get(name) or default


class SubjectFilterForm(forms.Form):
    subject = forms.ChoiceField(label="Sujet", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", "Tous les sujets"), *subject_choices()]
