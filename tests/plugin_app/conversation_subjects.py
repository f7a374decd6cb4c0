from messaging import subjects
from messaging.subjects import ConversationSubject

from .models import StudyCircle


@subjects.register
class StudyCircleSubject(ConversationSubject):
    model = StudyCircle
    events = {"closed": "The circle has closed."}

    def participants(self, circle):
        return list(circle.members.all())

    def title(self, circle):
        return f"勉強会: {circle.name}"

    def is_closed(self, circle):
        return circle.closed

    def ward_id(self, circle):
        return circle.ward_id
