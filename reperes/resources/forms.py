from django import forms

from reperes.instruments.frameworks import author_choices
from reperes.lib.actions import ActionRefused
from reperes.lib.forms import DATE_INPUT, SectionedForm, SingleLineField, checkboxes
from reperes.offers.models import Offer
from reperes.offers.subjects import subject_choices
from reperes.organisations import reference
from reperes.resources.actions import ACCEPTED_EXTENSIONS, ACCEPTED_LABEL, MAX_FILE_BYTES, check_upload
from reperes.resources.models import SUMMARY_MAX_LENGTH, Resource

STATUS_FILTERS = [("live", "En ligne"), ("archived", "Archivées"), ("all", "Toutes")]


class ResourceForm(SectionedForm, forms.ModelForm):
    """An item of the library. The file is checked by its content here and again by the action;
    a refused file leaves every other field as it was typed."""

    title = SingleLineField(label="Titre", max_length=200)
    author_name = SingleLineField(
        label="Signature",
        max_length=150,
        required=False,
        help_text="Le nom affiché sous la ressource : le vôtre, ou « L'équipe du réseau ».",
    )
    upload = forms.FileField(
        label="Fichier",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_EXTENSIONS)}),
        help_text=f"{ACCEPTED_LABEL}, {MAX_FILE_BYTES // (1024 * 1024)} Mo au plus. "
        "Le fichier est proposé au téléchargement, jamais ouvert dans Repères.",
    )
    remove_file = forms.BooleanField(label="Retirer le fichier actuel", required=False)
    offers = forms.ModelMultipleChoiceField(
        label="Offres du catalogue liées",
        queryset=Offer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les membres trouveront ces offres depuis la ressource.",
    )

    class Meta:
        model = Resource
        fields = [
            "kind",
            "title",
            "summary",
            "published_on",
            "subjects",
            "determinants",
            "regions",
            "link",
            "public",
            "author_name",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 6, "maxlength": SUMMARY_MAX_LENGTH}),
            "published_on": DATE_INPUT,
        }
        labels = {"public": "Publier dans le fil d'actualités public"}
        help_texts = {
            "published_on": "La date de la ressource (parution, événement) : les listes la suivent.",
            "link": "Une page, une vidéo ou un document en ligne. Un lien ou un fichier, pas les deux.",
            "public": "Pour une actualité RH seulement. Le fil d'actualités se lit sans compte (un "
            "lecteur de flux ne se connecte pas) : n'y mettez rien que vous ne publieriez pas sur "
            "votre site.",
        }

    def __init__(self, *args, network, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Resource.Kind.choices
        self.fields["subjects"] = checkboxes(
            "Thèmes",
            subject_choices(),
            "Les thèmes mènent à la ressource depuis les résultats des diagnostics et les fiches.",
        )
        self.fields["determinants"] = checkboxes(
            "Déterminants de la qualité de vie au travail",
            author_choices(),
            "Ceux dont traite la ressource.",
        )
        self.fields["regions"] = checkboxes(
            "Régions", reference.choices("regions"), "Aucune cochée : tout le réseau."
        )
        self.fields["link"].assume_scheme = "https"
        linked = self.instance.offers.all() if self.instance.pk else Offer.objects.none()
        self.fields["offers"].queryset = (
            Offer.objects.for_network(network).filter(archived=False) | linked
        ).distinct()
        self.fields["offers"].label_from_instance = lambda offer: offer.title
        if self.instance.pk:
            self.initial.setdefault("offers", list(linked))
        if not (self.instance.pk and self.instance.file):
            del self.fields["remove_file"]

    SECTIONS = [
        ("La ressource", ["kind", "title", "summary", "published_on", "author_name"]),
        ("Lien ou fichier", ["link", "upload", "remove_file"]),
        ("Pour qui", ["subjects", "determinants", "regions", "offers"]),
        ("Diffusion", ["public"]),
    ]

    def clean_upload(self):
        upload = self.cleaned_data.get("upload")
        if upload:
            try:
                check_upload(upload)
            except ActionRefused as refusal:
                raise forms.ValidationError(f"{refusal} Choisissez de nouveau un fichier.") from None
        return upload

    def clean(self):
        cleaned = super().clean()
        keeps_file = bool(self.instance.pk and self.instance.file) and not cleaned.get("remove_file")
        if cleaned.get("link") and (cleaned.get("upload") or keeps_file):
            self.add_error(
                "link", "Donnez un lien ou un fichier, pas les deux : videz le lien ou retirez le fichier."
            )
        if cleaned.get("public") and cleaned.get("kind") and cleaned["kind"] != Resource.Kind.NEWS:
            self.add_error("public", "Seules les actualités RH vont dans le fil public.")
        return cleaned

    def action_fields(self):
        """What the actions take, from cleaned_data."""
        data = dict(self.cleaned_data)
        data["upload"] = data.pop("upload", None) or None
        return data


class LibraryFilterForm(forms.Form):
    """The list's filters, read from the query string; an unknown value is ignored."""

    kind = forms.ChoiceField(label="Type", required=False, choices=[("", "Tous"), *Resource.Kind.choices])
    subject = forms.ChoiceField(label="Thème", required=False)
    status = forms.ChoiceField(label="État", required=False, choices=STATUS_FILTERS, initial="live")

    def __init__(self, *args, with_status=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].choices = [("", "Tous"), *subject_choices()]
        if not with_status:
            del self.fields["status"]

    def value(self, name, default=""):
        """The field's value if it was valid, else `default`: a bad filter shows the default."""
        if not self.is_bound:
            return default
        self.is_valid()
        return self.cleaned_data.get(name) or default
