"""Reviews, one per side, once a match is completed."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.activity import log_action

from ..models import Match, MatchStatus, Review
from .matches import side


@transaction.atomic
def leave_review(user: User, match: Match, *, rating: int, comment: str) -> Review:
    by_organization = side(user, match) == "organization"
    if match.status != MatchStatus.COMPLETED:
        raise ValidationError(_("Reviews open once both sides have confirmed completion."))
    if Review.objects.filter(match=match, by_organization=by_organization).exists():
        raise ValidationError(_("A review has already been left for this match."))
    review = Review(
        match=match,
        author=user,
        by_organization=by_organization,
        rating=rating,
        comment=comment.strip(),
    )
    review.full_clean()
    review.save()
    log_action(user, "marketplace.reviewed", review, rating=rating)
    return review
