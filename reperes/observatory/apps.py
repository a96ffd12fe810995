from django.apps import AppConfig

from reperes.lib.schedule import Job, day


class ObservatoryConfig(AppConfig):
    """The network observatory: anonymous indicators across the organisations that agreed to
    contribute, published as dated releases under the disclosure rules of disclosure.py."""

    name = "reperes.observatory"
    verbose_name = "Observatoire du réseau"
    # Beside a team's closed QVT results: « structures comparables » (reperes.lib.panels).
    results_panel = "reperes.observatory.panels.results_panel"
    # Daily, publishing on the first day of each quarter (the scheduler has no quarterly period).
    periodic_jobs = [
        Job(
            "observatory.quarterly_release",
            "reperes.observatory.jobs.quarterly_release",
            every=day(after="04:10"),
        )
    ]
