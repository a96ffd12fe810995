"""Walks every URL pattern as every persona and checks the status against an explicit table.

A URL missing from EXPECTED fails the test: whoever adds a page decides, here, who may see it.
Parameters are filled with objects of organisation A (and of the network A belongs to), so a
persona from elsewhere must get a 404, never a 403 that would confirm the object exists.
"""

from datetime import date, timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.signals import request_finished
from django.db import close_old_connections, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from reperes.accounts.actions import make_verification_token
from reperes.action_plans.models import Action
from reperes.campaigns.actions import start_draft
from reperes.campaigns.models import (
    Campaign,
    CampaignInvitation,
    PaperBatch,
    SynthesisEntry,
    hash_token,
)
from reperes.charters.actions import create_charter, submit_charter
from reperes.charters.models import Instrument
from reperes.discussions.models import Discussion, Proposal, Vote
from reperes.evaluation.actions import add_committee, add_partner, create_project
from reperes.evaluation.models import Partner
from reperes.exercises.actions import save_entries, start_exercise
from reperes.lib.signing import make_link_token
from reperes.maturity.actions import start_assessment
from reperes.observatory.actions import publish_release
from reperes.observatory.models import Release
from reperes.offers.models import Offer
from reperes.organisations.actions import INVITATION_SALT, NETWORK_INVITATION_SALT
from reperes.programmes.actions import copy_programme, create_cohort, create_event
from reperes.programmes.loading import load_programmes
from reperes.programmes.models import (
    Assignment,
    AssignmentFile,
    Cohort,
    Enrolment,
    Participant,
    Programme,
    Workshop,
)
from reperes.reports.models import PreparedDocument
from reperes.requests.actions import ask_for_accompaniment
from reperes.sharing.models import ResultShare
from reperes.telework.models import Activity, InformationFlow, Tool
from tests.accounts.factories import UserFactory
from tests.campaigns.factories import CampaignFactory, questionnaire_version
from tests.fiches.factories import create_fiche
from tests.organisations.factories import (
    InvitationFactory,
    NetworkFactory,
    NetworkInvitationFactory,
    NetworkMembershipFactory,
)

# zoe facilitates in another network: she must see nothing of this one. mia is the network's
# matchmaker (« chargée de mise en lien »).
PERSONAS = ["anonymous", "alice", "bob", "carol", "dave", "fiona", "nina", "hugo", "mia", "zoe"]
LOGIN = 302  # anonymous visitors are sent to the login page


def everyone(status):
    return dict.fromkeys(PERSONAS, status)


def signed_in(status, anonymous=LOGIN):
    return {**everyone(status), "anonymous": anonymous}


def org_a(lead=200, staff_rep=200, member=200):
    """A page of organisation A: outsiders and network roles get 404."""
    return {**signed_in(404), "alice": lead, "carol": staff_rep, "bob": member}


def NETWORK_ROLES(status):  # noqa: N802 (reads as a constant in the table)
    return dict.fromkeys(["fiona", "nina", "hugo", "mia", "zoe"], status)


def network_page(admin=200, facilitator=200, analyst=200, matchmaker=None):
    """A page of the network: its roles as given (the matchmaker as the analyst unless told),
    everyone else 404."""
    matchmaker = analyst if matchmaker is None else matchmaker
    return {**signed_in(404), "hugo": admin, "fiona": facilitator, "nina": analyst, "mia": matchmaker}


def cohort_page(facilitator=200):
    """A page of the walk's cohort (or of a result shared with the network): its facilitator
    only, never the network's other roles, another network or the organisations."""
    return {**signed_in(404), "fiona": facilitator}


# method, expected status per persona
EXPECTED = {
    # The health check for monitoring (reperes/lib/health.py): public, the same for everyone.
    "health": ("get", everyone(200)),
    "home": ("get", {**everyone(302), "anonymous": 200, **NETWORK_ROLES(200)}),
    "account_delete": ("get", signed_in(200)),
    "accounts:signup": ("get", {**everyone(302), "anonymous": 200}),
    "accounts:signup_done": ("get", everyone(200)),
    "accounts:resend_verification": ("get", everyone(200)),
    "accounts:verify": ("get", everyone(200)),
    "accounts:login": ("get", {**everyone(302), "anonymous": 200}),
    # The code step without a password just typed: back to the login page, or onwards.
    "accounts:login_code": ("get", everyone(302)),
    "accounts:logout": ("post", everyone(302)),
    "accounts:password_reset": ("get", everyone(200)),
    "accounts:password_reset_done": ("get", everyone(200)),
    # Alice's reset link: logging in (as the walk does for alice) changes last_login, which
    # invalidates her link, so she sees the "link no longer valid" page instead.
    "accounts:password_reset_confirm": ("get", {**everyone(302), "alice": 200}),
    "accounts:password_reset_complete": ("get", everyone(200)),
    "accounts:password_change": ("get", signed_in(200)),
    "accounts:profile": ("get", signed_in(200)),
    "accounts:security_log": ("get", signed_in(200)),
    # Network roles log in with two-factor authentication (client_of): they have it already.
    "accounts:two_factor_enable": ("get", {**signed_in(200), **NETWORK_ROLES(302)}),
    "accounts:recovery_codes": ("get", {**signed_in(302), **NETWORK_ROLES(200)}),
    "accounts:two_factor_disable": ("get", {**signed_in(302), **NETWORK_ROLES(200)}),
    "organisations:create": ("get", signed_in(200)),
    "spaces:dashboard": ("get", org_a()),
    "organisations:settings": ("get", org_a(staff_rep=404, member=404)),
    "organisations:members": ("get", org_a()),
    "organisations:member_role": ("post", org_a(lead=302, staff_rep=404, member=404)),
    "organisations:member_remove": ("post", org_a(lead=302, staff_rep=404, member=404)),
    "organisations:invitation_revoke": ("post", org_a(lead=302, staff_rep=404, member=404)),
    "organisations:leave": ("get", org_a()),
    "organisations:networks": ("get", org_a()),
    "organisations:network_leave": ("post", org_a(lead=302, staff_rep=404, member=404)),
    "organisations:events": ("get", org_a(member=404)),
    "networks:home": ("get", network_page()),
    "networks:staff": ("get", network_page(facilitator=404, analyst=404)),
    "networks:staff_remove": ("post", network_page(admin=302, facilitator=404, analyst=404)),
    # Invitations to someone else's address: a clear refusal for anyone signed in.
    "invitations:accept": ("get", {**everyone(403), "anonymous": 200}),
    "invitations:accept_network": ("get", {**everyone(403), "anonymous": 200}),
    # Diagnostics, seen from the organisation (the walk uses an open individual campaign).
    "campaigns:list": ("get", org_a()),
    "campaigns:create": ("get", org_a(member=404)),
    "campaigns:detail": ("get", org_a()),
    "campaigns:edit": ("get", org_a(lead=302, staff_rep=302, member=404)),  # open: no more edits
    "campaigns:open": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "campaigns:close": ("get", org_a(member=404)),
    "campaigns:postpone": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "campaigns:invite": ("get", org_a(member=404)),
    "campaigns:remind": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "campaigns:qr": ("get", org_a(member=404)),
    "campaigns:poster": ("get", org_a(member=404)),
    "campaigns:results_link": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "campaigns:collective": ("get", org_a(lead=302, staff_rep=302, member=404)),  # not collective
    # The meeting's synthesis lists (walked on a collective crisis questionnaire, see build_url).
    "campaigns:synthesis": ("get", org_a(member=404)),
    "campaigns:synthesis_remove": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "campaigns:paper_sheet": ("get", org_a(member=404)),
    "campaigns:paper_entry": ("get", org_a(member=404)),
    # Paper batches: every member sees them and may attest one typed by someone else.
    "campaigns:paper_batches": ("get", org_a()),
    "campaigns:paper_attest": ("post", org_a(lead=302, staff_rep=302, member=302)),
    "results:detail": ("get", org_a()),
    # What the apps above offer beside the results; the walk's campaign has none to show yet.
    "results:panels": ("get", org_a(lead=302, staff_rep=302, member=302)),
    # An empty form comes back with its error on the results page.
    "results:priorities": ("post", org_a(member=404)),
    # The action plan: every member reads it, pilots change it, an owner moves their own.
    "action_plans:list": ("get", org_a()),
    "action_plans:create": ("get", org_a(member=404)),
    "action_plans:detail": ("get", org_a()),
    "action_plans:edit": ("get", org_a(member=404)),
    "action_plans:status": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "action_plans:feedback": ("post", org_a(lead=302, staff_rep=302, member=302)),
    # Six-month review: the walk's campaign has no predecessor, so the comparison explains why.
    "reports:comparison": ("get", org_a(lead=400, staff_rep=400, member=400)),
    "reports:follow_up": ("post", org_a(lead=302, staff_rep=302, member=404)),
    # Reports and exports: the walk's campaign is open, so the results export is refused (409).
    "reports:report_pdf": ("get", org_a(lead=409, staff_rep=409, member=409)),
    "reports:results_export": ("get", org_a(lead=409, staff_rep=409, member=409)),
    "reports:actions_export": ("get", org_a()),
    # Documents prepared by a task (walked on a ready report): members of A only; a retry of a
    # ready one leads back to its page.
    "reports:document": ("get", org_a()),
    "reports:document_file": ("get", org_a()),
    "reports:document_retry": ("post", org_a(lead=302, staff_rep=302, member=302)),
    # Discussions: members read, propose and vote; pilots open, note meetings, decide, open votes.
    "discussions:list": ("get", org_a()),
    "discussions:create": ("get", org_a(member=404)),
    "discussions:detail": ("get", org_a()),
    "discussions:meeting_add": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "discussions:proposal_add": ("post", org_a(lead=302, staff_rep=302, member=302)),
    "discussions:decide": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "discussions:vote_open": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "discussions:vote_cast": ("post", org_a(lead=302, staff_rep=302, member=302)),
    "discussions:vote_close": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "action_plans:from_proposal": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "action_plans:for_proposal": ("get", org_a(lead=302, staff_rep=302, member=302)),
    # Telework inventory: members read it and mark their own activities; pilots edit it.
    "telework:inventory": ("get", org_a()),
    "telework:activity_add": ("get", org_a(member=404)),
    "telework:activity_edit": ("get", org_a(member=404)),
    "telework:activity_mark": ("post", org_a(lead=302, staff_rep=302, member=302)),
    "telework:inventory_export": ("get", org_a()),
    "telework:diagram": ("get", org_a()),
    "telework:usage_rules": ("get", org_a()),
    "telework:tool_delete": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "telework:usage_document": ("get", org_a()),
    "telework:usage_document_file": ("get", org_a()),
    "telework:flow_to_action": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "charters:list": ("get", org_a()),
    "charters:action": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "charters:delete": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "telework:usage_document_action": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "exercises:list": ("get", org_a()),
    "exercises:start": ("get", org_a(member=404)),
    "exercises:detail": ("get", org_a()),
    "exercises:edit": ("get", org_a(member=404)),
    "exercises:after_review": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "exercises:entry_action": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "charters:detail": ("get", org_a()),
    "charters:parameters": ("get", org_a(member=404)),
    "charters:clause_add": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "charters:clause": ("get", org_a()),
    "charters:status": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "charters:sign": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "charters:version": ("get", org_a()),
    "charters:export": ("get", org_a()),
    "charters:kit": ("get", org_a(member=404)),
    "legal:references": ("get", everyone(200)),
    # Guidance content is public.
    "fiches:list": ("get", everyone(200)),
    "fiches:detail": ("get", everyone(200)),
    # A network's own fiches: its content staff write them (a blank title is refused; publishing the
    # walk's empty draft is refused with a message, back to the draft).
    "fiches:network_library": ("get", network_page(matchmaker=404)),
    "fiches:draft_create": ("post", network_page(admin=400, facilitator=400, analyst=400, matchmaker=404)),
    "fiches:draft_copy": ("post", network_page(admin=302, facilitator=302, analyst=302, matchmaker=404)),
    "fiches:draft": ("get", network_page(matchmaker=404)),
    "fiches:draft_preview": ("get", network_page(matchmaker=404)),
    "fiches:draft_publish": ("post", network_page(admin=302, facilitator=302, analyst=302, matchmaker=404)),
    "fiches:draft_delete": ("post", network_page(admin=302, facilitator=302, analyst=302, matchmaker=404)),
    "results:theme": ("get", org_a()),
    # The team's results link: anyone holding it, no account needed.
    "results:shared": ("get", everyone(200)),
    "results:shared_theme": ("get", everyone(200)),
    # Answering: public pages. Without a draft cookie, the steps send back to the intro.
    "answer:intro": ("get", everyone(200)),
    "answer:start": ("post", everyone(302)),
    "answer:group": ("get", everyone(302)),
    "answer:theme": ("get", everyone(302)),
    "answer:texts": ("get", everyone(302)),
    "answer:review": ("get", everyone(302)),
    "answer:thanks": ("get", everyone(200)),
    # A resume link and an invitation's landing page show a button; only the POST acts.
    "answer:resume": ("get", everyone(200)),
    "answer:invitation_start": ("get", everyone(200)),
    "answer:invitation": ("get", everyone(302)),
    "answer:privacy": ("get", everyone(200)),
    # Programmes, the network's side: facilitators and administrators run cohorts; inside a
    # cohort, only its facilitators (fiona); another network's facilitator (zoe) sees nothing.
    "programmes:cohorts": ("get", network_page(analyst=404)),
    "programmes:cohort_create": ("get", network_page(analyst=404)),
    "programmes:cohort": ("get", cohort_page()),
    "programmes:cohort_edit": ("get", cohort_page()),
    "programmes:speaker_add": ("post", cohort_page(302)),
    "programmes:facilitator_add": ("post", cohort_page(302)),
    "programmes:workshop": ("get", cohort_page()),
    "programmes:attendance": ("post", cohort_page(302)),
    "programmes:workshop_cancel": ("post", cohort_page(302)),
    "programmes:enrolment": ("get", cohort_page()),
    "programmes:decide": ("post", cohort_page(302)),
    "programmes:note_add": ("post", cohort_page(302)),
    "programmes:outcome": ("post", cohort_page(302)),
    "programmes:assignment_file": ("get", cohort_page()),
    "programmes:faq": ("get", cohort_page()),
    "programmes:faq_publish": ("post", cohort_page(302)),
    "programmes:message": ("get", cohort_page()),
    "programmes:attendance_sheet": ("get", cohort_page()),
    "programmes:attendance_certificate": ("get", cohort_page()),
    "programmes:cohort_export": ("get", cohort_page()),
    "programmes:facilitator_workshop_ics": ("get", cohort_page()),
    # Programme templates the network writes: its content authors (admin, facilitator, analyst).
    "programmes:templates": ("get", network_page(matchmaker=404)),
    "programmes:template_create": ("get", network_page(matchmaker=404)),
    "programmes:template_copy": (
        "post",
        network_page(admin=302, facilitator=302, analyst=302, matchmaker=404),
    ),
    "programmes:template_draft": ("get", network_page(matchmaker=404)),
    "programmes:template_general": ("get", network_page(matchmaker=404)),
    "programmes:template_session": ("get", network_page(matchmaker=404)),
    "programmes:template_session_add": (
        "post",
        network_page(admin=400, facilitator=400, analyst=400, matchmaker=404),
    ),
    "programmes:template_session_move": (
        "post",
        network_page(admin=302, facilitator=302, analyst=302, matchmaker=404),
    ),
    "programmes:template_session_remove": (
        "post",
        network_page(admin=302, facilitator=302, analyst=302, matchmaker=404),
    ),
    "programmes:template_review": ("get", network_page(matchmaker=404)),
    "programmes:template_preview": ("get", network_page(matchmaker=404)),
    "programmes:template_publish": (
        "post",
        network_page(admin=302, facilitator=302, analyst=302, matchmaker=404),
    ),
    "programmes:template_delete": (
        "post",
        network_page(admin=302, facilitator=302, analyst=302, matchmaker=404),
    ),
    # Programmes, the organisation's side (A is enrolled, alice is its participant): members
    # see that A takes part; pilots apply, join and manage; the cohort's pages are for
    # participants and pilots; a participant's own things (dates, certificate) for alice.
    "programmes:space_list": ("get", org_a()),
    "programmes:join": ("post", org_a(member=404)),
    "programmes:apply": ("get", org_a(member=404)),
    "programmes:space_cohort": ("get", org_a(member=404)),
    "programmes:participants": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "programmes:poll": ("post", org_a(lead=302, staff_rep=404, member=404)),
    "programmes:hand_in": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "programmes:ask": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "programmes:own_file": ("get", org_a(member=404)),
    "programmes:faq_public": ("get", org_a()),
    "programmes:my_certificate": ("get", org_a(staff_rep=404, member=404)),
    "programmes:workshop_ics": ("get", org_a(member=404)),
    # The private feed: whoever holds its address, no account (a calendar app has none).
    "programmes:feed": ("get", everyone(200)),
    "programmes:glossary": ("get", everyone(200)),
    # Network events: the network's facilitators and administrators organise them; members of
    # its organisations register (one answer per person), count a replay click, download the
    # calendar; another network or an organisation outside sees nothing.
    "programmes:events": ("get", network_page(analyst=404)),
    "programmes:event_create": ("get", network_page(analyst=404)),
    "programmes:event": ("get", network_page(analyst=404)),
    "programmes:event_reach": ("post", network_page(admin=302, facilitator=302, analyst=404)),
    "programmes:event_session_cancel": ("post", network_page(admin=302, facilitator=302, analyst=404)),
    "programmes:event_session_move": ("post", network_page(admin=302, facilitator=302, analyst=404)),
    "programmes:event_satisfaction": ("post", network_page(admin=302, facilitator=302, analyst=404)),
    "programmes:space_events": ("get", org_a()),
    "programmes:space_event": ("get", org_a()),
    "programmes:event_register": ("post", org_a(302, 302, 302)),
    "programmes:event_unregister": ("post", org_a(302, 302, 302)),
    "programmes:event_replay": ("post", org_a(302, 302, 302)),
    "programmes:event_ics": ("get", org_a()),
    # Sharing: every member reads « Ce que nous partageons », pilots share and revoke;
    # facilitators read what was shared with them (the walk's campaign is open: participation
    # only, no theme page); analysts, administrators and other networks see nothing.
    "sharing:shares": ("get", org_a()),
    "sharing:share": ("get", org_a(member=404)),
    "sharing:revoke": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "sharing:received": ("get", network_page(analyst=404)),
    "sharing:received_detail": ("get", cohort_page()),
    "sharing:received_theme": ("get", cohort_page(404)),
    "sharing:cohort_review": ("get", cohort_page()),
    # Accompaniment requests: every member sees where A's requests stand, pilots ask, read and
    # withdraw; the network's facilitators and administrators work the queue (an empty form is
    # a 400, a step the state refuses comes back with a message), administrators assign;
    # analysts see the figures only; another network sees nothing.
    "requests:list": ("get", org_a()),
    "requests:create": ("get", org_a(member=404)),
    "requests:detail": ("get", org_a(member=404)),
    "requests:withdraw": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "requests:queue": ("get", network_page(analyst=404)),
    "requests:figures": ("get", network_page()),
    "requests:handle": ("get", network_page(analyst=404)),
    "requests:take": ("post", network_page(admin=302, facilitator=302, analyst=404)),
    "requests:assign": ("post", network_page(admin=400, facilitator=404, analyst=404)),
    "requests:start": ("post", network_page(admin=302, facilitator=302, analyst=404)),
    "requests:entry": ("post", network_page(admin=400, facilitator=400, analyst=404)),
    "requests:close": ("post", network_page(admin=400, facilitator=400, analyst=404)),
    # The offers: every role of the network reads its catalogue, its administrators and
    # facilitators keep it; A's members see the offers that match A; nobody else sees anything.
    "offers:catalogue": ("get", network_page()),
    "offers:offer": ("get", network_page()),
    "offers:create": ("get", network_page(analyst=404)),
    "offers:edit": ("get", network_page(analyst=404)),
    "offers:archive": ("post", network_page(admin=302, facilitator=302, analyst=404)),
    "offers:restore": ("post", network_page(admin=302, facilitator=302, analyst=404)),
    # The observatory: every role of the network reads its releases; administrators and
    # analysts may publish one between the quarterly ones.
    "observatory:home": ("get", network_page()),
    "observatory:release": ("get", network_page()),
    "observatory:table": ("get", network_page()),
    "observatory:table_csv": ("get", network_page()),
    "observatory:table_xlsx": ("get", network_page()),
    "observatory:key_figures_pdf": ("get", network_page()),
    "observatory:publish": ("post", network_page(admin=302, facilitator=404, analyst=302, matchmaker=404)),
    # Programme evaluation: every role reads it, administrators and facilitators enter figures.
    "evaluation:projects": ("get", network_page()),
    "evaluation:project": ("get", network_page()),
    "evaluation:key_figures": ("get", network_page()),
    "evaluation:project_create": ("get", network_page(analyst=404)),
    "evaluation:project_edit": ("get", network_page(analyst=404)),
    "evaluation:key_figures_edit": ("get", network_page(analyst=404)),
    "evaluation:partner_add": ("get", network_page(analyst=404)),
    "evaluation:committee_add": ("get", network_page(analyst=404)),
    "evaluation:assessments_edit": ("get", network_page(analyst=404)),
    "evaluation:partner_remove": ("post", network_page(admin=302, facilitator=302, analyst=404)),
    "evaluation:committee_remove": ("post", network_page(admin=302, facilitator=302, analyst=404)),
    # Surveys of the member organisations: every network role reads them, administrators and
    # analysts conduct them; the organisation's pilots answer (the walk's survey is open and
    # attributed; its results pages use a closed one).
    "surveys:list": ("get", network_page()),
    "surveys:create": ("get", network_page(facilitator=404, matchmaker=404)),
    "surveys:survey": ("get", network_page()),
    "surveys:edit": ("get", network_page(admin=302, facilitator=404, analyst=302, matchmaker=404)),
    "surveys:delete": ("post", network_page(admin=302, facilitator=404, analyst=302, matchmaker=404)),
    "surveys:schedule": ("post", network_page(admin=302, facilitator=404, analyst=302, matchmaker=404)),
    "surveys:remind": ("post", network_page(admin=302, facilitator=404, analyst=302, matchmaker=404)),
    "surveys:postpone": ("post", network_page(admin=302, facilitator=404, analyst=302, matchmaker=404)),
    "surveys:close": ("post", network_page(admin=302, facilitator=404, analyst=302, matchmaker=404)),
    "surveys:answers": ("get", network_page()),
    "surveys:results_csv": ("get", network_page()),
    "surveys:inbox": ("get", org_a()),
    "surveys:answer": ("get", org_a(member=404)),
    "surveys:hand_over": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "surveys:take_back": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "surveys:org_results": ("get", org_a(member=404)),
    "offers:space_list": ("get", org_a()),
    "offers:space_offer": ("get", org_a()),
    # The maturity self-diagnostic describes A: every member reads it, pilots answer it (the
    # walk's assessment is a draft: its results page sends pilots back to answering).
    "maturity:home": ("get", org_a()),
    "maturity:start": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "maturity:compare": ("get", org_a()),
    "maturity:results": ("get", org_a(lead=302, staff_rep=302, member=404)),
    "maturity:answer": ("get", org_a(member=404)),
    "maturity:finish": ("get", org_a(member=404)),
    "maturity:delete": ("post", org_a(lead=302, staff_rep=302, member=404)),
    # Listings: an organisation's members search its networks' listings and report them, its
    # pilots publish and ask to be put in touch; the network's matchmaker (and administrators)
    # check them and put organisations in touch.
    "listings:board": ("get", org_a()),
    "listings:detail": ("get", org_a()),
    "listings:contact": ("post", org_a(lead=400, staff_rep=400, member=404)),
    "listings:report": ("post", org_a(lead=400, staff_rep=400, member=400)),
    "listings:mine": ("get", org_a()),
    "listings:create": ("get", org_a(member=404)),
    "listings:mine_detail": ("get", org_a()),
    "listings:edit": ("get", org_a(member=404)),
    "listings:submit": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "listings:withdraw": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "listings:extend": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "listings:answer": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "listings:queue": ("get", network_page(facilitator=404, analyst=404, matchmaker=200)),
    "listings:review": ("get", network_page(facilitator=404, analyst=404, matchmaker=200)),
    "listings:forward": ("post", network_page(admin=302, facilitator=404, analyst=404, matchmaker=302)),
    "listings:handle_report": ("post", network_page(admin=302, facilitator=404, analyst=404, matchmaker=302)),
    # Sharing cases (« mises en lien »): the matchmaker and the administrators follow them on the
    # network's side (an empty form is a 400, a step the case refuses comes back with a message);
    # the two organisations' pilots read theirs and agree to be put in touch.
    "matchmaking:cases": ("get", network_page(facilitator=404, analyst=404, matchmaker=200)),
    "matchmaking:create": ("get", network_page(facilitator=404, analyst=404, matchmaker=200)),
    "matchmaking:from_contact": (
        "post",
        network_page(admin=302, facilitator=404, analyst=404, matchmaker=302),
    ),
    "matchmaking:case": ("get", network_page(facilitator=404, analyst=404, matchmaker=200)),
    "matchmaking:diagnostic": ("post", network_page(admin=400, facilitator=404, analyst=404, matchmaker=400)),
    "matchmaking:calibration": (
        "post",
        network_page(admin=400, facilitator=404, analyst=404, matchmaker=400),
    ),
    "matchmaking:listing": ("post", network_page(admin=400, facilitator=404, analyst=404, matchmaker=400)),
    "matchmaking:partner": ("post", network_page(admin=400, facilitator=404, analyst=404, matchmaker=400)),
    "matchmaking:introduce": ("post", network_page(admin=302, facilitator=404, analyst=404, matchmaker=302)),
    "matchmaking:tick": ("post", network_page(admin=302, facilitator=404, analyst=404, matchmaker=302)),
    "matchmaking:employee": ("post", network_page(admin=400, facilitator=404, analyst=404, matchmaker=400)),
    "matchmaking:complete_legal": (
        "post",
        network_page(admin=302, facilitator=404, analyst=404, matchmaker=302),
    ),
    "matchmaking:follow_up": ("post", network_page(admin=400, facilitator=404, analyst=404, matchmaker=400)),
    "matchmaking:close": ("post", network_page(admin=400, facilitator=404, analyst=404, matchmaker=400)),
    "matchmaking:note": ("post", network_page(admin=400, facilitator=404, analyst=404, matchmaker=400)),
    "matchmaking:follow": ("post", network_page(admin=302, facilitator=404, analyst=404, matchmaker=302)),
    "matchmaking:document": ("get", network_page(facilitator=404, analyst=404, matchmaker=200)),
    "matchmaking:org_cases": ("get", org_a(member=404)),
    "matchmaking:org_case": ("get", org_a(member=404)),
    "matchmaking:org_agree": ("post", org_a(lead=302, staff_rep=302, member=404)),
    "matchmaking:org_document": ("get", org_a(member=404)),
    # The network's library: every role of the network reads it; its administrators,
    # facilitators and matchmakers keep it; A's members read the library of A's networks. The
    # HR news feed and the page of a news item the staff made public need no account.
    # The network's own questionnaires: its staff who write content (never the matchmaker).
    "instruments:library": ("get", network_page(matchmaker=404)),
    # An empty import form comes back with its error.
    "instruments:import": ("post", network_page(admin=400, facilitator=400, analyst=400, matchmaker=404)),
    "instruments:draft": ("get", network_page(matchmaker=404)),
    "instruments:draft_export": ("get", network_page(matchmaker=404)),
    "instruments:publish": ("post", network_page(admin=302, facilitator=302, analyst=302, matchmaker=404)),
    "instruments:delete": ("post", network_page(admin=302, facilitator=302, analyst=302, matchmaker=404)),
    "instruments:export": ("get", network_page(matchmaker=404)),
    # Editing a draft in the interface: an empty new theme comes back with its errors, an empty
    # move changes nothing (back to the draft); a shipped questionnaire is copied, never edited.
    "instruments:draft_settings": ("get", network_page(matchmaker=404)),
    "instruments:draft_theme": ("get", network_page(matchmaker=404)),
    "instruments:draft_free_text": ("get", network_page(matchmaker=404)),
    "instruments:theme_add": ("post", network_page(admin=400, facilitator=400, analyst=400, matchmaker=404)),
    "instruments:themes_arrange": (
        "post",
        network_page(admin=302, facilitator=302, analyst=302, matchmaker=404),
    ),
    "instruments:copy": ("post", network_page(admin=302, facilitator=302, analyst=302, matchmaker=404)),
    "instruments:edit": ("post", network_page(admin=404, facilitator=404, analyst=404, matchmaker=404)),
    "campaigns:draft_preview": ("get", network_page(matchmaker=404)),
    "resources:library": ("get", network_page()),
    "resources:resource": ("get", network_page()),
    "resources:file": ("get", network_page()),
    "resources:create": ("get", network_page(analyst=404, matchmaker=200)),
    "resources:edit": ("get", network_page(analyst=404, matchmaker=200)),
    "resources:archive": ("post", network_page(admin=302, facilitator=302, analyst=404, matchmaker=302)),
    "resources:restore": ("post", network_page(admin=302, facilitator=302, analyst=404, matchmaker=302)),
    "resources:feed": ("get", everyone(200)),
    "resources:public_news": ("get", everyone(200)),
    "resources:space_library": ("get", org_a()),
    "resources:space_resource": ("get", org_a()),
    "resources:space_file": ("get", org_a()),
    # The Django admin is for instance administrators only: everyone else is sent to its login.
    "admin:index": ("get", everyone(302)),
}


def walk(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", list(entry.pattern.converters)


# Django's admin pages take model names and object ids; they are all behind admin:index's
# login (checked above) and are not ours to list one by one.
ROUTES = [(name, params) for name, params in walk() if not name.startswith("admin:")]
ROUTES += [("admin:index", [])]


def test_every_url_pattern_is_in_the_table():
    names = {name for name, _ in ROUTES}
    assert names - set(EXPECTED) == set(), "Add these URLs to EXPECTED"
    assert set(EXPECTED) - names == set(), "These URLs no longer exist"


@pytest.fixture(scope="module", autouse=True)
def _questionnaires_loaded_once(django_db_setup, django_db_blocker):
    """Every URL's objects start from the questionnaires of the data files: loaded once for the
    module and committed, rather than once per URL (a quarter of a second each), then removed
    so that the tests of other modules find the table as they expect it."""
    from reperes.instruments.loading import load_definitions
    from reperes.instruments.models import Questionnaire, QuestionnaireVersion

    with django_db_blocker.unblock():
        loaded_here = not Questionnaire.objects.exists()
        if loaded_here:
            load_definitions()
    yield
    if loaded_here:
        with django_db_blocker.unblock():
            QuestionnaireVersion.objects.all().delete()
            Questionnaire.objects.all().delete()


@pytest.fixture
def walk_personas(personas, network):
    """The personas, mia the network's matchmaker, and zoe: a facilitator of another network."""
    zoe = NetworkMembershipFactory(
        network=NetworkFactory(name="Un autre réseau", slug="autre-reseau"),
        user=UserFactory(email="zoe@example.org", name="Zoé"),
        role="facilitator",
    ).user
    mia = NetworkMembershipFactory(
        network=network, user=UserFactory(email="mia@example.org", name="Mia"), role="matchmaker"
    ).user
    return {**personas, "mia": mia, "zoe": zoe}


def programme_params(org_a, network, personas, campaign):
    """The parameters of the programmes' and sharing's URLs, built only for their cases (the
    objects cost a template load and a cohort)."""
    cohort, enrolment, participant, attached, result_share, event = programme_objects(
        org_a, network, personas, campaign
    )
    programme = cohort.programme_version.programme
    template_draft = copy_programme(network, programme=programme, by=personas["hugo"])
    return {
        "draft_id": template_draft.pk,
        "programme_id": template_draft.based_on.programme_id,
        "cohort_id": cohort.pk,
        "event_id": event.pk,
        "enrolment_id": enrolment.pk,
        "participant_id": participant.pk,
        "file_id": attached.pk,
        "result_share_id": result_share.pk,
        "feed_token": participant.feed_token,
    }


def programme_objects(org_a, network, personas, campaign):
    """A cohort of the network that fiona runs, A enrolled with alice as participant, its first
    workshop held, work handed in with a file, a result shared with the network."""
    load_programmes()
    cohort = create_cohort(
        network,
        programme=Programme.objects.get(slug="teletravail-de-qualite"),
        name="Cohorte",
        places=8,
        by=personas["fiona"],
    )
    Cohort.objects.filter(pk=cohort.pk).update(state=Cohort.State.RECRUITING, faq_for_network=True)
    enrolment = Enrolment.objects.create(cohort=cohort, organisation=org_a, state=Enrolment.State.ACCEPTED)
    participant = Participant.objects.create(
        enrolment=enrolment, membership=org_a.memberships.get(user=personas["alice"])
    )
    workshop = cohort.workshops.get(number=1)
    workshop.precision = Workshop.Precision.EXACT
    workshop.starts_at = timezone.now() - timedelta(days=2)
    workshop.week_of = workshop.starts_at.date()
    workshop.poll_closes_on = timezone.localdate() + timedelta(days=3)
    workshop.save()
    assignment = Assignment.objects.create(enrolment=enrolment, workshop=workshop, text="Nos pistes")
    attached = AssignmentFile.objects.create(
        assignment=assignment, name="plan.pdf", content_type="application/pdf", data=b"%PDF-", size=5
    )
    share = ResultShare.objects.create(
        organisation=org_a, campaign=campaign, network=network, created_by=personas["alice"]
    )
    event = create_event(
        network,
        by=personas["fiona"],
        sessions=[(timezone.now() + timedelta(days=5), 90, "")],
        title="Webinaire",
        replay_link="https://video.example.org/replay",
    )
    return cohort, enrolment, participant, attached, share, event


@pytest.fixture
def url_params(walk_personas, org_a, network, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Ten personas log in for every URL: sessions in signed cookies rather than in rows spare
    # the walk a third of its time, and no page reads the session table.
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    personas = walk_personas
    unverified = UserFactory(email="nouveau@example.org", email_verified=False)
    invitation = InvitationFactory(organisation=org_a, email="recrue@example.org")
    network_invitation = NetworkInvitationFactory(network=network, email="renfort@example.org")
    alice = personas["alice"]
    campaign = CampaignFactory(organisation=org_a, results_token="jeton-resultats-public")
    draft, draft_token = start_draft(campaign)
    answer_invitation = CampaignInvitation.objects.create(
        campaign=campaign,
        email="x@example.org",
        token_hash=hash_token("jeton-invitation"),
        sent_on=timezone.localdate(),
    )
    batch = PaperBatch.objects.create(campaign=campaign, entered_by=alice, entered_by_name=str(alice))
    fiche = create_fiche()
    activity = Activity.objects.create(organisation=org_a, title="Saisir les factures", role="Administratif")
    tool = Tool.objects.create(organisation=org_a, name="Messagerie", purpose="exchange")
    flow = InformationFlow.objects.create(
        organisation=org_a, name="Planning", current_x=-3, current_y=5, target_x=-3, target_y=-3
    )
    action = Action.objects.create(organisation=org_a, title="Une action", owner=alice)
    meeting = CampaignFactory(
        organisation=org_a,
        questionnaire_version=questionnaire_version("teletravail-crise"),
        mode=Campaign.Mode.COLLECTIVE,
    )
    entry = SynthesisEntry.objects.create(campaign=meeting, item_id="crise-pistes", text="Un jour commun")
    charter = create_charter(org_a, by=alice, instrument=Instrument.RATIFIED, title="Télétravail")
    submit_charter(charter, by=alice, on=timezone.localdate())
    discussion = Discussion.objects.create(
        organisation=org_a, title="Parlons-en", opened_on=timezone.localdate()
    )
    proposal = Proposal.objects.create(discussion=discussion, text="Une idée")
    Vote.objects.create(proposal=proposal, closes_on=timezone.localdate())
    document = PreparedDocument.objects.create(
        organisation=org_a,
        requested_by=alice,
        kind="report_pdf",
        params={"campaign_id": str(campaign.pk)},
        key="report_pdf:walk",
        status=PreparedDocument.Status.READY,
        filename="rapport.pdf",
        content_type="application/pdf",
        content=b"%PDF-",
    )
    return {
        "programme_objects": lambda: programme_params(org_a, network, personas, campaign),
        "request_objects": lambda: request_params(org_a, network, personas),
        "listing_objects": lambda: listing_params(org_a, network, personas),
        "matchmaking_objects": lambda: matchmaking_params(org_a, network, personas),
        "resource_id": walk_resource(network, personas["hugo"]).pk,
        "observatory_objects": lambda: observatory_params(network),
        "instrument_objects": lambda: instrument_params(network, personas),
        "fiche_objects": lambda: fiche_params(network, personas),
        "evaluation_objects": lambda: evaluation_params(network, personas),
        "exercise_objects": lambda: exercise_params(org_a, personas),
        "survey_objects": lambda: survey_params(network, personas),
        "assessment_id": start_assessment(org_a, mode="pilots", by=alice)[0].pk,
        "offer_id": Offer.objects.create(
            network=network, kind=Offer.Kind.TRAINING, title="Manager à distance", summary="Deux jours."
        ).pk,
        "action_id": action.pk,
        "document_id": document.pk,
        "activity_id": activity.pk,
        "flow_id": flow.pk,
        "tool_id": tool.pk,
        "charter_id": charter.pk,
        "clause_id": charter.clauses.first().clause_id,
        "version_id": charter.versions.get().pk,
        "discussion_id": discussion.pk,
        "proposal_id": proposal.pk,
        "campaign_id": campaign.pk,
        "share_id": campaign.share_id,
        "number": 1,
        "entry_id": entry.pk,
        "batch_id": batch.pk,
        "meeting_id": meeting.pk,
        "fmt": "csv",
        "theme_id": "temps",
        "slug": org_a.slug,
        "fiche_slug": fiche.slug,
        "network_slug": network.slug,
        "membership_id": org_a.memberships.get(user=personas["bob"]).pk,
        "invitation_id": invitation.pk,
        "uidb64": urlsafe_base64_encode(force_bytes(alice.pk)),
        "token": {
            "accounts:verify": make_verification_token(unverified),
            "accounts:password_reset_confirm": default_token_generator.make_token(alice),
            "invitations:accept": make_link_token(str(invitation.pk), salt=INVITATION_SALT),
            "invitations:accept_network": make_link_token(
                str(network_invitation.pk), salt=NETWORK_INVITATION_SALT
            ),
            "results:shared": campaign.results_token,
            "results:shared_theme": campaign.results_token,
            "answer:resume": draft_token,
            "answer:invitation": "jeton-invitation" if answer_invitation else "",
            "answer:invitation_start": "jeton-invitation",
        },
        "network_membership_id": network.memberships.get(user=personas["fiona"]).pk,
    }


NETWORK_SIDE = {
    name
    for name in EXPECTED
    if name.startswith("programmes:")
    and name.split(":")[1]
    not in {
        "space_list",
        "space_events",
        "space_event",
        "event_register",
        "event_unregister",
        "event_replay",
        "event_ics",
        "join",
        "apply",
        "space_cohort",
        "participants",
        "poll",
        "hand_in",
        "ask",
        "own_file",
        "faq_public",
        "my_certificate",
        "workshop_ics",
        "feed",
        "glossary",
    }
} | {"sharing:received", "sharing:received_detail", "sharing:received_theme", "sharing:cohort_review"}
NETWORK_SIDE |= {
    f"requests:{name}" for name in ("queue", "figures", "handle", "take", "assign", "start", "entry", "close")
} | {f"offers:{name}" for name in ("catalogue", "offer", "create", "edit", "archive", "restore")}
NETWORK_SIDE |= {name for name in EXPECTED if name.split(":")[0] in {"observatory", "evaluation"}}
NETWORK_SIDE |= {f"listings:{name}" for name in ("queue", "review", "forward", "handle_report")}
NETWORK_SIDE |= {name for name in EXPECTED if name.startswith("instruments:")} | {"campaigns:draft_preview"}
NETWORK_SIDE |= {name for name in EXPECTED if name.startswith("fiches:")} - {"fiches:list", "fiches:detail"}
NETWORK_SIDE |= {name for name in EXPECTED if name.startswith("matchmaking:") and ":org_" not in name}
NETWORK_SIDE |= {
    f"resources:{name}"
    for name in ("library", "resource", "file", "create", "edit", "archive", "restore", "feed", "public_news")
}
NETWORK_SIDE |= {
    f"surveys:{name}"
    for name in (
        "list",
        "create",
        "survey",
        "edit",
        "delete",
        "schedule",
        "remind",
        "postpone",
        "close",
        "answers",
        "results_csv",
    )
}
# Pages of a closed survey: the walk's survey is open.
CLOSED_SURVEY_PAGES = {"surveys:results_csv", "surveys:org_results"}


def survey_params(network, personas):
    """An open attributed survey of the network that asks its organisations, and a closed one."""
    from reperes.surveys.actions import close_survey, create_survey, schedule_survey

    hugo, today = personas["hugo"], timezone.localdate()
    fields = {
        "questionnaire_version": questionnaire_version("enquete-pratiques-qvt"),
        "opens_on": today,
        "closes_on": today + timedelta(days=20),
    }
    surveys = []
    for title in ("Ouverte", "Close"):
        survey = create_survey(network, by=hugo, title=title, attributed=True, **fields)
        surveys.append(schedule_survey(survey, by=hugo))
    close_survey(surveys[1], by=hugo)
    return {"survey_id": surveys[0].pk, "closed_survey_id": surveys[1].pk}


def fiche_params(network, personas):
    """A draft of a fiche the network is writing (blank but for its title)."""
    from reperes.fiches.actions import create_draft

    return {"draft_id": create_draft(network, title="Accueillir", by=personas["hugo"]).pk}


def instrument_params(network, personas):
    """A draft of the network's own questionnaire (imported from the export of a shipped one),
    and the shipped questionnaire that any network may export."""
    from reperes.instruments.actions import import_draft
    from reperes.instruments.models import Questionnaire
    from reperes.instruments.xlsform import export_workbook

    shipped = Questionnaire.objects.get(slug="qvt-numerique")
    data = export_workbook({**shipped.latest_version().definition, "slug": "diagnostic-du-reseau"})
    draft = import_draft(network, data=data, file_name="reseau.xlsx", by=personas["hugo"])
    return {
        "draft_id": draft.pk,
        "questionnaire_slug": shipped.slug,
        "theme_id": draft.definition["themes"][0]["id"],
    }


def observatory_params(network):
    """The network's first release (the walk's network has no contributing organisation: its
    tables are empty, which every page must show as well), and one of its tables."""
    release = publish_release(network, kind=Release.Kind.SCHEDULED)
    return {"number": release.number, "key": release.tables.order_by("position").first().key}


def evaluation_params(network, personas):
    """A project of the network with a partner and a steering committee."""
    hugo = personas["hugo"]
    if not network.region:  # a regional network enters figures for its region only
        network.region = "53"
        network.save(update_fields=["region"])
    project = create_project(network, title="LAB'QVT", starts_on=date(2019, 1, 1), by=hugo)
    partner = add_partner(project, name="Aract", kind=Partner.Kind.PARTNER, region=network.region, by=hugo)
    committee = add_committee(project, region=network.region, held_on=date(2020, 3, 2), by=hugo)
    return {"project_id": project.pk, "partner_id": partner.pk, "committee_id": committee.pk}


def listing_params(org_a, network, personas):
    """A published listing of A, another of B; B asked to be put in touch about A's (forwarded
    to A) and reported it."""
    from reperes.listings import actions as listings
    from tests.listings.conftest import make_listing

    own = make_listing(org_a, network, personas["alice"])
    org_b = personas["dave"].memberships.get().organisation
    other = make_listing(org_b, network, personas["dave"], title="Camion à partager")
    contact = listings.ask_contact(own, organisation=org_b, message="Bonjour", by=personas["dave"])
    listings.forward_contact(contact, by=personas["hugo"])
    report = listings.report_listing(own, organisation=org_b, reason="Déjà pris.", by=personas["dave"])
    return {
        "listing_id": own.pk,
        "other_listing_id": other.pk,
        "contact_id": contact.pk,
        "report_id": report.pk,
    }


def matchmaking_params(org_a, network, personas):
    """A staff-lending case of A at the diagnostic step (its documents exist), and the request of
    listing_params (B about A's listing), which has no case yet."""
    from reperes.matchmaking.actions import create_case

    case = create_case(
        network,
        organisation=org_a,
        category="staff_lending",
        title="Prêt",
        need="Un besoin.",
        by=personas["hugo"],
    )
    return {**listing_params(org_a, network, personas), "case_id": case.pk, "kind": "convention"}


def walk_resource(network, by):
    """A news item of the network's library, in its public feed, with a PDF (written under the
    test's MEDIA_ROOT)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reperes.resources.actions import create_resource

    return create_resource(
        network,
        by=by,
        kind="news",
        title="Une actualité RH",
        summary="Du nouveau.",
        public=True,
        upload=SimpleUploadedFile("note.pdf", b"%PDF-1.4 walk", content_type="application/pdf"),
    )


# Pages of another organisation's listing, as members see it.
OTHER_LISTING_PAGES = {"listings:detail", "listings:contact", "listings:report"}


def exercise_params(org_a, personas):
    """A « before adoption » review of a tool of A, one of its checks decided."""
    review, _ = start_exercise(
        org_a,
        by=personas["alice"],
        kind="tool_review",
        title="Revue de l'agenda",
        tool_name="Agenda",
        family="collaboration",
        stage="before",
    )
    save_entries(
        review,
        by=personas["alice"],
        title=review.title,
        entries={"regles": {"notes": "", "decision": "adjust", "agreed": "Pas d'invitation après 18 h"}},
    )
    return {"exercise_id": review.pk, "kind": "revue-outil", "key": "regles"}


def request_params(org_a, network, personas):
    """A request of A to the network, new (nobody has taken it)."""
    org_a.employees = 12
    org_a.save(update_fields=["employees"])
    help_request = ask_for_accompaniment(
        org_a,
        network=network,
        themes=["pratiques"],
        situation="Une situation.",
        problem="Une problématique.",
        contact_name="Alice",
        contact_email="alice@example.org",
        by=personas["alice"],
    )
    return {"request_id": help_request.pk}


def build_url(name, params, values):
    kwargs = {}
    for param in params:
        value = values[param]
        if param == "token":
            value = value[name]
        if param == "fmt" and name in {"telework:usage_document_file", "charters:export"}:
            value = "docx"
        if param == "campaign_id" and name.startswith("campaigns:synthesis"):
            value = values["meeting_id"]
        if param == "slug" and name in NETWORK_SIDE:
            value = values["network_slug"]
        if param == "share_id" and name.startswith("sharing:"):
            value = values["result_share_id"]
        if param == "slug" and name.startswith("networks:"):
            value = values["network_slug"]
        if param == "slug" and name.startswith("fiches:") and name not in NETWORK_SIDE:
            value = values["fiche_slug"]
        if param == "membership_id" and name.startswith("networks:"):
            value = values["network_membership_id"]
        kwargs[param] = value
    return reverse(name, kwargs=kwargs)


def close_streamed(response):
    """Close a streamed response (its temporary file) as the WSGI server does, without the
    request_finished signal closing the test's database connection (as the test client does)."""
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)


@pytest.mark.parametrize(("name", "params"), ROUTES, ids=[name for name, _ in ROUTES])
def test_url_as_every_persona(client_of, walk_personas, url_params, name, params):
    """One URL as each persona in turn, each visit in a savepoint rolled back after it, so that
    what one persona's POST changes never reaches the next (and the objects are built once per
    URL, not once per persona)."""
    method, expected = EXPECTED[name]
    if name.split(":")[0] in {"programmes", "sharing"}:
        url_params = {**url_params, **url_params["programme_objects"]()}
        url_params["token"] = {**url_params["token"], "programmes:feed": url_params["feed_token"]}
    if name.startswith("requests:"):
        url_params = {**url_params, **url_params["request_objects"]()}
    if name.startswith("matchmaking:"):
        url_params = {**url_params, **url_params["matchmaking_objects"]()}
    if name.startswith("listings:"):
        url_params = {**url_params, **url_params["listing_objects"]()}
        if name in OTHER_LISTING_PAGES:
            url_params["listing_id"] = url_params["other_listing_id"]
    if name.startswith("observatory:"):
        url_params = {**url_params, **url_params["observatory_objects"]()}
    if name.startswith("instruments:") or name == "campaigns:draft_preview":
        url_params = {**url_params, **url_params["instrument_objects"]()}
    if name.startswith("fiches:") and name in NETWORK_SIDE:
        url_params = {**url_params, **url_params["fiche_objects"]()}
    if name.startswith("evaluation:"):
        url_params = {**url_params, **url_params["evaluation_objects"]()}
    if name.startswith("surveys:"):
        url_params = {**url_params, **url_params["survey_objects"]()}
        if name in CLOSED_SURVEY_PAGES:
            url_params["survey_id"] = url_params["closed_survey_id"]
    if name.startswith("exercises:"):
        url_params = {**url_params, **url_params["exercise_objects"]()}
    url = build_url(name, params, url_params)
    # Pages that need an account send anonymous visitors to the login page, nowhere else.
    public = name.startswith("answer:") or name in {"accounts:password_reset_confirm", "accounts:logout"}
    wrong = []
    for persona in PERSONAS:
        with transaction.atomic():
            response = getattr(client_of(walk_personas.get(persona)), method)(url)
            if response.streaming:
                close_streamed(response)
            if response.status_code != expected[persona]:
                wrong.append(f"as {persona}: {response.status_code}, expected {expected[persona]}")
            elif persona == "anonymous" and expected[persona] == LOGIN and not public:
                if not name.startswith("admin:") and not response["Location"].startswith(
                    reverse("accounts:login")
                ):
                    wrong.append(f"as anonymous: sent to {response['Location']}, not to the login page")
            transaction.set_rollback(True)
    assert not wrong, f"{method.upper()} {url}\n" + "\n".join(wrong)
