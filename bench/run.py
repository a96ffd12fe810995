"""Repères benchmark: the median time of a few pages, as ratios to a baseline of the same run.

`make bench` runs this file. It builds a throwaway SQLite database in a temporary directory
(never var/), loads the demo plus an organisation of 200 members, then requests each page
in-process with django.test.Client, pages interleaved in a shuffled order so that every page,
baseline included, sees the same machine. See bench/README.md for how to read the figures.
"""

import argparse
import gc
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from common import BASELINE_PATH, RESULTS_RESPONSES, build_closed_campaign, build_demo, configure_django

ORGANISATION_SIZE = 200
PENDING_INVITATIONS = 12
OTHER_NETWORK_ORGANISATIONS = 40

FIRST_NAMES = [
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Jade", "Louise", "Zoé", "Lina",
    "Lucas", "Théo", "Nathan", "Louis", "Karim", "Yanis", "Mathis", "Jules", "Gabriel", "Malik",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon",
]  # fmt: skip


@dataclass
class Page:
    label: str
    client: object
    path: str
    status: int
    expect: str  # a text the response must contain, so that we time the page we think we time
    headers: dict = field(default_factory=dict)  # {"HX-Request": "true"} for an htmx fragment
    timings: list = field(default_factory=list)
    queries: int = 0

    @property
    def median_ms(self):
        return statistics.median(self.timings) / 1e6


def build_data():
    """The demo, a 200-member organisation that joined through invitations, a bigger network."""
    from django.conf import settings
    from django.db import transaction
    from django.utils.text import slugify

    from reperes.accounts.models import User
    from reperes.organisations import actions, reference
    from reperes.organisations.models import Affiliation, Network, Organisation, Role

    build_demo()
    # The organisation below invites its 200 members on the day it is created, which the lower
    # quota of an organisation's first week forbids (reperes.lib.limits): lift it for the bench.
    settings.MAIL_QUOTA_NEW_ORGANISATION_PER_DAY = settings.MAIL_QUOTA_ORGANISATION_PER_DAY
    network = Network.objects.get(slug="reseau-ess-demo")

    names = [f"{first} {last}" for last in LAST_NAMES for first in FIRST_NAMES]
    assert len(names) > ORGANISATION_SIZE
    emails = [f"{slugify(name)}.{n}@rance.example.org" for n, name in enumerate(names)]
    # No password: nobody logs in with one here, and hashing 200 Argon2 passwords takes seconds.
    lead = User.objects.create_user(email=emails[0], name=names[0], email_verified=True)
    organisation = actions.create_organisation(
        by=lead,
        name="Aide à domicile du Pays de Rance",
        legal_form="association",
        headcount=230,
        sector="aide_domicile",
        region="53",
        opco="uniformation",
        has_cse=True,
        has_union_delegate=True,
    )
    actions.join_network(organisation, network, by=lead)
    # The others join as people do: invited by the lead, then accepting the link. One more than
    # needed, because one of them leaves below.
    for n in range(1, ORGANISATION_SIZE + 1):
        role = Role.STAFF_REP if n % 40 == 0 else Role.MEMBER
        invitation = actions.invite_member(organisation, email=emails[n], role=role, by=lead)
        user = User.objects.create_user(email=emails[n], name=names[n])
        actions.accept_invitation(invitation, user=user)
    memberships = list(organisation.memberships.exclude(user=lead).select_related("user"))
    actions.change_role(memberships[0], role=Role.LEAD, by=lead)
    for membership in memberships[1:6]:
        actions.change_role(membership, role=Role.STAFF_REP, by=lead)
    actions.remove_member(memberships[6], by=lead)
    organisation.headcount = 232
    actions.update_organisation(organisation, by=lead, changed=["effectif"])
    invitations = [
        actions.invite_member(organisation, email=f"recrue.{n}@rance.example.org", role=Role.MEMBER, by=lead)
        for n in range(PENDING_INVITATIONS + 1)
    ]
    actions.revoke_invitation(invitations[0], by=lead)

    # A network the size of a regional union: 40 more organisations, all over France.
    regions = [code for code, _ in reference.choices("regions")]
    sectors = [code for code, _ in reference.choices("sectors")]
    with transaction.atomic():
        others = Organisation.objects.bulk_create(
            Organisation(
                name=f"Structure adhérente {n:02d}",
                slug=f"structure-adherente-{n:02d}",
                legal_form=["association", "scop", "scic", "mutuelle"][n % 4],
                headcount=3 + (n * 7) % 120,
                sector=sectors[n % len(sectors)],
                region=regions[n % len(regions)],
            )
            for n in range(1, OTHER_NETWORK_ORGANISATIONS + 1)
        )
        Affiliation.objects.bulk_create(Affiliation(network=network, organisation=other) for other in others)
    results_campaign, scop_lead = build_closed_campaign()
    return {
        "organisation": organisation,
        "lead": lead,
        "results_campaign": results_campaign,
        "scop_lead": scop_lead,
        "last_member": names[ORGANISATION_SIZE],
        "network": network,
        "facilitator": User.objects.get(email="fiona@demo.reperes.fr"),
    }


def make_pages(data):
    from django.test import Client
    from django.urls import reverse

    from tests.helpers import force_login_verified

    anonymous = Client()
    lead = Client()
    lead.force_login(data["lead"])
    # A network role needs a session verified with a second factor, as the tests give one.
    facilitator = force_login_verified(Client(), data["facilitator"])
    scop_lead = Client()
    scop_lead.force_login(data["scop_lead"])
    slug = data["organisation"].slug
    campaign = data["results_campaign"]
    return [
        Page("baseline: 404 page, anonymous", anonymous, BASELINE_PATH, 404, "introuvable"),
        Page("public home page, anonymous", anonymous, "/", 200, "Créer un compte"),
        Page("login page, anonymous", anonymous, reverse("accounts:login"), 200, "Se connecter"),
        # The frame every page of a logged-in user pays: session, user, menus, no page content.
        Page(
            "privacy page, as lead (logged-in frame)",
            scop_lead,
            reverse("answer:privacy"),
            200,
            "Confidentialité",
        ),
        Page(
            "dashboard, as lead",
            lead,
            reverse("spaces:dashboard", args=[slug]),
            200,
            "Tableau de bord",
        ),
        Page(
            f"members page ({ORGANISATION_SIZE}), as lead",
            lead,
            reverse("organisations:members", args=[slug]),
            200,
            data["last_member"],
        ),
        Page(
            "events page (200 shown), as lead",
            lead,
            reverse("organisations:events", args=[slug]),
            200,
            "a rejoint la structure",
        ),
        Page(
            "network home, as facilitator",
            facilitator,
            reverse("networks:home", args=[data["network"].slug]),
            200,
            f"Structure adhérente {OTHER_NETWORK_ORGANISATIONS:02d}",
        ),
        # The organisation frame: the same with the organisation's header and one small list.
        Page(
            "exercises page (organisation frame), as lead",
            scop_lead,
            reverse("exercises:list", args=[campaign.organisation.slug]),
            200,
            "Exercices",
        ),
        Page(
            f"results page ({RESULTS_RESPONSES}, closed), as lead",
            scop_lead,
            reverse("results:detail", args=[campaign.organisation.slug, campaign.pk]),
            200,
            'id="carte"',
        ),
        Page(
            "its panels (htmx, after the page), as lead",
            scop_lead,
            reverse("results:panels", args=[campaign.organisation.slug, campaign.pk]),
            200,
            'id="pistes"',
            headers={"HX-Request": "true"},
        ),
    ]


def check(page):
    response = page.client.get(page.path, headers=page.headers)
    if response.status_code != page.status:
        raise SystemExit(f"{page.label}: status {response.status_code}, expected {page.status}.")
    if page.expect not in response.content.decode():
        raise SystemExit(f"{page.label}: the response does not contain {page.expect!r}.")


def measure(pages, *, repeat, warmup):
    """Time every page `repeat` times, in rounds that visit each page once in a shuffled order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for page in pages:
        check(page)
        # Counted apart from the timings: capturing queries slows each query down.
        with CaptureQueriesContext(connection) as queries:
            page.client.get(page.path, headers=page.headers)
        page.queries = len(queries)

    rng = random.Random(2026)
    order = list(pages)
    gc.collect()
    for round_ in range(warmup + repeat):
        rng.shuffle(order)
        for page in order:
            start = time.perf_counter_ns()
            page.client.get(page.path, headers=page.headers)
            elapsed = time.perf_counter_ns() - start
            if round_ >= warmup:
                page.timings.append(elapsed)


def describe_platform():
    import django
    from django.db import connection

    return (
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"Django {django.get_version()}, {os.cpu_count()} CPU ({platform.machine()})\n"
        f"Database: {connection.display_name} {connection.Database.sqlite_version}, "
        f"throwaway file {connection.settings_dict['NAME']}"
    )


def print_table(pages):
    baseline = pages[0].median_ms
    width = max(len(page.label) for page in pages)
    print(f"{'page':<{width}}  {'× baseline':>10}  {'median ms':>9}  {'SQL queries':>11}")
    for page in pages:
        ratio = page.median_ms / baseline
        print(f"{page.label:<{width}}  {ratio:>10.1f}  {page.median_ms:>9.2f}  {page.queries:>11}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=20, help="untimed rounds first")
    args = parser.parse_args()

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="reperes-bench-") as var_dir:
        configure_django(Path(var_dir))
        from django.db import connections

        print(f"Repères benchmark — {describe_platform()}")
        data = build_data()
        pages = make_pages(data)
        organisation = data["organisation"]
        print(
            f"Data: the demo, plus « {organisation} » ({organisation.memberships.count()} "
            f"members,\n      {organisation.events.count()} events, "
            f"{organisation.invitations.pending().count()} pending invitations) in a network of "
            f"{data['network'].organisations.count()} organisations."
        )
        built = time.monotonic()
        print(
            f"Median of {args.repeat} requests per page after {args.warmup} warm-up rounds, pages "
            "interleaved\nin shuffled rounds, in-process (django.test.Client), DEBUG off."
        )
        print()
        measure(pages, repeat=args.repeat, warmup=args.warmup)
        print_table(pages)
        print()
        print(
            "The ratio is the figure of record; milliseconds depend on the machine. Baseline: the\n"
            "French 404 page for an anonymous visitor — every middleware both ways, URL\n"
            "resolution, one small template through the context processors, no SQL query: the\n"
            "fixed cost any page pays, and nothing more."
        )
        print(f"Built the data in {built - started:.1f} s, measured in {time.monotonic() - built:.1f} s.")
        connections.close_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
