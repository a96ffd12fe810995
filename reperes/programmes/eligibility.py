"""Whether an organisation may apply to a programme: the reasons it may not, in French.

A pure function over a template's EligibilitySpec and an Organisation's profile (its number of
employees, OPCO and region), and whether it belongs to the network that runs the cohort. The
management's commitment is asked by the application form, not checked here.
"""

from reperes.organisations import reference


def reasons_not_eligible(eligibility, organisation, *, is_network_member):
    """[sentence, …] saying what the programme requires and what the profile says; an empty
    list means the organisation may apply."""
    reasons = []
    if eligibility.max_employees is not None:
        limit = eligibility.max_employees + 1
        employees = organisation.employees
        if employees is None:
            reasons.append(
                f"Ce parcours s'adresse aux structures de moins de {limit} salarié·es ; le profil de "
                "votre structure n'indique pas encore son nombre de salarié·es : renseignez-le pour "
                "pouvoir candidater."
            )
        elif employees > eligibility.max_employees:
            reasons.append(
                f"Ce parcours s'adresse aux structures de moins de {limit} salarié·es ; "
                f"votre profil en indique {employees}."
            )
    if eligibility.opcos and organisation.opco not in eligibility.opcos:
        required = _either([reference.label("opcos", code) or code for code in eligibility.opcos])
        if not organisation.opco:
            reasons.append(
                f"Ce parcours est réservé aux structures qui relèvent de l'OPCO {required} ; le profil "
                "de votre structure n'indique pas d'OPCO : renseignez-le pour pouvoir candidater."
            )
        else:
            current = reference.label("opcos", organisation.opco) or organisation.opco
            reasons.append(
                f"Ce parcours est réservé aux structures qui relèvent de l'OPCO {required} ; "
                f"votre profil indique {current}."
            )
    if eligibility.regions and organisation.region not in eligibility.regions:
        names = [reference.label("regions", code) or code for code in eligibility.regions]
        where = f"de la région {names[0]}" if len(names) == 1 else f"des régions {_and(names)}"
        current = reference.label("regions", organisation.region) or "aucune région"
        reasons.append(f"Ce parcours est proposé aux structures {where} ; votre profil indique {current}.")
    if eligibility.network_members_only and not is_network_member:
        reasons.append(
            "Ce parcours est réservé aux structures adhérentes du réseau qui le propose ; "
            "votre structure n'y est pas rattachée. Rapprochez-vous du réseau pour adhérer."
        )
    return reasons


def _either(names):
    """« A », « A ou B », « A, B ou C »."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} ou {names[-1]}"


def _and(names):
    return f"{', '.join(names[:-1])} et {names[-1]}"
