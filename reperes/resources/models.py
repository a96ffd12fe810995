import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from reperes.instruments.frameworks import known_tags, labels
from reperes.lib.actions import code_list_errors
from reperes.offers.models import Offer
from reperes.offers.subjects import subject_codes, subject_label
from reperes.organisations import reference
from reperes.organisations.models import Network

SUMMARY_MAX_LENGTH = 5000


def stored_file_name(resource, filename):
    """Where an uploaded file is kept under MEDIA_ROOT: a random name with the checked
    extension, never the name the person gave (reperes.resources.actions checks the file)."""
    extension = filename[filename.rfind(".") :].lower() if "." in filename else ""
    return f"resources/{secrets.token_hex(16)}{extension[:6]}"


class ResourceQuerySet(models.QuerySet):
    def for_network(self, network):
        return self.filter(network=network)

    def live(self):
        """Not archived: what lists, panels and the feed show by default."""
        return self.filter(archived_at__isnull=True)

    def archived(self):
        return self.filter(archived_at__isnull=False)

    def for_organisation(self, organisation):
        """The live items of the networks `organisation` belongs to: one query once evaluated;
        regions are a JSON list, so `reaches` filters them in Python."""
        return (
            self.live()
            .filter(network__affiliations__organisation=organisation)
            .select_related("network")
            .distinct()
        )

    def public_news(self, network):
        """What the news feed lists: the network's live HR news that its staff made public."""
        return self.for_network(network).live().filter(kind=Resource.Kind.NEWS, public=True)


class Resource(models.Model):
    """An item of a network's library: HR news, a guide or kit, a synthesis, a replay, a tool…,
    tagged by the subjects of the offers' vocabulary (which lead from a diagnostic's themes),
    with a link or a file. Items are archived, never deleted: their address keeps working."""

    class Kind(models.TextChoices):
        NEWS = "news", "Actualité RH"
        GUIDE = "guide", "Guide ou kit"
        SYNTHESIS = "synthesis", "Synthèse"
        REPLAY = "replay", "Replay"
        TOOL = "tool", "Outil"
        ARTICLE = "article", "Article ou dossier"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="resources")
    kind = models.CharField("type", max_length=20, choices=Kind)
    title = models.CharField("titre", max_length=200)
    summary = models.TextField(
        "résumé",
        validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)],
        help_text="Texte simple ; Markdown accepté pour les listes, le gras et les liens.",
    )
    subjects = models.JSONField("thèmes", default=list, blank=True)
    # The entries of the QVT frameworks the item deals with (reperes/instruments/frameworks.py).
    determinants = models.JSONField("déterminants de la QVT", default=list, blank=True)
    regions = models.JSONField(
        "régions", default=list, blank=True, help_text="Aucune cochée : tout le réseau."
    )
    published_on = models.DateField("date", default=timezone.localdate)
    link = models.URLField("lien", max_length=500, blank=True)
    file = models.FileField("fichier", upload_to=stored_file_name, max_length=100, blank=True)
    file_name = models.CharField("nom du fichier", max_length=120, blank=True)
    file_type = models.CharField("type du fichier", max_length=100, blank=True)
    file_size = models.PositiveIntegerField("taille du fichier", null=True, blank=True)
    offers = models.ManyToManyField(Offer, verbose_name="offres liées", blank=True, related_name="+")
    public = models.BooleanField("dans le fil d'actualités public", default=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField("auteur·rice", max_length=150, blank=True)
    archived_at = models.DateTimeField("archivée le", null=True, blank=True)
    created_at = models.DateTimeField("création", auto_now_add=True)
    updated_at = models.DateTimeField("dernière modification", auto_now=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        verbose_name = "ressource"
        verbose_name_plural = "ressources"
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(link="") | Q(file=""), name="resource_link_or_file")
        ]

    def __str__(self):
        return self.title

    def clean(self):
        regions = {code for code, _ in reference.choices("regions")}
        errors = code_list_errors(
            self, {"regions": regions, "subjects": set(subject_codes()), "determinants": known_tags()}
        )
        if errors:
            raise ValidationError(errors)

    @property
    def is_archived(self):
        return self.archived_at is not None

    @property
    def is_news(self):
        return self.kind == self.Kind.NEWS

    @property
    def subject_labels(self):
        return [label for label in map(subject_label, self.subjects) if label]

    @property
    def determinant_labels(self):
        return labels(self.determinants)

    @property
    def region_labels(self):
        return [reference.label("regions", code) for code in self.regions]

    def reaches(self, organisation):
        """Whether the item is for `organisation`'s region (no region: the whole network)."""
        return not self.regions or organisation.region in self.regions
