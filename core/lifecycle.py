"""State machines: which status may follow which, the change, and its log entry.

A domain declares its machine once, as a table:

    TASK_LIFECYCLE = Lifecycle("marketplace.task_status", {
        TaskStatus.DRAFT: {TaskStatus.OPEN, TaskStatus.CANCELLED},
        ...
    })

and its services move objects with `TASK_LIFECYCLE.change(task, TaskStatus.OPEN, actor)`.
The change refuses a transition the table does not list (Conflict, whose message names
both states), sets the fields, saves only what changed, and writes one activity log
entry with the old and the new state. Contest phases and payout states use the same.
"""

from collections.abc import Mapping

from django.utils.translation import gettext as _

from .activity import log_action
from .errors import Conflict


class Lifecycle:
    def __init__(self, action: str, transitions: Mapping, *, field: str = "status"):
        self.action = action
        self.field = field
        self.transitions = {
            str(old): {str(new) for new in news} for old, news in transitions.items()
        }
        for old, news in self.transitions.items():
            unknown = news - set(self.transitions)
            if unknown:
                raise ValueError(f"{action}: {old} leads to undeclared states {sorted(unknown)}")

    def allowed(self, old, new) -> bool:
        return str(new) in self.transitions.get(str(old), ())

    def is_final(self, state) -> bool:
        return not self.transitions.get(str(state))

    def check(self, obj, new) -> None:
        old = getattr(obj, self.field)
        if not self.allowed(old, new):
            raise Conflict(
                _("This cannot go from “%(old)s” to “%(new)s”.")
                % {"old": _label(obj, self.field, old), "new": _label(obj, self.field, new)},
                old=str(old),
                new=str(new),
            )

    def change(self, obj, new, actor, *, fields: Mapping | None = None, log: bool = True, **data):
        """Move `obj` to `new`, also setting `fields`; save and log. Call inside the
        service's transaction, on a row it holds locked (select_for_update)."""
        self.check(obj, new)
        old = getattr(obj, self.field)
        setattr(obj, self.field, new)
        changed = [self.field]
        for name, value in (fields or {}).items():
            setattr(obj, name, value)
            changed.append(name)
        if _has_field(obj, "updated_at"):
            changed.append("updated_at")
        obj.save(update_fields=changed)
        if log:
            log_action(actor, self.action, obj, old=str(old), new=str(new), **data)
        return obj


def _has_field(obj, name: str) -> bool:
    return any(field.name == name for field in obj._meta.concrete_fields)


def _label(obj, field: str, value) -> str:
    choices = dict(obj._meta.get_field(field).flatchoices)
    return str(choices.get(value, value))
