from django.db import models
from django.urls import reverse

from reperes.lib.models import ContentVersion, VersionedContent


class Collection(models.TextChoices):
    """The series a fiche belongs to; numbers count within a series, not across them."""

    GUIDE = "guide", "Qualité de vie au travail et numérique"
    TELETRAVAIL = "teletravail", "Télétravail"


class Fiche(VersionedContent):
    """A guidance sheet's identity; its text lives in immutable versions."""

    collection = models.CharField(
        "collection", max_length=20, choices=Collection.choices, default=Collection.GUIDE
    )
    number = models.PositiveSmallIntegerField("numéro dans la collection")
    title = models.CharField("titre", max_length=200)

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
        ambiguous once there are several collections."""
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
