from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reperes.accounts.models import User
from reperes.organisations.models import (
    Affiliation,
    Event,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
    Role,
)

DEMO_PASSWORD = "demo-reperes-2026"
DEMO_DOMAIN = "demo.reperes.fr"

PEOPLE = [
    # key, name, description printed for the person trying the demo
    ("alice", "Alice Martin", "référente des Jardins du Lien (association, 12 personnes)"),
    ("bob", "Bob Lefèvre", "membre des Jardins du Lien"),
    ("carol", "Carole Nguyen", "représentante du personnel des Jardins du Lien"),
    ("dave", "David Roussel", "référent de la Scop Bois & Compagnie (35 personnes)"),
    ("emma", "Emma Girard", "référente de la Scic Rouletaboules (4 personnes)"),
    ("fiona", "Fiona Benali", "accompagnatrice du Réseau ESS démo"),
    ("nina", "Nina Carpentier", "chargée d'observatoire du Réseau ESS démo"),
    ("hugo", "Hugo Marchand", "administrateur du Réseau ESS démo"),
]

ORGANISATIONS = [
    {
        "slug": "jardins-du-lien",
        "name": "Les Jardins du Lien",
        "legal_form": "association",
        "headcount": 12,
        "sector": "insertion",
        "region": "52",
        "opco": "uniformation",
        "has_cse": True,
        "has_union_delegate": False,
        "members": [("alice", Role.LEAD), ("bob", Role.MEMBER), ("carol", Role.STAFF_REP)],
    },
    {
        "slug": "bois-et-compagnie",
        "name": "Bois & Compagnie",
        "legal_form": "scop",
        "headcount": 35,
        "sector": "industrie_btp",
        "region": "76",
        "opco": "constructys",
        "has_cse": True,
        "has_union_delegate": True,
        "members": [("dave", Role.LEAD)],
    },
    {
        "slug": "rouletaboules",
        "name": "Rouletaboules",
        "legal_form": "scic",
        "headcount": 4,
        "sector": "commerce_services",
        "region": "53",
        "opco": "",
        "has_cse": False,
        "has_union_delegate": False,
        "members": [("emma", Role.LEAD)],
    },
]


class Command(BaseCommand):
    help = (
        "Creates the demo network, three organisations and one account per persona, with a "
        "known password. Idempotent. Refuses to run with DEBUG off unless --force is given, "
        "because it prints passwords anyone could use."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even though DEBUG is off (production)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo crée des comptes au mot de passe connu : il ne s'exécute qu'avec "
                "DEBUG=1. Sur une instance de démonstration publique, ajoutez --force."
            )
        with transaction.atomic():
            users = self.seed()
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Comptes de démonstration (mot de passe pour tous : {DEMO_PASSWORD}) :")
        for key, _, description in PEOPLE:
            self.stdout.write(f"  {users[key].email:<28} {description}")
        self.stdout.write(
            f"  {'admin@' + DEMO_DOMAIN:<28} administration de l'instance (/{settings.ADMIN_URL})"
        )

    def seed(self):
        users = {}
        for key, name, _ in PEOPLE:
            user, created = User.objects.get_or_create(
                email=f"{key}@{DEMO_DOMAIN}", defaults={"name": name, "email_verified": True}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            users[key] = user
        if not User.objects.filter(email=f"admin@{DEMO_DOMAIN}").exists():
            User.objects.create_superuser(
                email=f"admin@{DEMO_DOMAIN}", name="Administration", password=DEMO_PASSWORD
            )

        network, created = Network.objects.get_or_create(
            slug="reseau-ess-demo",
            defaults={
                "name": "Réseau ESS démo",
                "scope": Network.Scope.NATIONAL,
                "description": "Une union fictive de structures de l'ESS, pour découvrir Repères.",
                "join_code": "DEMO2026",
            },
        )
        for key, role in [("hugo", "admin"), ("fiona", "facilitator"), ("nina", "analyst")]:
            NetworkMembership.objects.get_or_create(
                network=network, user=users[key], defaults={"role": role}
            )

        for spec in ORGANISATIONS:
            spec = dict(spec)
            members = spec.pop("members")
            organisation, created = Organisation.objects.get_or_create(
                slug=spec.pop("slug"), defaults=spec
            )
            for key, role in members:
                Membership.objects.get_or_create(
                    organisation=organisation, user=users[key], defaults={"role": role}
                )
            Affiliation.objects.get_or_create(network=network, organisation=organisation)
            if created:
                lead = users[members[0][0]]
                Event.objects.create(
                    organisation=organisation,
                    actor=lead,
                    verb="organisation.created",
                    description=f"{lead} a créé la structure « {organisation.name} ».",
                )
        return users
