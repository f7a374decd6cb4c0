"""Entrants: entering a contest, the team page and its changes, invitations, the
team's conversation. Thin views: parse input, call one service, render or redirect.
Another team's page answers 404 (accounts.policy).
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from core.errors import NotFound
from core.feedback import SHOWN, add_form_errors, errors_as_messages
from messaging import services as messaging

from .. import services
from ..forms import ContributorForm, EligibilityForm, EnterForm, InviteForm, TeamNameForm
from ..models import (
    ContestPage,
    ContestState,
    Contributor,
    InvitationStatus,
    ResultsPublication,
    RoundJudge,
    Submission,
    Team,
    TeamInvitation,
    TeamMembership,
)


def contest_detail(request, pk):
    """/contests/<pk>/: a stable link (e-mails, feeds) to the live contest page, in the
    language being read when it has that translation."""
    page = get_object_or_404(ContestPage.objects.live(), pk=pk).localized
    url = page.get_url(request)
    if url is None:  # not routable on any site
        raise Http404
    return redirect(url)


# --- Entering ---------------------------------------------------------------------------


def _current_team(contest, user):
    """The team `user` is in for `contest`, if any (one per person per contest)."""
    membership = (
        TeamMembership.objects.filter(contest=contest, user=user).select_related("team").first()
    )
    return membership.team if membership else None


@login_required
def enter(request, pk):
    """Start a team: its name and the organizer's eligibility questions."""
    contest = get_object_or_404(ContestPage.objects.live(), pk=pk).canonical
    form = EnterForm(request.POST or None, contest=contest)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.create_team(
                request.user, contest, form.cleaned_data["name"], form.answers()
            )
        except SHOWN as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request,
                _("Your team 「%(team)s」 has entered the contest. Invite your teammates below.")
                % {"team": team.name},
            )
            return redirect("contests:team_detail", pk=team.pk)
    return render(
        request,
        "contests/enter.html",
        {
            "contest": contest,
            "form": form,
            "current_team": _current_team(contest, request.user),
            "entry_open": contest.state == ContestState.ENTRY_OPEN,
        },
    )


@login_required
def my_entries(request):
    memberships = (
        TeamMembership.objects.filter(user=request.user, team__withdrawn_at__isnull=True)
        .select_related("team__contest", "team__leader")
        .order_by("-joined_at")
    )
    submissions = {
        submission.team_id: submission
        for submission in Submission.objects.filter(
            team__in=[membership.team for membership in memberships]
        )
    }
    entries = [
        {
            "team": membership.team,
            "contest": membership.team.contest,
            "is_leader": membership.team.leader_id == request.user.pk,
            "submission": submissions.get(membership.team_id),
            "deadline": services.team_deadline(membership.team),
        }
        for membership in memberships
    ]
    invitations = TeamInvitation.objects.filter(
        user=request.user, status=InvitationStatus.PENDING, team__withdrawn_at__isnull=True
    ).select_related("team__contest", "invited_by")
    return render(
        request,
        "contests/my_entries.html",
        {
            "entries": entries,
            "invitations": invitations,
            "now": timezone.now(),
            "judging": RoundJudge.objects.filter(user=request.user).exists(),
        },
    )


@login_required
def join(request, code):
    """Through the team's invitation link: who the team is, then the questions."""
    try:
        team = services.team_for_code(code)
    except NotFound as error:
        return render(request, "contests/join.html", {"invalid": error.message}, status=404)
    contest = team.contest
    current_team = _current_team(contest, request.user)
    if current_team is not None and current_team.pk == team.pk:
        messages.info(request, _("You are already in this team."))
        return redirect("contests:team_detail", pk=team.pk)
    form = EligibilityForm(request.POST or None, contest=contest)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_by_link(request.user, code, form.answers())
        except SHOWN as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("You joined the team 「%(team)s」.") % {"team": team.name})
            return redirect("contests:team_detail", pk=team.pk)
    return render(
        request,
        "contests/join.html",
        {
            "team": team,
            "contest": contest,
            "form": form,
            "members": team.memberships.select_related("user"),
            "current_team": current_team,
            "entry_open": contest.state == ContestState.ENTRY_OPEN,
        },
    )


# --- The team ---------------------------------------------------------------------------


def _team_for(user, pk) -> Team:
    """The team, for its members and its ward's organizers; 404 for anyone else."""
    return policy.access(
        user, "contests.view_team", Team.objects.select_related("contest__ward", "leader"), pk=pk
    )


@login_required
def team_detail(request, pk):
    team = _team_for(request.user, pk)
    user = request.user
    is_member = TeamMembership.objects.filter(team=team, user=user).exists()
    is_leader = policy.can(user, "contests.manage_team", team)
    deadline = services.team_deadline(team)
    now = timezone.now()
    closed = now > deadline or team.withdrawn_at is not None
    context = {
        "team": team,
        "contest": team.contest,
        "is_member": is_member,
        "is_leader": is_leader,
        "members": team.memberships.select_related("user"),
        "contributors": team.contributors.all(),
        "submission": Submission.objects.filter(team=team).first(),
        "deadline": deadline,
        "contest_deadline": team.contest.submission_deadline,
        "extensions": team.extensions.all(),
        "announcements": team.contest.announcements.all()[:20],
        "closed": closed,
        "entry_open": team.contest.state_at(now) == ContestState.ENTRY_OPEN,
        "confirm_leave": is_member and request.GET.get("leave") == "confirm",
        "results_published": ResultsPublication.objects.filter(contest=team.contest).exists(),
    }
    if is_leader:
        context.update(
            invite_url=request.build_absolute_uri(
                reverse("contests:join", args=[team.invite_code])
            ),
            invitations=team.invitations.filter(status=InvitationStatus.PENDING).select_related(
                "user"
            ),
            rename_form=TeamNameForm(initial={"name": team.name}, auto_id="rename_%s"),
            invite_form=InviteForm(auto_id="invite_%s"),
            contributor_form=ContributorForm(auto_id="contributor_%s"),
        )
    return render(request, "contests/team_detail.html", context)


@login_required
def team_conversation(request, pk):
    """The team's messages. Its members are in the conversation from the day they join;
    one who is not yet (a team older than its conversation) joins it with a POST."""
    team = _team_for(request.user, pk)
    # The organizer sees the team, not what its members say to each other.
    if not TeamMembership.objects.filter(team=team, user=request.user).exists():
        raise Http404
    conversation = messaging.conversation_for(team)
    if request.method == "POST":
        conversation = messaging.open_conversation(request.user, team)
    if conversation is not None and messaging.is_participant(request.user, conversation):
        return redirect("messaging:conversation", pk=conversation.pk)
    return render(
        request,
        "contests/team_conversation.html",
        {"team": team, "exists": conversation is not None},
    )


def _user_from_email(email: str):
    # Only an active account's primary address: the service says "there is no such
    # person" for anything else, and nothing more.
    return get_user_model().objects.filter(email__iexact=email.strip(), is_active=True).first()


def _rename(request, team):
    services.rename_team(request.user, team, request.POST.get("name", ""))
    messages.success(request, _("The team is now called 「%(team)s」.") % {"team": team.name})


def _reset_link(request, team):
    services.reset_invite_link(request.user, team)
    messages.success(request, _("The team has a new invitation link. The old one no longer works."))


def _invite(request, team):
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write the e-mail address of the person to invite."))
        return
    invitee = _user_from_email(form.cleaned_data["email"])
    services.invite_user(request.user, team, invitee)
    messages.success(
        request,
        _("%(name)s was invited. They accept or decline on their page.")
        % {"name": invitee.display_name},
    )


def _withdraw_invitation(request, team):
    invitation = get_object_or_404(TeamInvitation, pk=request.POST.get("invitation"), team=team)
    services.withdraw_invitation(request.user, invitation)
    messages.success(request, _("The invitation was withdrawn."))


def _remove_member(request, team):
    member = get_object_or_404(
        get_user_model(), pk=request.POST.get("member"), team_memberships__team=team
    )
    services.remove_member(request.user, team, member)
    messages.success(
        request, _("%(name)s is no longer in the team.") % {"name": member.display_name}
    )


def _add_contributor(request, team):
    services.add_contributor(
        request.user, team, request.POST.get("name", ""), request.POST.get("role", "")
    )
    messages.success(request, _("The contributor was added."))


def _remove_contributor(request, team):
    contributor = get_object_or_404(Contributor, pk=request.POST.get("contributor"), team=team)
    services.remove_contributor(request.user, contributor)
    messages.success(request, _("The contributor was removed."))


TEAM_ACTIONS = {
    "rename": _rename,
    "reset_link": _reset_link,
    "invite": _invite,
    "withdraw_invitation": _withdraw_invitation,
    "remove_member": _remove_member,
    "add_contributor": _add_contributor,
    "remove_contributor": _remove_contributor,
}


def _digits(value) -> bool:
    return str(value or "").isdigit()


@login_required
@require_POST
def team_action(request, pk, action):
    """One change to the team, one service call; a refusal comes back as a message."""
    if action not in TEAM_ACTIONS and action != "leave":
        raise Http404
    team = _team_for(request.user, pk)
    for key in ("invitation", "member", "contributor"):
        if key in request.POST and not _digits(request.POST[key]):
            raise Http404
    if action == "leave":
        if request.POST.get("confirm") != "yes":
            return redirect(reverse("contests:team_detail", args=[team.pk]) + "?leave=confirm")
        with errors_as_messages(request):
            services.leave_team(request.user, team)
            messages.success(request, _("You left the team 「%(team)s」.") % {"team": team.name})
            return redirect("contests:my_entries")
        return redirect("contests:team_detail", pk=team.pk)
    with errors_as_messages(request):
        TEAM_ACTIONS[action](request, team)
    return redirect("contests:team_detail", pk=team.pk)


@login_required
def invitation_action(request, pk, action):
    """Decline (a POST), or accept: the eligibility questions first (GET shows them)."""
    if action not in ("accept", "decline"):
        raise Http404
    invitation = policy.access(
        request.user,
        "contests.answer_invitation",
        TeamInvitation.objects.select_related("team__contest__ward", "invited_by"),
        pk=pk,
    )
    team = invitation.team
    if invitation.status != InvitationStatus.PENDING:
        messages.info(request, _("This invitation has already been answered or withdrawn."))
        return redirect("contests:my_entries")
    if action == "decline":
        if request.method != "POST":
            return redirect("contests:my_entries")
        with errors_as_messages(request):
            services.answer_invitation(request.user, invitation, accept=False)
            messages.success(
                request, _("You declined the invitation to 「%(team)s」.") % {"team": team.name}
            )
        return redirect("contests:my_entries")
    form = EligibilityForm(request.POST or None, contest=team.contest)
    if request.method == "POST" and form.is_valid():
        try:
            services.answer_invitation(
                request.user, invitation, accept=True, answers=form.answers()
            )
        except SHOWN as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("You joined the team 「%(team)s」.") % {"team": team.name})
            return redirect("contests:team_detail", pk=team.pk)
    return render(
        request,
        "contests/join.html",
        {
            "team": team,
            "contest": team.contest,
            "form": form,
            "invitation": invitation,
            "members": team.memberships.select_related("user"),
            "current_team": _current_team(team.contest, request.user),
            "entry_open": team.contest.state == ContestState.ENTRY_OPEN,
        },
    )
