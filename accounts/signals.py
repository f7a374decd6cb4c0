"""What accounts.services tell the other apps.

Both are sent inside the service's transaction, once the change is written. A receiver
that works outside the database (reindexing, e-mail, a socket push) queues that work with
`transaction.on_commit`, so a change that is rolled back leaves nothing behind and the
work sees the committed state (search.index.update_on_commit does this for reindexing).
"""

from django.dispatch import Signal

# A consent was granted or withdrawn: sender=ConsentRecord, user=, purpose=.
consent_changed = Signal()

# A user was deactivated (active=False) or reactivated (active=True) by
# accounts.services.set_active: sender=User, user=, active=. A deactivated user leaves
# search at once (their profile is reindexed, and a profile of an inactive user is not
# searchable); their sessions are already gone when this is sent.
user_active_changed = Signal()
