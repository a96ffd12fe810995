from django.apps import AppConfig

from reperes.lib.schedule import Job, day


class MaturityConfig(AppConfig):
    """The digital-maturity self-diagnostic: an organisation (not its people) says where it
    stands, dimension by dimension; a level per dimension and overall, what the next level would
    take, and the change since the last time."""

    name = "reperes.maturity"
    verbose_name = "Maturité numérique"
    periodic_jobs = [Job("maturity.purge", "reperes.maturity.jobs.purge", every=day(after="03:40"))]
