"""The one table of reperes.lib: daily email counters, for `reperes.lib.limits`.

A counter, like a row of the cache table: no foreign key and no domain, so that every app
(accounts sends verification mails, organisations invitations) can count without importing
another. Keys are ids or hashes, never an address in clear.
"""

from django.db import models


class MailCounter(models.Model):
    """How many emails one sender (an organisation, an account) or one recipient address (its
    hash) got today. Rows older than yesterday are deleted as new ones are created."""

    scope = models.CharField("portée", max_length=20)
    key = models.CharField("clé", max_length=64)
    day = models.DateField("jour")
    count = models.PositiveIntegerField("e-mails", default=0)

    class Meta:
        verbose_name = "compteur d'e-mails"
        verbose_name_plural = "compteurs d'e-mails"
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "day"], name="one_mail_counter_per_day")
        ]

    def __str__(self):
        return f"{self.scope} {self.key} {self.day}: {self.count}"
