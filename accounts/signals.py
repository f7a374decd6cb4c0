from django.dispatch import Signal

# Sent by accounts.services when a consent is granted or withdrawn: user=, purpose=.
consent_changed = Signal()
