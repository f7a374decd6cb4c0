import pytest

from accounts.models import User
from accounts.signals import user_active_changed


@pytest.fixture
def active_changes():
    """The user_active_changed signals sent during the test: [(user pk, active)]."""
    sent = []

    def receiver(sender, user, active, **kwargs):
        sent.append((user.pk, active))

    user_active_changed.connect(receiver, sender=User, weak=False)
    yield sent
    user_active_changed.disconnect(receiver, sender=User)
