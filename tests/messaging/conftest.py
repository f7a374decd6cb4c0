import pytest
from django.core.files.storage import FileSystemStorage

from messaging.models import Attachment


@pytest.fixture
def private_storage(tmp_path, monkeypatch):
    """Attachments go to a temporary folder instead of var/private."""
    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)
    return storage


@pytest.fixture
def broadcasts(monkeypatch):
    """What messaging.services tells conversations and users over the channel layer."""
    sent = []

    def group_send(group, event):
        kind, _, conversation_id = group.partition(".")
        assert kind == "conversation"
        sent.append(("conversation", int(conversation_id), event))

    monkeypatch.setattr("messaging.services.group_send", group_send)
    monkeypatch.setattr(
        "messaging.services.send_user_event",
        lambda user_id, event: sent.append(("user", user_id, event)),
    )
    return sent
