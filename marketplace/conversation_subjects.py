"""An application (or invitation) is the subject of a conversation: the resident and every
member of the organization talk from the first message on, through the match."""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from messaging import subjects
from messaging.subjects import ConversationSubject

from .models import Application, ApplicationStatus, MatchStatus

# The events the board posts into an application's conversation (services post them).
MATCHED = "matched"
DECLINED = "declined"
INVITATION_DECLINED = "invitation_declined"
WITHDRAWN = "withdrawn"
EXPIRED = "expired"


@subjects.register
class ApplicationSubject(ConversationSubject):
    model = Application
    events = {
        MATCHED: _("Matched! Contact details are now visible to both of you."),
        DECLINED: _("This application was declined. The conversation is closed."),
        INVITATION_DECLINED: _("The invitation was declined. The conversation is closed."),
        WITHDRAWN: _("This was withdrawn. The conversation is closed."),
        EXPIRED: _("Nobody answered in time. The conversation is closed."),
    }

    def participants(self, application):
        members = get_user_model().objects.filter(
            memberships__organization_id=application.task.organization_id
        )
        return [application.resident, *members]

    def may_open(self, user, application):
        from accounts import policy

        return policy.can(user, "marketplace.view_application", application)

    def title(self, application):
        return application.task.title

    def is_closed(self, application):
        if application.status == ApplicationStatus.ACCEPTED:
            match = getattr(application, "match", None)
            return match is not None and match.status == MatchStatus.CANCELLED
        return application.status != ApplicationStatus.PENDING

    def contact_details_allowed(self, application):
        return application.status == ApplicationStatus.ACCEPTED

    def link(self, application, user):
        match = (
            getattr(application, "match", None)
            if application.status == ApplicationStatus.ACCEPTED
            else None
        )
        if match is not None:
            return _("Match"), reverse("marketplace:match_detail", args=[match.pk])
        if user.pk == application.resident_id:
            return _("Task"), reverse("marketplace:task_detail", args=[application.task_id])
        return _("Applications"), reverse(
            "marketplace:task_applications", args=[application.task_id]
        )

    def ward_id(self, application):
        return application.task.ward_id
