"""Who may apply to a programme: the reasons, in French, from the organisation's profile."""

import pytest

from reperes.organisations.models import Organisation
from reperes.programmes.definition import EligibilitySpec
from reperes.programmes.eligibility import reasons_not_eligible

UNDER_50 = EligibilitySpec(max_employees=49)
BRETAGNE_OPCOS = EligibilitySpec(opcos=["uniformation", "opco_sante", "afdas"])


def organisation(employees=12, opco="uniformation", region="53"):
    return Organisation(name="Les Jardins du Lien", employees=employees, opco=opco, region=region)


@pytest.mark.parametrize(
    ("eligibility", "profile", "member", "reasons"),
    [
        pytest.param(EligibilitySpec(), {"employees": None, "opco": ""}, False, [], id="open-to-all"),
        pytest.param(UNDER_50, {"employees": 12}, True, [], id="under-the-cut-off"),
        pytest.param(UNDER_50, {"employees": 49}, True, [], id="at-the-cut-off"),
        pytest.param(
            UNDER_50,
            {"employees": 50},
            True,
            ["Ce parcours s'adresse aux structures de moins de 50 salarié·es ; votre profil en indique 50."],
            id="one-over-the-cut-off",
        ),
        pytest.param(
            UNDER_50,
            {"employees": 62},
            True,
            ["Ce parcours s'adresse aux structures de moins de 50 salarié·es ; votre profil en indique 62."],
            id="over-the-cut-off",
        ),
        pytest.param(
            UNDER_50,
            {"employees": None},
            True,
            [
                "Ce parcours s'adresse aux structures de moins de 50 salarié·es ; le profil de votre "
                "structure n'indique pas encore son nombre de salarié·es : renseignez-le pour pouvoir "
                "candidater."
            ],
            id="employees-unknown",
        ),
        pytest.param(BRETAGNE_OPCOS, {"opco": "afdas"}, True, [], id="opco-in-the-list"),
        pytest.param(
            BRETAGNE_OPCOS,
            {"opco": "akto"},
            True,
            [
                "Ce parcours est réservé aux structures qui relèvent de l'OPCO Uniformation (Opco "
                "Cohésion sociale), Opco Santé ou Afdas ; votre profil indique Akto."
            ],
            id="opco-out-of-the-list",
        ),
        pytest.param(
            BRETAGNE_OPCOS,
            {"opco": ""},
            True,
            [
                "Ce parcours est réservé aux structures qui relèvent de l'OPCO Uniformation (Opco "
                "Cohésion sociale), Opco Santé ou Afdas ; le profil de votre structure n'indique pas "
                "d'OPCO : renseignez-le pour pouvoir candidater."
            ],
            id="opco-blank",
        ),
        pytest.param(EligibilitySpec(regions=["53"]), {"region": "53"}, True, [], id="in-the-region"),
        pytest.param(
            EligibilitySpec(regions=["53"]),
            {"region": "44"},
            True,
            [
                "Ce parcours est proposé aux structures de la région Bretagne ; "
                "votre profil indique Grand Est."
            ],
            id="out-of-the-region",
        ),
        pytest.param(
            EligibilitySpec(regions=["53", "52", "28"]),
            {"region": "11"},
            True,
            [
                "Ce parcours est proposé aux structures des régions Bretagne, Pays de la Loire et "
                "Normandie ; votre profil indique Île-de-France."
            ],
            id="out-of-several-regions",
        ),
        pytest.param(EligibilitySpec(network_members_only=True), {}, True, [], id="network-member"),
        pytest.param(
            EligibilitySpec(network_members_only=True),
            {},
            False,
            [
                "Ce parcours est réservé aux structures adhérentes du réseau qui le propose ; votre "
                "structure n'y est pas rattachée. Rapprochez-vous du réseau pour adhérer."
            ],
            id="not-a-network-member",
        ),
        pytest.param(
            EligibilitySpec(management_commitment=True),
            {},
            False,
            [],
            id="management-commitment-is-the-form's-business",
        ),
    ],
)
def test_reasons_not_eligible(eligibility, profile, member, reasons):
    assert reasons_not_eligible(eligibility, organisation(**profile), is_network_member=member) == reasons


def test_every_reason_is_given_at_once():
    eligibility = EligibilitySpec(
        max_employees=49, opcos=["uniformation"], regions=["93"], network_members_only=True
    )
    reasons = reasons_not_eligible(
        eligibility, organisation(employees=None, opco="", region="53"), is_network_member=False
    )
    assert [reason.split(" ;")[0] for reason in reasons] == [
        "Ce parcours s'adresse aux structures de moins de 50 salarié·es",
        "Ce parcours est réservé aux structures qui relèvent de l'OPCO Uniformation (Opco Cohésion sociale)",
        "Ce parcours est proposé aux structures de la région Provence-Alpes-Côte d'Azur",
        "Ce parcours est réservé aux structures adhérentes du réseau qui le propose",
    ]
