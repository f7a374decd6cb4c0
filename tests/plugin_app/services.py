"""How a domain app changes its state: in a transaction, reindexing after commit."""

from django.db import transaction

from messaging import services as messaging
from search.index import update_on_commit

from .models import StudyCircle


@transaction.atomic
def create_circle(owner, *, name, description, ward, members=(), public=True) -> StudyCircle:
    circle = StudyCircle.objects.create(
        name=name, description=description, ward=ward, public=public
    )
    circle.members.set([owner, *members])
    update_on_commit(circle)
    return circle


@transaction.atomic
def open_chat(circle: StudyCircle):
    return messaging.ensure_conversation(circle)


@transaction.atomic
def close_circle(circle: StudyCircle) -> StudyCircle:
    circle.closed = True
    circle.save(update_fields=["closed"])
    messaging.post_event(circle, "closed")
    update_on_commit(circle)
    return circle
