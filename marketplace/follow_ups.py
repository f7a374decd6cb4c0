"""The board carries things on (core.follow_ups): a draft task asking skilled residents
to help, posted by an organization the person asking belongs to."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core import follow_ups
from core.errors import Conflict

from .models import Membership, SkillCategory, VerificationStatus, WorkStyle
from .services import create_task


@follow_ups.register("marketplace.task")
def board_task(request: follow_ups.FollowUpRequest) -> follow_ups.FollowUp:
    membership = (
        Membership.objects.filter(
            user=request.actor,
            organization__status=VerificationStatus.VERIFIED,
            organization__closed_at__isnull=True,
        )
        .select_related("organization")
        .order_by("organization__name")
        .first()
    )
    if membership is None:
        raise Conflict(
            _(
                "A board task is posted by an organization. Register your department or a "
                "partner organization on the board (and have it verified), then try again."
            )
        )
    task = create_task(
        request.actor,
        membership.organization,
        skills=SkillCategory.objects.filter(code__in=["web", "it"]),
        title=request.title[:80],
        description=request.description[:5000],
        category=SkillCategory.objects.get(code="it"),
        ward=request.ward,
        work_style=WorkStyle.EITHER,
        hours_per_week=4,
        duration_weeks=12,
        deliverable=_("The app keeps running as a service of the ward, with the team."),
        apply_deadline=timezone.localdate() + timedelta(days=30),
        people_wanted=2,
        origin_url=request.origin_url,
        origin_label=request.origin_label[:200],
    )
    return follow_ups.FollowUp(
        reference=f"marketplace.task:{task.pk}",
        url=reverse("marketplace:task_edit", args=[task.pk]),
        public_url=reverse("marketplace:task_detail", args=[task.pk]),
    )
