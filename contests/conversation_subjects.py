"""A team is the subject of a conversation: its members talk from the day it is formed,
and whoever leaves stops reading it (messaging.sync_participants)."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from messaging import subjects
from messaging.subjects import ConversationSubject

from .models import Team

MEMBER_LEFT = "member_left"
MEMBER_REMOVED = "member_removed"
TEAM_WITHDRAWN = "team_withdrawn"
EXTENSION_GRANTED = "extension_granted"


@subjects.register
class TeamSubject(ConversationSubject):
    model = Team
    events = {
        MEMBER_LEFT: _("A member left the team."),
        MEMBER_REMOVED: _("The leader removed a member from the team."),
        TEAM_WITHDRAWN: _("The team was withdrawn from the contest."),
        EXTENSION_GRANTED: _("The organizer extended the team's deadline."),
    }

    def participants(self, team):
        return list(get_user_model().objects.filter(team_memberships__team=team))

    def title(self, team):
        return f"{team.name} ({team.contest.title})"

    def is_closed(self, team):
        return team.withdrawn_at is not None

    def contact_details_allowed(self, team):
        return True  # they chose to work together

    def link(self, team, user):
        return _("Team"), reverse("contests:team_detail", args=[team.pk])

    def ward_id(self, team):
        return team.contest.ward_id
