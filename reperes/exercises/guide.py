"""What each exercise asks, from the guide « Qualité de vie au travail et numérique » (seed 001),
in our own words: the sections a team goes through, the questions that guide it, and the
opportunities and risks it keeps in view.

A section's `key` is what an entry of the team is stored under (Entry.key): keys are never
renamed, only added. `determinants` are the tags (reperes/instruments/frameworks.py, an author's
choices: LAB'QVT determinants and Anact domains) an action born from the section starts with.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    questions: tuple
    determinants: tuple = ()
    # What an action born from this section is called when the team wrote nothing shorter.
    action_title: str = ""


@dataclass(frozen=True)
class Family:
    key: str
    label: str
    examples: str
    opportunities: tuple
    risks: tuple


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    default_title: str
    intro: str
    fiche: str
    sections: tuple
    fiche_title: str = ""
    prompts_title: str = ""
    prompts: tuple = field(default=())

    def section(self, key):
        return next((s for s in self.sections if s.key == key), None)


# The four checks the guide asks of every digital tool, before and after adopting it.
TOOL_CHECKS = (
    Section(
        key="sens",
        title="Le sens : à quoi doit-il servir ?",
        questions=(
            "Quel problème de l'équipe cet outil doit-il résoudre, et pour qui ?",
            "Sert-il à la fois la qualité du service rendu et les conditions de travail de l'équipe ?",
            "Qu'est-ce qui changera dans la façon de travailler, au-delà de la technique ?",
        ),
        determinants=("labqvt:contenu-travail", "anact:contenu-travail"),
        action_title="Clarifier à quoi sert l'outil",
    ),
    Section(
        key="utilite",
        title="L'utilité : pour l'équipe et pour les autres",
        questions=(
            "Qui s'en sert vraiment, et pour quelles tâches ?",
            "Qu'apporte-t-il aux personnes accompagnées, aux adhérent·es, aux partenaires ?",
            "Qu'est-ce qu'il complique, ou qui il laisse de côté (aisance numérique, matériel, handicap) ?",
        ),
        determinants=("labqvt:contenu-travail", "anact:conditions-travail"),
        action_title="Mesurer l'utilité de l'outil avec l'équipe",
    ),
    Section(
        key="regles",
        title="Les règles d'usage, déconnexion comprise",
        questions=(
            "Qui l'utilise, pour quoi faire, et avec quel délai de réponse attendu ?",
            "À quelles heures ne s'en sert-on pas ? Et le soir, le week-end, pendant les congés ?",
            "Comment travaille-t-on ensemble avec lui sans se noyer sous les notifications ?",
        ),
        determinants=("labqvt:sante", "anact:articulation-temps"),
        action_title="Écrire les règles d'usage de l'outil",
    ),
    Section(
        key="evolution",
        title="Son évolution : ce qui marche, ce qui pourrait mieux marcher",
        questions=(
            "Qu'est-ce qui fonctionne bien aujourd'hui, qu'est-ce qui coince ?",
            "Qui a besoin d'être formé·e ou accompagné·e ?",
            "Quand refaisons-nous le point, et qu'est-ce qui nous ferait changer d'outil ?",
        ),
        determinants=("labqvt:competences-parcours", "anact:parcours"),
        action_title="Faire évoluer l'outil et former l'équipe",
    ),
)

# The guide's table of opportunities and risks by family of digital tools (after Bobillier
# Chaumon, La Revue des conditions de travail n° 6, 2016, Anact), reworded.
FAMILIES = (
    Family(
        key="communication",
        label="Communication",
        examples="messagerie, site internet, extranet…",
        opportunities=("L'information circule mieux entre services et niveaux",),
        risks=(
            "Des relations entre personnes qui se dégradent",
            "Une charge de travail qui gonfle avec le flot des messages",
        ),
    ),
    Family(
        key="collaboration",
        label="Collaboration",
        examples="agenda partagé, espaces de fichiers communs, réseau social interne…",
        opportunities=("Une meilleure coopération", "Des liens plus faciles entre équipes et services"),
        risks=(
            "Un outil qui dicte la façon de faire le travail",
            "L'obligation de « collaborer » en permanence",
            "Trop d'informations à suivre",
        ),
    ),
    Family(
        key="management",
        label="Gestion et documents",
        examples="logiciel de gestion, gestion électronique des documents…",
        opportunities=(
            "Une information mieux rangée et plus facile à retrouver",
            "Une structure qui réagit plus vite",
        ),
        risks=(
            "Des procédures et des comptes rendus qui pèsent",
            "Le sentiment de perdre la main ou son autonomie",
        ),
    ),
    Family(
        key="decision",
        label="Aide à l'action et à la décision",
        examples="système expert, automatisation, base de connaissances…",
        opportunities=("Moins d'efforts physiques ou de charge mentale sur certaines tâches",),
        risks=("Moins de place pour l'initiative et la créativité",),
    ),
    Family(
        key="training",
        label="Formation",
        examples="formation en ligne, MOOC…",
        opportunities=("Des compétences qui se développent", "Des ressources partagées"),
        risks=("Moins d'occasions d'apprendre ensemble",),
    ),
)
FAMILY_CHOICES = [(family.key, family.label) for family in FAMILIES]


def family(key):
    return next((f for f in FAMILIES if f.key == key), None)


TIME_DETERMINANTS = ("labqvt:sante", "labqvt:management", "anact:articulation-temps")

# The rules a team agrees on for its working time (fiche 3 and its five questions).
TIME_RULES = (
    Section(
        key="disponibilite",
        title="Nos plages de disponibilité",
        questions=(
            "Entre quelles heures peut-on se joindre, selon les métiers et les jours ?",
            "Comment chacun·e fait-il connaître ses horaires, son temps partiel, ses absences ?",
        ),
        determinants=TIME_DETERMINANTS,
        action_title="Afficher les plages de disponibilité de l'équipe",
    ),
    Section(
        key="delais",
        title="Nos délais de réponse",
        questions=(
            "Sous quel délai répond-on à un message, selon l'outil et la demande ?",
            "Qu'est-ce qui peut attendre le lendemain, la semaine suivante ?",
        ),
        determinants=TIME_DETERMINANTS,
        action_title="Convenir des délais de réponse",
    ),
    Section(
        key="deconnexion",
        title="Notre déconnexion",
        questions=(
            "À partir de quelle heure, et le week-end, ne se sollicite-t-on plus ?",
            "Que fait-on d'un message reçu pendant un congé ?",
            "Que faire quand quelqu'un semble ne jamais décrocher ?",
        ),
        determinants=("labqvt:sante", "anact:articulation-temps"),
        action_title="Mettre en place nos règles de déconnexion",
    ),
    Section(
        key="urgence",
        title="Ce qui est vraiment urgent",
        questions=(
            "Qu'appelle-t-on une urgence chez nous, exemples à l'appui ?",
            "Par quel canal passe une urgence (téléphone plutôt que messagerie ?) et qui la reçoit ?",
        ),
        determinants=TIME_DETERMINANTS,
        action_title="Définir ce qui est urgent et comment le signaler",
    ),
    Section(
        key="reunions",
        title="Nos réunions et temps collectifs",
        questions=(
            "Quels créneaux réserve-t-on aux réunions, et lesquels en protège-t-on ?",
            "Faut-il un temps d'équipe régulier pour se former et réguler, ou une journée sans téléphone ?",
        ),
        determinants=("labqvt:relations-climat", "anact:relations"),
        action_title="Fixer nos créneaux de réunion et nos temps sans sollicitation",
    ),
    Section(
        key="temps-partiel",
        title="Temps partiel et travail à distance",
        questions=(
            "Comment répond-on à une demande de temps partiel pour une période donnée ?",
            "Avons-nous regardé ce que permettraient le travail nomade ou le télétravail ?",
        ),
        determinants=TIME_DETERMINANTS,
        action_title="Organiser les demandes de temps partiel et de travail à distance",
    ),
    Section(
        key="charge",
        title="Le point sur la charge de travail",
        questions=(
            "Quand et avec qui fait-on le point sur la charge de chacun·e ?",
            "Comment repère-t-on qu'elle déborde, et qui peut le dire sans crainte ?",
        ),
        determinants=("labqvt:sante", "labqvt:management", "anact:conditions-travail"),
        action_title="Faire régulièrement le point sur la charge de travail",
    ),
)

# The four kinds of time the fiche asks a team to reconcile.
TIME_PROMPTS = (
    "Le temps du marché : ce qu'attendent vos publics ou vos clients, et la pression qu'ils exercent.",
    "Le temps de la structure : ce qu'imposent votre activité, vos contraintes techniques, "
    "votre organisation.",
    "Le territoire : transports, services publics, équipements sociaux à proximité… ou non.",
    "Le temps des salarié·es : leurs ressources et leurs contraintes, qui changent au fil de la vie.",
)

SPACE_DETERMINANTS = ("labqvt:sante", "labqvt:relations-climat", "anact:conditions-travail")

# The co-design of the workspace (fiche 4), step by step.
SPACE_STEPS = (
    Section(
        key="demarche",
        title="1. Organiser la démarche",
        questions=(
            "Qui conduit le projet, avec quel calendrier et quel budget de départ ?",
            "Comment toute l'équipe, et d'autres parties prenantes, y participent-elles ?",
        ),
        determinants=("labqvt:management", "anact:relations"),
        action_title="Lancer la démarche sur nos locaux avec toute l'équipe",
    ),
    Section(
        key="usages",
        title="2. Observer les usages d'aujourd'hui",
        questions=(
            "À quoi servent nos locaux, pièce par pièce, au fil d'une semaine ?",
            "Qu'est-ce qui coince, qu'est-ce qui marche bien ?",
        ),
        determinants=SPACE_DETERMINANTS,
        action_title="Observer les usages de nos locaux",
    ),
    Section(
        key="besoins",
        title="3. Lister les besoins par activité",
        questions=(
            "Pour chaque activité (accueil, appels, travail au calme, réunions, pauses…), que faut-il ?",
            "Qu'est-ce qui changera demain, avec le numérique ou le travail à distance ?",
        ),
        determinants=SPACE_DETERMINANTS,
        action_title="Lister les besoins en espace de chaque activité",
    ),
    Section(
        key="scenarios",
        title="4. Imaginer des scénarios d'usage",
        questions=(
            "En simulant une journée future, quels agencements possibles ?",
            "Quels repères retenir : matériel, disposition des lieux, personnes, organisation ?",
        ),
        determinants=SPACE_DETERMINANTS,
        action_title="Préparer des scénarios d'aménagement",
    ),
    Section(
        key="compromis",
        title="5. Choisir le meilleur compromis",
        questions=(
            "Quel scénario sert le mieux nos usages pour une dépense raisonnable ?",
            "Qu'est-ce qui pourra évoluer sans tout refaire ?",
        ),
        determinants=SPACE_DETERMINANTS,
        action_title="Décider de l'aménagement retenu",
    ),
    Section(
        key="essai",
        title="6. Tester et accompagner",
        questions=(
            "Que peut-on essayer d'abord, à petite échelle ?",
            "Quelles règles d'usage et quelle formation accompagnent le changement ?",
        ),
        determinants=SPACE_DETERMINANTS,
        action_title="Tester le nouvel aménagement",
    ),
    Section(
        key="bilan",
        title="7. Faire le bilan et ajuster",
        questions=(
            "Quand refait-on le point, et avec qui ?",
            "Quels ajustements sont nécessaires ?",
        ),
        determinants=SPACE_DETERMINANTS,
        action_title="Faire le bilan de l'aménagement",
    ),
)

SPACE_PROMPTS = (
    "Atout : un espace adapté à chaque usage.",
    "Atout : une meilleure coopération.",
    "Risque : des investissements trop lourds.",
    "Risque : décider à deux ou trois et passer à côté de la complexité des usages : "
    "concevez avec toute l'équipe.",
)

KINDS = {
    "tool_review": Kind(
        key="tool_review",
        label="Revue d'un outil numérique",
        default_title="Revue d'un outil numérique",
        intro=(
            "Avant d'adopter un outil, puis quelques mois après, l'équipe passe en revue son sens, "
            "son utilité, ses règles d'usage et son évolution, et décide pour chacun de ces points."
        ),
        fiche="",
        sections=TOOL_CHECKS,
    ),
    "time_compromise": Kind(
        key="time_compromise",
        label="Compromis sur le temps de travail",
        default_title="Notre compromis sur le temps de travail",
        intro=(
            "L'équipe se met d'accord sur quelques règles simples : quand on se joint, sous quel délai "
            "on répond, quand on se déconnecte, ce qui est urgent, et comment on veille à la charge "
            "de travail."
        ),
        fiche="temps-de-travail",
        fiche_title="Organisation du temps de travail",
        sections=TIME_RULES,
        prompts_title="Quatre temps à concilier",
        prompts=TIME_PROMPTS,
    ),
    "workspace_design": Kind(
        key="workspace_design",
        label="Co-conception des espaces de travail",
        default_title="Nos locaux, conçus ensemble",
        intro=(
            "En sept étapes courtes, l'équipe observe comment elle utilise ses locaux, liste ses "
            "besoins, imagine des scénarios, choisit le meilleur compromis, l'essaie puis en fait le bilan."
        ),
        fiche="espaces-de-travail",
        fiche_title="Organisation des espaces de travail",
        sections=SPACE_STEPS,
        prompts_title="Ce que la fiche 4 invite à garder en tête",
        prompts=SPACE_PROMPTS,
    ),
}
KIND_CHOICES = [(kind.key, kind.label) for kind in KINDS.values()]


def all_tags():
    """Every determinant tag the exercises name (checked against the frameworks by a test)."""
    return {tag for kind in KINDS.values() for section in kind.sections for tag in section.determinants}
