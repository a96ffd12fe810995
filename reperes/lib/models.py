"""The one table of reperes.lib (daily email counters, for `reperes.lib.limits`), and the
abstract model of content versions that questionnaires and fiches share.

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


class ContentVersion(models.Model):
    """One loaded state of a content file (a questionnaire, a fiche), numbered 1, 2… per item.
    Never edited: a changed file makes a new version (`reperes.lib.content.store_if_changed`), so
    that what a team answered or read stays as it was. Subclasses add the item they version
    (with related_name="versions") and the parsed data."""

    number = models.PositiveIntegerField("version")
    content_hash = models.CharField("empreinte", max_length=64)
    source = models.CharField("fichier", max_length=200)
    loaded_at = models.DateTimeField("chargée le", auto_now_add=True)

    class Meta:
        abstract = True


class VersionedContent(models.Model):
    """An item of content identified by its slug, whose texts live in immutable versions."""

    slug = models.SlugField("identifiant", unique=True)

    class Meta:
        abstract = True

    def latest_version(self):
        return self.versions.order_by("-number").first()


class SentMail(models.Model):
    """The idempotency key of every mail the mail task has handed to the mail server, so that a
    task run twice (a worker restarted, a task requeued) sends its mail once. No address, no
    subject: the key is random. Kept MAIL_KEYS_DAYS days (the scheduler's purge)."""

    key = models.CharField("clé", max_length=64, primary_key=True)
    sent_at = models.DateTimeField("envoyé le", auto_now_add=True)

    class Meta:
        verbose_name = "e-mail envoyé"
        verbose_name_plural = "e-mails envoyés"

    def __str__(self):
        return self.key


class WorkerHeartbeat(models.Model):
    """The last sign of life of each task worker (`manage.py worker`), written every few
    seconds while it runs. A task still « running » whose workers have all fallen silent was
    interrupted (kill -9, power cut): the scheduler puts it back in the queue."""

    worker_id = models.CharField("travailleur", max_length=64, primary_key=True)
    seen_at = models.DateTimeField("vu le")

    class Meta:
        verbose_name = "battement d'un travailleur"
        verbose_name_plural = "battements des travailleurs"

    def __str__(self):
        return f"{self.worker_id} {self.seen_at:%Y-%m-%d %H:%M:%S}"


class ScheduledRun(models.Model):
    """One run of a periodic job for one period (a day, a week, a slot of minutes): the
    scheduler inserts the row before running the job, so that two schedulers, or one run twice,
    run each job once per period. A failed run deletes its row and is tried again."""

    job = models.CharField("tâche", max_length=80)
    period = models.CharField("période", max_length=20)
    started_at = models.DateTimeField("commencée le", auto_now_add=True)
    finished_at = models.DateTimeField("finie le", null=True, blank=True)
    summary = models.CharField("résumé", max_length=300, blank=True)

    class Meta:
        verbose_name = "exécution planifiée"
        verbose_name_plural = "exécutions planifiées"
        constraints = [models.UniqueConstraint(fields=["job", "period"], name="one_run_per_period")]

    def __str__(self):
        return f"{self.job} {self.period}"
