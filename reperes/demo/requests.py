"""The demo's accompaniment requests, one in each state, made and handled through the actions
the pages call, then dated back to when they would have happened:

- Les Jardins du Lien (Alice): accompaniment under way with Fiona, its telework readiness
  diagnostic shared with her, a meeting and a document in the follow-up;
- Rouletaboules (Emma): a new request nobody has taken yet;
- Les Paniers de la Touvre (Julien): taken by Fiona, no contact yet;
- Bois & Compagnie (David): accompanied and closed last spring;
- Mutuelle Entraide d'Oc (Lucie): oriented to a training of the catalogue;
- Les Ateliers de l'Aber (Maëlle): one withdrawn, one closed as not eligible for the offer.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from reperes.campaigns.models import Campaign
from reperes.organisations.models import Organisation
from reperes.requests import actions
from reperes.requests.models import Entry, Request, Step


def _at(day, hour=10):
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _backdate(help_request, *, asked, taken=None, closed=None):
    fields = {"created_at": _at(asked)}
    if taken is not None:
        fields["taken_at"] = _at(taken, 14)
    if closed is not None:
        fields["closed_at"] = _at(closed, 16)
    Request.objects.filter(pk=help_request.pk).update(**fields)
    steps = list(help_request.steps.order_by("at", "pk"))
    days = [asked, taken, taken, closed]
    for step, day in zip(steps, [d for d in days if d is not None], strict=False):
        Step.objects.filter(pk=step.pk).update(at=_at(day, 11))


def _ask(slug, network, user, themes, situation, problem, *, campaigns=()):
    organisation = Organisation.objects.get(slug=slug)
    return actions.ask_for_accompaniment(
        organisation,
        network=network,
        themes=themes,
        situation=situation,
        problem=problem,
        contact_name=user.name,
        contact_email=user.email,
        campaigns=list(campaigns),
        by=user,
    )


def _log(help_request, by, day, kind, summary, *, visibility=Entry.Visibility.SHARED, **extra):
    entry = actions.log_entry(
        help_request,
        kind=kind,
        happened_on=timezone.localdate(),
        summary=summary,
        visibility=visibility,
        by=by,
        **extra,
    )
    Entry.objects.filter(pk=entry.pk).update(happened_on=day)
    if kind in Entry.CONTACTS:
        Request.objects.filter(pk=help_request.pk, first_contact_on__isnull=False).update(
            first_contact_on=day
        )
    return entry


def seed_requests(network, users):
    if Request.objects.filter(network=network).exists():
        return
    today = timezone.localdate()
    fiona, hugo = users["fiona"], users["hugo"]

    # Les Jardins du Lien: under way, their readiness diagnostic shared with Fiona only.
    readiness = Campaign.objects.filter(
        organisation__slug="jardins-du-lien",
        questionnaire_version__questionnaire__slug="teletravail-preparation",
    ).first()
    jardins = _ask(
        "jardins-du-lien",
        network,
        users["alice"],
        ["pratiques", "collectif"],
        "Association d'insertion par le maraîchage : neuf salarié·es, dont trois encadrant·es techniques sur "
        "les parcelles et une équipe administrative qui télétravaille deux jours par semaine depuis 2021.",
        "Les informations circulent mal entre les parcelles et les bureaux : messagerie, tableur partagé et "
        "appels se mélangent, et l'équipe de terrain se sent tenue à l'écart des décisions.",
        campaigns=[readiness] if readiness else [],
    )
    actions.take_request(jardins, by=fiona)
    _log(
        jardins,
        fiona,
        today - timedelta(days=18),
        Entry.Kind.CONTACT,
        "Appel avec Alice : elle souhaite un premier rendez-vous avec la représentante du personnel.",
        format=Entry.Format.PHONE,
    )
    _log(
        jardins,
        fiona,
        today - timedelta(days=9),
        Entry.Kind.MEETING,
        "Rendez-vous sur place avec Alice et Carole. Convenu : faire l'inventaire des activités avec les "
        "encadrant·es d'ici fin du mois, puis une réunion d'équipe sur les outils (qui sert à quoi).",
        format=Entry.Format.ONSITE,
        work=Entry.Work.INVENTORY,
    )
    _log(
        jardins,
        fiona,
        today - timedelta(days=9),
        Entry.Kind.NOTE,
        "Structure très motivée ; tension possible entre terrain et bureau à surveiller.",
        visibility=Entry.Visibility.INTERNAL,
    )
    _backdate(jardins, asked=today - timedelta(days=24), taken=today - timedelta(days=21))

    # Rouletaboules: new.
    new = _ask(
        "rouletaboules",
        network,
        users["emma"],
        ["charte"],
        "Scic de réparation de vélos, trois salarié·es et une dizaine de bénévoles.",
        "Nous voulons écrire des règles simples pour le travail administratif à la maison, sans alourdir.",
    )
    _backdate(new, asked=today - timedelta(days=2))

    # Les Paniers de la Touvre: taken, no contact yet.
    paniers = _ask(
        "paniers-de-la-touvre",
        network,
        users["julien"],
        ["activites"],
        "Scic de paniers de légumes : quatorze salarié·es, plateforme logistique et bureaux.",
        "Plusieurs salarié·es demandent du télétravail ; nous ne savons pas quelles tâches s'y prêtent.",
    )
    actions.take_request(paniers, by=fiona)
    _backdate(paniers, asked=today - timedelta(days=6), taken=today - timedelta(days=4))

    # Bois & Compagnie: accompanied, closed last spring.
    bois = _ask(
        "bois-et-compagnie",
        network,
        users["dave"],
        ["hybride", "charte"],
        "Scop de menuiserie, trente-deux salarié·es : atelier, chantiers et bureau d'études.",
        "Le bureau d'études travaille à distance, l'atelier jamais : comment rester équitables ?",
    )
    actions.assign_request(bois, facilitator=fiona, by=hugo)
    _log(
        bois,
        fiona,
        today - timedelta(days=200),
        Entry.Kind.MEETING,
        "Premier rendez-vous.",
        format=Entry.Format.VIDEO,
    )
    _log(
        bois,
        fiona,
        today - timedelta(days=150),
        Entry.Kind.DOCUMENT,
        "Trame de charte relue avec le CSE.",
        work=Entry.Work.CHARTER,
    )
    actions.close_request(bois, outcome=Request.Outcome.ACCOMPANIED, by=fiona)
    _backdate(
        bois,
        asked=today - timedelta(days=210),
        taken=today - timedelta(days=207),
        closed=today - timedelta(days=140),
    )

    # Mutuelle Entraide d'Oc: oriented to a training of the catalogue.
    oc = _ask(
        "entraide-d-oc",
        network,
        users["lucie"],
        ["pratiques"],
        "Mutuelle de cent quatre salarié·es, dont une plateforme téléphonique en télétravail partiel.",
        "Nos managers de proximité ne savent pas encadrer à distance.",
    )
    actions.take_request(oc, by=fiona)
    _log(
        oc,
        fiona,
        today - timedelta(days=60),
        Entry.Kind.CONTACT,
        "Échange avec Lucie.",
        format=Entry.Format.VIDEO,
    )
    actions.close_request(
        oc,
        outcome=Request.Outcome.ORIENTED,
        note="Formation « Manager une équipe à distance » du catalogue, prise en charge par l'OPCO",
        by=fiona,
    )
    _backdate(
        oc,
        asked=today - timedelta(days=70),
        taken=today - timedelta(days=66),
        closed=today - timedelta(days=55),
    )

    # Les Ateliers de l'Aber: one withdrawn, one not eligible.
    aber = _ask(
        "ateliers-de-l-aber",
        network,
        users["maelle"],
        ["collectif"],
        "Association d'éducation populaire, dix-neuf salarié·es sur trois sites.",
        "L'équipe se voit peu depuis que les animations se font sur plusieurs communes.",
    )
    actions.withdraw_request(aber, by=users["maelle"])
    _backdate(aber, asked=today - timedelta(days=100), closed=today - timedelta(days=95))
    aber_again = _ask(
        "ateliers-de-l-aber",
        network,
        users["maelle"],
        ["hybride"],
        "Nous ouvrons un tiers-lieu partagé avec une autre association.",
        "Organiser les présences sur site entre deux structures.",
    )
    actions.close_request(
        aber_again,
        outcome=Request.Outcome.NOT_ELIGIBLE,
        note="Lieu partagé entre deux employeurs : orienté vers le dispositif régional",
        by=hugo,
    )
    _backdate(aber_again, asked=today - timedelta(days=40), closed=today - timedelta(days=33))
