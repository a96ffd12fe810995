from django.db import models
from django.urls import reverse


class Fiche(models.Model):
    """A guidance sheet's identity; its text lives in immutable versions."""

    slug = models.SlugField("identifiant", unique=True)
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("titre", max_length=200)

    class Meta:
        verbose_name = "fiche"
        verbose_name_plural = "fiches"
        ordering = ["number"]

    def __str__(self):
        return f"Fiche {self.number} — {self.title}"

    def get_absolute_url(self):
        return reverse("fiches:detail", args=[self.slug])

    def latest_version(self):
        return self.versions.order_by("-number").first()


class FicheVersion(models.Model):
    fiche = models.ForeignKey(Fiche, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField("version")
    content_hash = models.CharField("empreinte", max_length=64)
    content = models.JSONField("contenu")
    source = models.CharField("fichier", max_length=200)
    loaded_at = models.DateTimeField("chargée le", auto_now_add=True)

    class Meta:
        verbose_name = "version de fiche"
        verbose_name_plural = "versions de fiches"
        ordering = ["fiche", "-number"]
        constraints = [models.UniqueConstraint(fields=["fiche", "number"], name="one_fiche_version_number")]

    def __str__(self):
        return f"{self.fiche} (version {self.number})"
