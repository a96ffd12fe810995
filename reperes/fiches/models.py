from django.db import models
from django.urls import reverse

from reperes.lib.models import ContentVersion, VersionedContent
from reperes.organisations.models import Network


class Collection(models.TextChoices):
    """The series a fiche belongs to; numbers count within a series, not across them."""

    GUIDE = "guide", "Qualité de vie au travail et numérique"
    TELETRAVAIL = "teletravail", "Télétravail"


class FicheQuerySet(models.QuerySet):
    def available_to(self, organisation):
        """The shipped fiches and those published by the networks of `organisation`."""
        return self.filter(models.Q(network__isnull=True) | models.Q(network__in=organisation.networks.all()))

    def visible_to(self, user):
        """What `user` may read: the shipped fiches (public, as the guide they come from), and a
        network's fiches for its staff and the members of its member organisations. Another
        network's fiche is not found."""
        shipped = models.Q(network__isnull=True)
        if not user.is_authenticated:
            return self.filter(shipped)
        return self.filter(
            shipped
            | models.Q(network__in=Network.objects.filter(memberships__user=user))
            | models.Q(network__in=Network.objects.filter(affiliations__organisation__memberships__user=user))
        )


class Fiche(VersionedContent):
    """A guidance sheet's identity; its text lives in immutable versions."""

    collection = models.CharField(
        "collection", max_length=20, choices=Collection.choices, default=Collection.GUIDE
    )
    number = models.PositiveSmallIntegerField("numéro dans la collection")
    title = models.CharField("titre", max_length=200)
    # None: shipped with Repères (a content file), public; otherwise written by a network in the
    # interface (a FicheDraft published), for its staff and its member organisations.
    network = models.ForeignKey(
        "organisations.Network",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="fiches",
        verbose_name="réseau",
    )

    objects = FicheQuerySet.as_manager()

    class Meta:
        verbose_name = "fiche"
        verbose_name_plural = "fiches"
        ordering = ["collection", "number", "slug"]

    def __str__(self):
        return f"{self.label} — {self.title}"

    def get_absolute_url(self):
        return reverse("fiches:detail", args=[self.slug])

    @property
    def label(self):
        """« Fiche 3 » in the guide, « Fiche télétravail 3 » elsewhere: a number alone is
        ambiguous once there are several collections. A network's fiche says who proposes it."""
        if self.network_id:
            return f"Fiche proposée par {self.network.name}"
        if self.collection == Collection.GUIDE:
            return f"Fiche {self.number}"
        return f"Fiche {self.get_collection_display().lower()} {self.number}"

    @property
    def is_legal_guidance(self):
        """Telework fiches speak about the law: their page says it is not legal advice."""
        return self.collection == Collection.TELETRAVAIL


class FicheVersion(ContentVersion):
    fiche = models.ForeignKey(Fiche, on_delete=models.PROTECT, related_name="versions")
    content = models.JSONField("contenu")

    class Meta:
        verbose_name = "version de fiche"
        verbose_name_plural = "versions de fiches"
        ordering = ["fiche", "-number"]
        constraints = [models.UniqueConstraint(fields=["fiche", "number"], name="one_fiche_version_number")]

    def __str__(self):
        return f"{self.fiche} (version {self.number})"


class DraftQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(published_version__isnull=True)


class FicheDraft(models.Model):
    """A fiche a network is writing in the interface: its content in the fiche format (as a
    content file would give it), editable until it is published. Publishing makes a new immutable
    version of the network's fiche (`actions.publish_draft`); the draft then keeps which version it
    became and never changes again: editing a published fiche starts a new draft."""

    network = models.ForeignKey(
        "organisations.Network", on_delete=models.CASCADE, related_name="fiche_drafts"
    )
    # The network's fiche this draft will publish to: None until its first publication.
    fiche = models.ForeignKey(
        Fiche, on_delete=models.PROTECT, null=True, blank=True, related_name="drafts", verbose_name="fiche"
    )
    # The version it was copied from: a shipped fiche (which never changes) or the network's own.
    based_on = models.ForeignKey(
        FicheVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name="copie de",
    )
    title = models.CharField("titre", max_length=200)
    content = models.JSONField("contenu")
    # Raised by each saved edit: a form posted with an older number was written over a state
    # someone else has since changed, and is refused rather than silently undoing their work.
    revision = models.PositiveIntegerField("révision", default=1)
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="créé par"
    )
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="modifié par"
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    published_version = models.OneToOneField(
        FicheVersion,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="draft",
        verbose_name="version publiée",
    )
    published_at = models.DateTimeField("publié le", null=True, blank=True)

    objects = DraftQuerySet.as_manager()

    class Meta:
        verbose_name = "brouillon de fiche"
        verbose_name_plural = "brouillons de fiches"
        ordering = ["-updated_at"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("fiches:draft", args=[self.network.slug, self.pk])

    @property
    def is_legal_guidance(self):
        return self.content.get("collection") == Collection.TELETRAVAIL


class PageViewCount(models.Model):
    """How many times a public guidance page was opened in a month (reperes.fiches.pageviews).

    One row per page and month, and nothing else: no person, organisation, address, referrer or
    time finer than the month. The count is kept in the cache during the day and added here
    once a day."""

    item = models.CharField("page", max_length=120)
    month = models.DateField("mois")  # the first day of the month
    views = models.PositiveIntegerField("consultations", default=0)

    class Meta:
        verbose_name = "consultations d'une page (par mois)"
        verbose_name_plural = "consultations des pages (par mois)"
        ordering = ["month", "item"]
        constraints = [
            models.UniqueConstraint(fields=["item", "month"], name="one_page_view_count_per_month")
        ]

    def __str__(self):
        return f"{self.item} — {self.month:%Y-%m} : {self.views}"
