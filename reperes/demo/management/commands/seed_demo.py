import random
from datetime import time, timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from reperes.accounts.models import User
from reperes.accounts.two_factor import readable_secret
from reperes.action_plans import actions as plan_actions
from reperes.action_plans.models import Action, Status
from reperes.campaigns.models import Answer, Campaign, CollectiveAnswer, RespondentGroup, Response, new_token
from reperes.charters import actions as charter_actions
from reperes.charters.models import Instrument
from reperes.discussions.models import AnonymousBallot, Decision, Discussion, Meeting, Proposal, Vote
from reperes.instruments.models import Questionnaire
from reperes.organisations.models import (
    Affiliation,
    Event,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
    Role,
)
from reperes.results.models import Priority
from reperes.telework.models import Activity, ActivityMember, InformationFlow, Tool, UsageCharter

DEMO_PASSWORD = "demo-reperes-2026"
DEMO_DOMAIN = "demo.reperes.fr"
# Network roles and the instance administration need two-factor authentication. The demo's
# accounts that need it share this authenticator key: `manage.py demo_code` prints its
# current code, or any authenticator app takes the key printed at the end of seed_demo.
DEMO_TOTP_KEY = "726570657265732d64656d6f2d3266612d323621"
TWO_FACTOR_PEOPLE = ("fiona", "nina", "hugo")

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
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off (production).")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo crée des comptes au mot de passe connu : il ne s'exécute qu'avec "
                "DEBUG=1. Sur une instance de démonstration publique, ajoutez --force."
            )
        call_command("load_content", stdout=self.stdout if options.get("verbosity", 1) > 1 else None)
        with transaction.atomic():
            users = self.seed()
            self.seed_campaigns(users)
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(f"Comptes de démonstration (mot de passe pour tous : {DEMO_PASSWORD}) :")
        for key, _, description in PEOPLE:
            self.stdout.write(f"  {users[key].email:<28} {description}")
        self.stdout.write(
            f"  {'admin@' + DEMO_DOMAIN:<28} administration de l'instance (/{settings.ADMIN_URL})"
        )
        self.stdout.write(
            "Les rôles de réseau et l'administration demandent un code de double authentification : "
            "« make demo-code » (ou manage.py demo_code) l'affiche ; la clé "
            f"{readable_secret(DEMO_TOTP_KEY)} s'ajoute aussi à une application d'authentification."
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
        for user in [users[key] for key in TWO_FACTOR_PEOPLE] + [
            User.objects.get(email=f"admin@{DEMO_DOMAIN}")
        ]:
            TOTPDevice.objects.get_or_create(
                user=user, name="Démo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
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
            NetworkMembership.objects.get_or_create(network=network, user=users[key], defaults={"role": role})

        for spec in ORGANISATIONS:
            spec = dict(spec)
            members = spec.pop("members")
            organisation, created = Organisation.objects.get_or_create(slug=spec.pop("slug"), defaults=spec)
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

    # Diagnostics

    def seed_campaigns(self, users):
        version = Questionnaire.objects.get(slug="qvt-numerique").latest_version()
        today = timezone.localdate()
        scop = Organisation.objects.get(slug="bois-et-compagnie")
        if not scop.campaigns.exists():
            self.closed_scop_campaign(scop, version, users["dave"], today)
        association = Organisation.objects.get(slug="jardins-du-lien")
        if not association.campaigns.exists():
            campaign = Campaign.objects.create(
                organisation=association,
                questionnaire_version=version,
                title="Diagnostic numérique de l'équipe",
                state=Campaign.State.OPEN,
                closes_on=today + timedelta(days=14),
                opened_on=today - timedelta(days=3),
                expected_respondents=association.headcount,
                created_by=users["alice"],
            )
            for position, label in enumerate(["Direction", "Salarié·es", "Bénévoles"]):
                RespondentGroup.objects.create(campaign=campaign, label=label, position=position)
        if not association.activities.exists():
            self.association_inventory(association, users)
        readiness = Questionnaire.objects.get(slug="teletravail-preparation").latest_version()
        if not association.campaigns.filter(
            questionnaire_version__questionnaire=readiness.questionnaire
        ).exists():
            self.association_readiness(association, readiness, users["alice"], today)
        if not association.telework_charters.exists():
            self.association_charter(association, users)
        scic = Organisation.objects.get(slug="rouletaboules")
        if not scic.campaigns.exists():
            self.collective_scic_campaign(scic, version, users["emma"], today)

    def closed_scop_campaign(self, scop, version, lead, today):
        """22 answers split 10 / 7 / 5, management seen very differently by direction."""
        campaign = Campaign.objects.create(
            organisation=scop,
            questionnaire_version=version,
            title="Où en sommes-nous avec le numérique ?",
            state=Campaign.State.CLOSED,
            closes_on=today - timedelta(days=200),
            opened_on=today - timedelta(days=225),
            closed_on=today - timedelta(days=200),
            expected_respondents=scop.headcount,
            created_by=lead,
            results_token=new_token(),
        )
        groups = {
            label: RespondentGroup.objects.create(campaign=campaign, label=label, position=n)
            for n, label in enumerate(["Direction", "Salarié·es", "Associé·es"])
        }
        # Probability of « Oui » per theme and group: management splits direction and staff.
        yes = {
            "Direction": {
                "projet": 0.7,
                "information": 0.5,
                "temps": 0.5,
                "espaces": 0.6,
                "competences": 0.4,
                "management": 0.9,
            },
            "Salarié·es": {
                "projet": 0.4,
                "information": 0.35,
                "temps": 0.3,
                "espaces": 0.55,
                "competences": 0.25,
                "management": 0.3,
            },
            "Associé·es": {
                "projet": 0.55,
                "information": 0.4,
                "temps": 0.35,
                "espaces": 0.6,
                "competences": 0.3,
                "management": 0.55,
            },
        }
        self.answers(campaign, groups, yes, seed=2026, days_ago=(200, 224))
        for position, theme_id in enumerate(["temps", "competences"]):
            Priority.objects.create(
                campaign=campaign, theme_id=theme_id, position=position, chosen_by=lead, chosen_on=today
            )
        self.scop_discussion(scop, campaign, lead, today)
        self.scop_action_plan(scop, campaign, lead, today)
        # Six months on: the same questionnaire, better on the two priorities.
        follow_up = Campaign.objects.create(
            organisation=scop,
            questionnaire_version=version,
            title="Où en sommes-nous avec le numérique ? — point de suivi",
            state=Campaign.State.CLOSED,
            closes_on=today - timedelta(days=10),
            opened_on=today - timedelta(days=30),
            closed_on=today - timedelta(days=10),
            expected_respondents=scop.headcount,
            created_by=lead,
            follows=campaign,
        )
        later_groups = {
            label: RespondentGroup.objects.create(campaign=follow_up, label=label, position=n)
            for n, label in enumerate(groups)
        }
        for label in yes:
            yes[label]["temps"] = min(0.95, yes[label]["temps"] + 0.35)
            yes[label]["competences"] = min(0.95, yes[label]["competences"] + 0.25)
        self.answers(follow_up, later_groups, yes, seed=2027, days_ago=(10, 29))
        Event.objects.create(
            organisation=scop,
            actor=lead,
            verb="campaign.closed",
            target=campaign.title,
            description=f"{lead} a clôturé le diagnostic « {campaign.title} » (22 réponses).",
        )

    def association_inventory(self, association, users):
        """What the association's team does, and what could be done from home."""
        inventory = [
            (
                "Accompagner les salarié·es en insertion sur les parcelles",
                "Encadrement",
                "daily",
                "no",
                "",
                0,
                "Les jardins, les outils, les personnes accompagnées",
            ),
            ("Rédiger les bilans de parcours", "Accompagnement", "weekly", "yes", "", 2, "Le dossier papier"),
            ("Répondre aux appels à projets", "Direction", "monthly", "yes", "", 2, ""),
            ("Préparer les paniers de légumes", "Encadrement", "weekly", "no", "", 0, "La chambre froide"),
            (
                "Saisir la comptabilité",
                "Administratif",
                "weekly",
                "partly",
                "Avec l'accès au logiciel en ligne ; les pièces papier restent au bureau",
                2,
                "Les factures papier",
            ),
        ]
        for title, role, frequency, remote, conditions, days, needs in inventory:
            activity = Activity.objects.create(
                organisation=association,
                title=title,
                role=role,
                frequency=frequency,
                remote=remote,
                conditions=conditions,
                groupable=days > 0,
                days_per_month=days,
                on_site_needs=needs,
                created_by=users["alice"],
            )
            if role in ("Accompagnement", "Administratif"):
                ActivityMember.objects.create(
                    activity=activity, user=users["bob"], wishes_remote=remote != "no"
                )
            if role in ("Direction", "Encadrement"):
                ActivityMember.objects.create(activity=activity, user=users["alice"])
        for name, purpose, delay, hours, urgent in [
            ("Messagerie", "exchange", "day", (time(8, 30), time(18, 30)), "le téléphone"),
            ("Téléphone", "exchange", "hour", (time(8, 0), time(19, 0)), ""),
            ("Dossier partagé", "collaborate", "none", None, ""),
            ("Lettre d'information du réseau", "inform", "none", None, ""),
        ]:
            Tool.objects.create(
                organisation=association,
                name=name,
                purpose=purpose,
                reply_delay=delay,
                hours_from=hours[0] if hours else None,
                hours_to=hours[1] if hours else None,
                urgent_channel=urgent,
            )
        UsageCharter.objects.create(
            organisation=association,
            disconnect_from=time(19, 0),
            disconnect_to=time(7, 30),
            weekend=True,
            importance_levels="« URGENT » dans l'objet seulement si cela ne peut pas attendre le lendemain.",
            quiet_slots="Le mardi matin : pas de réunion, on avance sur les bilans.",
            awareness_actions="Un temps d'échange par an sur nos usages de la messagerie.",
            updated_by=users["alice"],
            updated_on=timezone.localdate(),
        )
        for name, now, then in [
            ("Planning de la semaine", (-5, 5), (-5, -3)),
            ("Compte rendu du conseil d'administration", (5, -5), (5, 3)),
            ("Consignes de sécurité sur les parcelles", (-3, 5), None),
            ("Actualités du réseau", (3, 5), (3, -5)),
        ]:
            InformationFlow.objects.create(
                organisation=association,
                name=name,
                current_x=now[0],
                current_y=now[1],
                target_x=then[0] if then else None,
                target_y=then[1] if then else None,
                created_by=users["alice"],
            )

    def association_readiness(self, association, version, lead, today):
        """The team answered the telework readiness diagnostic together, agreeing on each answer."""
        campaign = Campaign.objects.create(
            organisation=association,
            questionnaire_version=version,
            title="Télétravail : où en sommes-nous ?",
            mode=Campaign.Mode.COLLECTIVE,
            collective_method=Campaign.CollectiveMethod.CONSENSUS,
            state=Campaign.State.CLOSED,
            opened_on=today - timedelta(days=21),
            closes_on=today - timedelta(days=20),
            closed_on=today - timedelta(days=20),
            created_by=lead,
        )
        rng = random.Random(5)
        # Strong on activities and cohesion, weak on written rules and equipment.
        leaning = {"tt-activites": 0.8, "tt-collectif": 0.7, "tt-cadre": 0.2, "tt-equipement": 0.3}
        values = ["tout-a-fait", "plutot-oui", "plutot-non", "pas-du-tout"]
        for item_id in version.spec.item_ids:  # scored statements only
            good = leaning.get(version.spec.theme_of_item[item_id], 0.5)
            roll = rng.random()
            index = 0 if roll < good / 2 else 1 if roll < good else 2 if roll < good + (1 - good) / 2 else 3
            CollectiveAnswer.objects.create(
                campaign=campaign,
                item_id=item_id,
                consensus=values[index],
                note="Le matériel dépend de chacun·e pour l'instant."
                if item_id.startswith("tt-equipement")
                else "",
            )

    def association_charter(self, association, users):
        """A draft telework charter from the full proposal, still missing the clause on carers, with
        the team's parameters and a comment."""
        charter = charter_actions.create_charter(
            association,
            by=users["alice"],
            instrument=Instrument.CHARTER,
            title="Charte de télétravail des Jardins du Lien",
            co_drafted=True,
        )
        for row in charter.clauses.all():
            if row.clause_id == "acces-proches-aidants":
                row.delete()
        charter_actions.set_parameters(
            charter,
            {"jours_max": 1, "contact_debut": "09:00", "contact_fin": "16:30", "jours_collectifs_mois": 4},
            by=users["alice"],
        )
        row = charter.clauses.get(clause_id="plages-joignabilite")
        charter_actions.comment_clause(
            row, by=users["bob"], text="Le mercredi je finis à 15 h : peut-on prévoir une plage réduite ?"
        )

    def answers(self, campaign, groups, yes, *, seed, days_ago):
        """22 responses split 10 / 7 / 5, drawn with the given probability of « Oui » per theme."""
        rng = random.Random(seed)
        spec = campaign.spec
        today = timezone.localdate()
        for label, count in [("Salarié·es", 10), ("Associé·es", 7), ("Direction", 5)]:
            for _ in range(count):
                response = Response.objects.create(
                    campaign=campaign,
                    group=groups[label],
                    # A closed campaign's responses all carry its closing day (actions.close_campaign).
                    submitted_on=campaign.closed_on or today - timedelta(days=rng.randint(*days_ago)),
                    submission_key=new_token(),
                )
                answers = []
                for item_id in spec.item_ids:
                    p_yes = yes[label][spec.theme_of_item[item_id]]
                    roll = rng.random()
                    value = "oui" if roll < p_yes else ("nsp" if roll < p_yes + (1 - p_yes) / 3 else "non")
                    answers.append(Answer(response=response, item_id=item_id, value=value))
                Answer.objects.bulk_create(answers)

    def collective_scic_campaign(self, scic, version, lead, today):
        """Four people answered together in a meeting; the lead noted the agreed answers."""
        campaign = Campaign.objects.create(
            organisation=scic,
            questionnaire_version=version,
            title="Diagnostic en réunion d'équipe",
            mode=Campaign.Mode.COLLECTIVE,
            collective_method=Campaign.CollectiveMethod.COUNTS,
            state=Campaign.State.OPEN,
            closes_on=today + timedelta(days=7),
            opened_on=today - timedelta(days=1),
            created_by=lead,
        )
        rng = random.Random(4)
        for item_id in version.spec.item_ids:
            yes = rng.randint(0, 4)
            unsure = rng.randint(0, 4 - yes)
            CollectiveAnswer.objects.create(
                campaign=campaign,
                item_id=item_id,
                counts={"oui": yes, "nsp": unsure, "non": 4 - yes - unsure},
                note="Avis partagés entre l'atelier et le bureau." if item_id == "temps-2" else "",
            )

    def scop_discussion(self, scop, campaign, lead, today):
        """A discussion on the first priority, two meetings, a proposal adopted by vote."""
        discussion = Discussion.objects.create(
            organisation=scop,
            campaign=campaign,
            theme_id="temps",
            title="Discussion : Organisation du temps de travail",
            agenda=(
                "Thème : Organisation du temps de travail\n\n"
                "Partir des affirmations les moins partagées, puis des questions de la fiche."
            ),
            opened_by=lead,
            opened_on=today - timedelta(days=190),
        )
        Meeting.objects.create(
            discussion=discussion,
            held_on=today - timedelta(days=185),
            participants=14,
            notes="Les messages du soir pèsent surtout sur le chantier. Idée : une plage sans messagerie.",
        )
        Meeting.objects.create(
            discussion=discussion,
            held_on=today - timedelta(days=170),
            participants=11,
            notes="Proposition mise au vote ; l'atelier demande une exception pour les urgences client.",
        )
        proposal = Proposal.objects.create(
            discussion=discussion,
            text="Écrire ensemble des règles de déconnexion",
            details="Pas de messages entre 19 h et 7 h, sauf urgence client signalée par téléphone.",
            proposed_by=lead,
            decision=Decision.ADOPTED,
            decided_by_vote=True,
            decided_on=today - timedelta(days=160),
        )
        Vote.objects.create(
            proposal=proposal, anonymous=True, closes_on=today - timedelta(days=160), closed=True
        )
        for choice in ["for"] * 9 + ["abstain"] * 2 + ["against"]:
            AnonymousBallot.objects.create(vote=proposal.vote, choice=choice)
        self.demo_proposal = proposal

    def scop_action_plan(self, scop, campaign, lead, today):
        """About ten actions in every status, most born from the two priorities."""
        plan = [
            (
                "Écrire ensemble des règles de déconnexion",
                "temps",
                "temps-2",
                Status.IN_PROGRESS,
                20,
                2,
                lead,
                "",
            ),
            (
                "Point mensuel sur la charge de travail en réunion d'atelier",
                "temps",
                "temps-5",
                Status.DONE,
                -10,
                4,
                lead,
                "",
            ),
            (
                "Étudier le télétravail pour l'administratif",
                "temps",
                "temps-4",
                Status.PROPOSED,
                45,
                1,
                None,
                "Sabine (comptabilité)",
            ),
            (
                "Clarifier les règles d'horaires affichées à l'atelier",
                "temps",
                "temps-1",
                Status.DONE,
                -30,
                5,
                lead,
                "",
            ),
            (
                "Recenser les compétences numériques de chacun",
                "competences",
                "competences-3",
                Status.IN_PROGRESS,
                -5,
                2,
                lead,
                "",
            ),
            (
                "Former deux référents au logiciel de devis",
                "competences",
                "competences-4",
                Status.PROPOSED,
                60,
                3,
                None,
                "Karim (bureau d'études)",
            ),
            (
                "Choisir le prochain outil avec ses utilisateurs",
                "competences",
                "competences-2",
                Status.PROPOSED,
                90,
                1,
                lead,
                "",
            ),
            (
                "Tutorat entre anciens et nouveaux sur la tablette de chantier",
                "competences",
                "competences-5",
                Status.IN_PROGRESS,
                15,
                4,
                lead,
                "",
            ),
            (
                "Remplacer l'agenda papier par un agenda partagé",
                "information",
                "information-4",
                Status.ABANDONED,
                -15,
                4,
                None,
                "Paul",
            ),
            (
                "Charte d'usage de la messagerie",
                "information",
                "information-3",
                Status.DONE,
                -40,
                5,
                lead,
                "",
            ),
        ]
        fiches = {theme["id"]: theme["fiche"] for theme in campaign.spec.themes}
        for title, theme_id, item_id, status, due_in, step, owner, owner_name in plan:
            action = Action.objects.create(
                organisation=scop,
                campaign=campaign,
                theme_id=theme_id,
                item_id=item_id,
                fiche=fiches[theme_id],
                title=title,
                owner=owner,
                owner_name=owner_name,
                start_on=today - timedelta(days=190),
                due_on=today + timedelta(days=due_in),
                review_on=today + timedelta(days=due_in + 30),
                status=status,
                project_step=step,
                social_dialogue=theme_id == "temps",
                indicator="Nombre de mails envoyés après 19 h" if item_id == "temps-2" else "",
                indicator_target="Moins de 5 par semaine" if item_id == "temps-2" else "",
                done_on=today + timedelta(days=due_in) if status == Status.DONE else None,
                created_by=lead,
                proposal=self.demo_proposal if item_id == "temps-2" else None,
            )
            if status == Status.DONE and item_id == "temps-5":
                for n, value in enumerate(["yes", "yes", "partly", "yes", "no", "yes"]):
                    member = User.objects.create_user(
                        email=f"salarie{n}.{action.pk}@{DEMO_DOMAIN}",
                        name=f"Salarié·e {n + 1}",
                        password=None,
                    )
                    Membership.objects.create(organisation=scop, user=member, role=Role.MEMBER)
                    plan_actions.give_feedback(action, user=member, value=value)
