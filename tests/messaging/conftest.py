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
    monkeypatch.setattr(
        "messaging.services._group_send",
        lambda conversation_id, event: sent.append(("conversation", conversation_id, event)),
    )
    monkeypatch.setattr(
        "messaging.services.send_user_event",
        lambda user_id, event: sent.append(("user", user_id, event)),
    )
    return sent
