import random
from contextlib import contextmanager
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from reperes.accounts import actions as account_actions
from reperes.accounts.models import User
from reperes.accounts.two_factor import readable_secret
from reperes.action_plans import actions as plan_actions
from reperes.action_plans.models import Action, Status
from reperes.campaigns import actions as campaign_actions
from reperes.campaigns.models import Campaign
from reperes.charters import actions as charter_actions
from reperes.charters.models import Instrument
from reperes.demo.evaluation import seed_evaluation
from reperes.demo.exercises import seed_exercises
from reperes.demo.listings import seed_listings
from reperes.demo.matchmaking import seed_cases
from reperes.demo.maturity import seed_maturity
from reperes.demo.observatory import seed_observatory
from reperes.demo.offers import seed_offers
from reperes.demo.programmes import seed_programmes
from reperes.demo.requests import seed_requests
from reperes.demo.resources import seed_resources
from reperes.demo.surveys import seed_surveys
from reperes.discussions import actions as discussion_actions
from reperes.discussions.models import Decision
from reperes.instruments.models import Questionnaire
from reperes.organisations import actions as organisation_actions
from reperes.organisations.models import Membership, Network, NetworkRole, Organisation, Role
from reperes.results import actions as result_actions
from reperes.telework import actions as telework_actions

DEMO_PASSWORD = "demo-reperes-2026"
DEMO_DOMAIN = "demo.reperes.fr"
NETWORK_SLUG = "reseau-ess-demo"
# Network roles and the instance administration need two-factor authentication. The demo's
# accounts that need it share this authenticator key: `manage.py demo_code` prints its
# current code, or any authenticator app takes the key printed at the end of seed_demo.
DEMO_TOTP_KEY = "726570657265732d64656d6f2d3266612d323621"
TWO_FACTOR_PEOPLE = ("fiona", "nina", "hugo", "mia")

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
    ("mia", "Mia Lemoine", "chargée de mise en lien du Réseau ESS démo (annonces)"),
    ("julien", "Julien Faure", "référent de la Scic Les Paniers de la Touvre (18 personnes)"),
    ("lucie", "Lucie Bertrand", "référente de la Mutuelle Entraide d'Oc (118 personnes)"),
    ("maelle", "Maëlle Le Gall", "référente des Ateliers de l'Aber (association, 26 personnes)"),
]
# Members the programmes name as participants, whom the demo does not log in as: no password,
# as each one costs a deliberately slow hash.
WITHOUT_LOGIN = {"ines": "Inès Morel", "marc": "Marc Delmas", "yann": "Yann Kerhervé"}

ORGANISATIONS = [
    {
        "slug": "jardins-du-lien",
        "name": "Les Jardins du Lien",
        "legal_form": "association",
        "headcount": 12,
        "employees": 9,
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
        "employees": 32,
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
        "employees": 3,
        "sector": "commerce_services",
        "region": "53",
        "opco": "",
        "has_cse": False,
        "has_union_delegate": False,
        "members": [("emma", Role.LEAD)],
    },
    # The three below came for the programmes: two take part in the Charente cohort, the third
    # applies to the Bretagne one.
    {
        "slug": "paniers-de-la-touvre",
        "name": "Les Paniers de la Touvre",
        "legal_form": "scic",
        "headcount": 18,
        "employees": 14,
        "sector": "environnement",
        "region": "75",
        "opco": "ocapiat",
        "has_cse": True,
        "has_union_delegate": False,
        "members": [("julien", Role.LEAD), ("ines", Role.MEMBER)],
    },
    {
        "slug": "entraide-d-oc",
        "name": "Mutuelle Entraide d'Oc",
        "legal_form": "mutuelle",
        "headcount": 118,
        "employees": 104,
        "sector": "finance_assurance",
        "region": "76",
        "opco": "atlas",
        "has_cse": True,
        "has_union_delegate": True,
        "members": [("lucie", Role.LEAD), ("marc", Role.STAFF_REP)],
    },
    {
        "slug": "ateliers-de-l-aber",
        "name": "Les Ateliers de l'Aber",
        "legal_form": "association",
        "headcount": 26,
        "employees": 19,
        "sector": "animation",
        "region": "53",
        "opco": "uniformation",
        "has_cse": True,
        "has_union_delegate": False,
        "members": [("maelle", Role.LEAD), ("yann", Role.MEMBER)],
    },
]


# How many of the Scop's staff have an account: they vote on the proposal (12 ballots with the
# lead's) and six of them say whether the monthly workload meeting helped.
SCOP_STAFF = 11
SCOP_BALLOTS = ["for"] * 9 + ["abstain"] * 2 + ["against"]
SCOP_FEEDBACK = ["yes", "yes", "partly", "yes", "no", "yes"]


class Command(BaseCommand):
    help = (
        "Creates the demo network, six organisations and one account per persona, with a known "
        "password, their diagnostics, a programme cohort under way and a call for applications, "
        "through the same actions as the pages. Idempotent. Refuses to run with DEBUG off unless "
        "--force is given, because it prints passwords anyone could use."
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
        with no_mail(), transaction.atomic():
            users = self.seed()
            self.seed_campaigns(users)
            network = Network.objects.get(slug=NETWORK_SLUG)
            seed_programmes(network, users)
            seed_offers(network, by=users["hugo"])
            seed_resources(network, author=users["hugo"])
            seed_requests(network, users)
            seed_evaluation(network)
            seed_maturity(Organisation.objects.get(slug="jardins-du-lien"), users["alice"])
            seed_exercises(Organisation.objects.get(slug="jardins-du-lien"), users["alice"])
            seed_observatory(network, users)
            seed_surveys(network, users)
            seed_listings(network, users)
            seed_cases(network, users)
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

    # People, the network and the organisations

    def seed(self):
        names = {key: name for key, name, _ in PEOPLE} | WITHOUT_LOGIN
        users = {key: User.objects.filter(email=email(key)).first() for key in names}
        # Those who start something sign up; the others are invited by them.
        for key in ("hugo", *(spec["members"][0][0] for spec in ORGANISATIONS)):
            if users[key] is None:
                users[key] = account_actions.sign_up(
                    email=email(key), name=names[key], password=DEMO_PASSWORD
                )
                account_actions.verify_email(users[key])

        network = Network.objects.filter(slug=NETWORK_SLUG).first()
        if network is None:
            network = organisation_actions.create_network(
                name="Réseau ESS démo",
                scope=Network.Scope.NATIONAL,
                description="Une union fictive de structures de l'ESS, pour découvrir Repères.",
                admin=users["hugo"],
            )
            set_join_code(network, "DEMO2026")
        for key, role in [
            ("fiona", NetworkRole.FACILITATOR),
            ("nina", NetworkRole.ANALYST),
            ("mia", NetworkRole.MATCHMAKER),
        ]:
            if users[key] is None:
                invitation = organisation_actions.invite_to_network(
                    network, email=email(key), role=role, by=users["hugo"]
                )
                users[key] = organisation_actions.create_account_and_accept_network(
                    invitation, name=names[key], password=DEMO_PASSWORD
                )

        for spec in ORGANISATIONS:
            spec = dict(spec)
            (lead_key, _), *others = spec.pop("members")
            lead = users[lead_key]
            organisation = Organisation.objects.filter(slug=spec["slug"]).first()
            if organisation is None:
                # The slug is the demo's address, chosen rather than derived from the name.
                organisation = organisation_actions.create_organisation(by=lead, **spec)
            elif organisation.employees is None:
                # A demo seeded before the profile asked for the number of employees.
                organisation.employees = spec["employees"]
                organisation_actions.update_organisation(
                    organisation, by=lead, changed=["nombre de salarié·es"]
                )
            for key, role in others:
                password = None if key in WITHOUT_LOGIN else DEMO_PASSWORD
                users[key] = self.join(
                    organisation, key, names[key], role=role, by=lead, user=users[key], password=password
                )
            organisation_actions.join_network(organisation, network, by=lead)

        for user in [users[key] for key in TWO_FACTOR_PEOPLE] + [demo_administrator()]:
            give_demo_authenticator(user)
        return users

    def join(self, organisation, key, name, *, role, by, user=None, password=None):
        """`by` invites the person, who accepts: with a new account (`password`, or none), or with
        the one they have."""
        if user is not None and Membership.objects.filter(organisation=organisation, user=user).exists():
            return user
        invitation = organisation_actions.invite_member(organisation, email=email(key), role=role, by=by)
        if user is None:
            return organisation_actions.create_account_and_accept(
                invitation, name=name, password=password
            ).user
        organisation_actions.accept_invitation(invitation, user=user)
        return user

    # Diagnostics

    def seed_campaigns(self, users):
        version = Questionnaire.objects.get(slug="qvt-numerique").latest_version()
        today = timezone.localdate()
        scop = Organisation.objects.get(slug="bois-et-compagnie")
        if not scop.campaigns.exists():
            self.closed_scop_campaign(scop, version, users["dave"], today)
        association = Organisation.objects.get(slug="jardins-du-lien")
        if not association.campaigns.exists():
            campaign = campaign_actions.create_campaign(
                association,
                by=users["alice"],
                groups=["Direction", "Salarié·es", "Bénévoles"],
                questionnaire_version=version,
                title="Diagnostic numérique de l'équipe",
                closes_on=today + timedelta(days=14),
            )
            campaign_actions.open_campaign(
                campaign, by=users["alice"], expected_respondents=association.headcount
            )
            backdate_campaign(campaign, opened_on=today - timedelta(days=3))
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
        staff = [
            self.join(scop, f"salarie{n}", f"Salarié·e {n}", role=Role.MEMBER, by=lead)
            for n in range(1, SCOP_STAFF + 1)
        ]
        campaign = campaign_actions.create_campaign(
            scop,
            by=lead,
            groups=["Direction", "Salarié·es", "Associé·es"],
            questionnaire_version=version,
            title="Où en sommes-nous avec le numérique ?",
            closes_on=today,
        )
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
        self.answer_and_close(campaign, lead, yes, seed=2026)
        backdate_campaign(
            campaign,
            opened_on=today - timedelta(days=225),
            closes_on=today - timedelta(days=200),
            closed_on=today - timedelta(days=200),
        )
        campaign_actions.share_results(campaign, by=lead)
        result_actions.set_priorities(campaign, theme_ids=["temps", "competences"], by=lead)
        proposal = self.scop_discussion(scop, campaign, lead, [lead, *staff], today)
        self.scop_action_plan(scop, campaign, lead, proposal, staff, today)
        # Six months on: the same questionnaire, better on the two priorities.
        follow_up = campaign_actions.start_follow_up(campaign, by=lead, closes_on=today)
        for label in yes:
            yes[label]["temps"] = min(0.95, yes[label]["temps"] + 0.35)
            yes[label]["competences"] = min(0.95, yes[label]["competences"] + 0.25)
        self.answer_and_close(follow_up, lead, yes, seed=2027)
        backdate_campaign(
            follow_up,
            opened_on=today - timedelta(days=30),
            closes_on=today - timedelta(days=10),
            closed_on=today - timedelta(days=10),
        )

    def answer_and_close(self, campaign, lead, yes, *, seed):
        """Open the campaign, answer it 22 times through the share link (10 / 7 / 5, with the
        given probability of « Oui » per theme), and close it."""
        campaign_actions.open_campaign(
            campaign, by=lead, expected_respondents=campaign.organisation.headcount
        )
        rng = random.Random(seed)
        spec = campaign.spec
        groups = {group.label: group for group in campaign.groups.all()}
        for label, count in [("Salarié·es", 10), ("Associé·es", 7), ("Direction", 5)]:
            for _ in range(count):
                answers = {}
                for item_id in spec.item_ids:
                    p_yes = yes[label][spec.theme_of_item[item_id]]
                    roll = rng.random()
                    answers[item_id] = (
                        "oui" if roll < p_yes else ("nsp" if roll < p_yes + (1 - p_yes) / 3 else "non")
                    )
                draft, _ = campaign_actions.start_draft(campaign)
                campaign_actions.choose_group(draft, groups[label])
                campaign_actions.save_answers(draft, answers)
                campaign_actions.submit(draft)
        campaign_actions.close_campaign(campaign, by=lead)

    def association_inventory(self, association, users):
        """What the association's team does, and what could be done from home."""
        alice, bob = users["alice"], users["bob"]
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
            activity = telework_actions.add_activity(
                association,
                by=alice,
                title=title,
                role=role,
                frequency=frequency,
                remote=remote,
                conditions=conditions,
                groupable=days > 0,
                days_per_month=days,
                on_site_needs=needs,
            )
            if role in ("Accompagnement", "Administratif"):
                telework_actions.mark(activity, user=bob, does_it=True, wishes_remote=remote != "no")
            if role in ("Direction", "Encadrement"):
                telework_actions.mark(activity, user=alice, does_it=True, wishes_remote=False)
        for name, purpose, delay, hours, urgent in [
            ("Messagerie", "exchange", "day", (time(8, 30), time(18, 30)), "le téléphone"),
            ("Téléphone", "exchange", "hour", (time(8, 0), time(19, 0)), ""),
            ("Dossier partagé", "collaborate", "none", None, ""),
            ("Lettre d'information du réseau", "inform", "none", None, ""),
        ]:
            telework_actions.add_tool(
                association,
                by=alice,
                name=name,
                purpose=purpose,
                reply_delay=delay,
                hours_from=hours[0] if hours else None,
                hours_to=hours[1] if hours else None,
                urgent_channel=urgent,
            )
        telework_actions.save_usage_rules(
            association,
            by=alice,
            disconnect_from=time(19, 0),
            disconnect_to=time(7, 30),
            weekend=True,
            importance_levels="« URGENT » dans l'objet seulement si cela ne peut pas attendre le lendemain.",
            quiet_slots="Le mardi matin : pas de réunion, on avance sur les bilans.",
            awareness_actions="Un temps d'échange par an sur nos usages de la messagerie.",
        )
        for name, now, then in [
            ("Planning de la semaine", (-5, 5), (-5, -3)),
            ("Compte rendu du conseil d'administration", (5, -5), (5, 3)),
            ("Consignes de sécurité sur les parcelles", (-3, 5), None),
            ("Actualités du réseau", (3, 5), (3, -5)),
        ]:
            telework_actions.place_flow(
                association,
                by=alice,
                name=name,
                current_x=now[0],
                current_y=now[1],
                target_x=then[0] if then else None,
                target_y=then[1] if then else None,
            )

    def association_readiness(self, association, version, lead, today):
        """The team answered the telework readiness diagnostic together, agreeing on each answer."""
        campaign = campaign_actions.create_campaign(
            association,
            by=lead,
            groups=[],
            questionnaire_version=version,
            title="Télétravail : où en sommes-nous ?",
            mode=Campaign.Mode.COLLECTIVE,
            collective_method=Campaign.CollectiveMethod.CONSENSUS,
            closes_on=today,
        )
        campaign_actions.open_campaign(campaign, by=lead, expected_respondents=None)
        rng = random.Random(5)
        # Strong on activities and cohesion, weak on written rules and equipment.
        leaning = {"tt-activites": 0.8, "tt-collectif": 0.7, "tt-cadre": 0.2, "tt-equipement": 0.3}
        values = ["tout-a-fait", "plutot-oui", "plutot-non", "pas-du-tout"]
        entries = {}
        for item_id in version.spec.item_ids:  # scored statements only
            good = leaning.get(version.spec.theme_of_item[item_id], 0.5)
            roll = rng.random()
            index = 0 if roll < good / 2 else 1 if roll < good else 2 if roll < good + (1 - good) / 2 else 3
            entries[item_id] = {
                "consensus": values[index],
                "note": "Le matériel dépend de chacun·e pour l'instant."
                if item_id.startswith("tt-equipement")
                else "",
            }
        campaign_actions.record_collective_answers(campaign, by=lead, entries=entries)
        campaign_actions.close_campaign(campaign, by=lead)
        backdate_campaign(
            campaign,
            opened_on=today - timedelta(days=21),
            closes_on=today - timedelta(days=20),
            closed_on=today - timedelta(days=20),
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
                charter_actions.remove_clause(row, by=users["alice"])
        charter_actions.set_parameters(
            charter,
            {"jours_max": 1, "contact_debut": "09:00", "contact_fin": "16:30", "jours_collectifs_mois": 4},
            by=users["alice"],
        )
        row = charter.clauses.get(clause_id="plages-joignabilite")
        charter_actions.comment_clause(
            row, by=users["bob"], text="Le mercredi je finis à 15 h : peut-on prévoir une plage réduite ?"
        )

    def collective_scic_campaign(self, scic, version, lead, today):
        """Four people answered together in a meeting; the lead noted the agreed answers."""
        campaign = campaign_actions.create_campaign(
            scic,
            by=lead,
            groups=[],
            questionnaire_version=version,
            title="Diagnostic en réunion d'équipe",
            mode=Campaign.Mode.COLLECTIVE,
            collective_method=Campaign.CollectiveMethod.COUNTS,
            closes_on=today + timedelta(days=7),
        )
        campaign_actions.open_campaign(campaign, by=lead, expected_respondents=None)
        rng = random.Random(4)
        entries = {}
        for item_id in version.spec.item_ids:
            yes = rng.randint(0, 4)
            unsure = rng.randint(0, 4 - yes)
            entries[item_id] = {
                "counts": {"oui": yes, "nsp": unsure, "non": 4 - yes - unsure},
                "note": "Avis partagés entre l'atelier et le bureau." if item_id == "temps-2" else "",
            }
        campaign_actions.record_collective_answers(campaign, by=lead, entries=entries)
        backdate_campaign(campaign, opened_on=today - timedelta(days=1))

    def scop_discussion(self, scop, campaign, lead, voters, today):
        """A discussion on the first priority, two meetings, a proposal adopted by vote."""
        discussion = discussion_actions.open_discussion(
            scop,
            by=lead,
            campaign=campaign,
            theme_id="temps",
            title="Discussion : Organisation du temps de travail",
            agenda=(
                "Thème : Organisation du temps de travail\n\n"
                "Partir des affirmations les moins partagées, puis des questions de la fiche."
            ),
        )
        backdate(discussion, opened_on=today - timedelta(days=190))
        discussion_actions.record_meeting(
            discussion,
            by=lead,
            held_on=today - timedelta(days=185),
            participants=14,
            notes="Les messages du soir pèsent surtout sur le chantier. Idée : une plage sans messagerie.",
        )
        discussion_actions.record_meeting(
            discussion,
            by=lead,
            held_on=today - timedelta(days=170),
            participants=11,
            notes="Proposition mise au vote ; l'atelier demande une exception pour les urgences client.",
        )
        proposal = discussion_actions.propose(
            discussion,
            by=lead,
            text="Écrire ensemble des règles de déconnexion",
            details="Pas de messages entre 19 h et 7 h, sauf urgence client signalée par téléphone.",
        )
        vote = discussion_actions.open_vote(proposal, by=lead, anonymous=True, closes_on=today)
        for voter, choice in zip(voters, SCOP_BALLOTS, strict=True):
            discussion_actions.cast(vote, user=voter, choice=choice)
        discussion_actions.close_vote(vote, by=lead, k=campaign.threshold)
        proposal.refresh_from_db()
        if proposal.decision != Decision.ADOPTED:
            raise CommandError("La proposition de démonstration aurait dû être adoptée.")
        backdate(vote, closes_on=today - timedelta(days=160))
        backdate(proposal, decided_on=today - timedelta(days=160))
        return proposal

    def scop_action_plan(self, scop, campaign, lead, proposal, staff, today):
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
            fields = {
                "title": title,
                "owner": owner,
                "owner_name": owner_name,
                "start_on": today - timedelta(days=190),
                "due_on": today + timedelta(days=due_in),
                "review_on": today + timedelta(days=due_in + 30),
                # Done comes through the status change, which dates it.
                "status": Status.IN_PROGRESS if status == Status.DONE else status,
                "project_step": step,
                "social_dialogue": theme_id == "temps",
                "indicator": "Nombre de mails envoyés après 19 h" if item_id == "temps-2" else "",
                "indicator_target": "Moins de 5 par semaine" if item_id == "temps-2" else "",
            }
            if item_id == "temps-2":
                # The adopted proposal becomes the action, then the lead completes it.
                action = plan_actions.action_from_proposal(proposal, by=lead)
                previous_owner_id = action.owner_id
                for name, value in {**fields, "item_id": item_id}.items():
                    setattr(action, name, value)
                changed = [str(Action._meta.get_field(name).verbose_name).lower() for name in fields]
                plan_actions.update_action(
                    action, by=lead, changed=changed, previous_owner_id=previous_owner_id
                )
            else:
                action = plan_actions.create_action(
                    scop,
                    by=lead,
                    campaign=campaign,
                    theme_id=theme_id,
                    item_id=item_id,
                    fiche=fiches[theme_id],
                    **fields,
                )
            if status == Status.DONE:
                plan_actions.change_status(action, status=Status.DONE, by=lead)
                backdate(action, done_on=today + timedelta(days=due_in))
                if item_id == "temps-5":
                    for member, value in zip(staff, SCOP_FEEDBACK, strict=False):
                        plan_actions.give_feedback(action, user=member, value=value)


def email(key):
    return f"{key}@{DEMO_DOMAIN}"


@contextmanager
def no_mail():
    """The demo's addresses are made up: the emails the actions send while seeding (verification,
    invitations, notices) go nowhere, rather than to the console or, with --force, to a server."""
    mailers = {
        alias: {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"} for alias in settings.MAILERS
    }
    with override_settings(MAILERS=mailers):
        yield


# What no user can do, written directly: each helper says why no action applies.


def set_join_code(network, code):
    """A network's join code is drawn at random; the demo's is short and known."""
    network.join_code = code
    network.save(update_fields=["join_code"])


def demo_administrator():
    """The instance's administrators are made with createsuperuser, not through the site."""
    user = User.objects.filter(email=email("admin")).first()
    if user is None:
        user = User.objects.create_superuser(
            email=email("admin"), name="Administration", password=DEMO_PASSWORD
        )
    return user


def give_demo_authenticator(user):
    """A person confirms their own authenticator app with a code (enable_two_factor, which also
    gives them recovery codes); the demo's accounts share one published key instead."""
    TOTPDevice.objects.get_or_create(
        user=user, name="Démo", defaults={"key": DEMO_TOTP_KEY, "confirmed": True}
    )


def backdate_campaign(campaign, *, opened_on, closes_on=None, closed_on=None):
    """The demo looks lived-in: its diagnostics ran in the past, whereas the actions open, answer
    and close them today. Responses carry the closing day, as close_campaign dates them."""
    campaign.opened_on = opened_on
    campaign.opened_at = datetime.combine(opened_on, time(9), tzinfo=timezone.get_current_timezone())
    fields = ["opened_on", "opened_at"]
    if closes_on is not None:
        campaign.closes_on = closes_on
        fields.append("closes_on")
    if closed_on is not None:
        campaign.closed_on = closed_on
        fields.append("closed_on")
        campaign.responses.update(submitted_on=closed_on)
    campaign.save(update_fields=fields)


def backdate(instance, **dates):
    """The same for a discussion, a vote, a decision or a finished action: the actions date
    them today."""
    for name, value in dates.items():
        setattr(instance, name, value)
    instance.save(update_fields=list(dates))
