"""Who may do what, where: the one place that answers "may this person do this here".

Every app states its rules as a table in its own `rules.py`, an action name per row:

    policy.register({
        "marketplace.verify_organization": superuser | role_in_ward(Role.MODERATOR),
        "marketplace.edit_task": member_of("organization"),
    })

and views, services, admin queues and viewsets ask here, never the role tables:

    policy.check(user, "marketplace.verify_organization", organization)  # or raises
    policy.can(user, "moderation.view_report_queue")                    # a bool
    policy.scope(user, "moderation.handle_report", Report.objects.all()) # what they may

Ward scope. A role is held for every ward (RoleAssignment.ward empty) or for some wards.
`role_in_ward(role, "ward")` allows a user whose role covers the object's ward: a 台東区
moderator acts on 台東区's organizations and reports only; an all-ward moderator on
all; an object without a ward only for all-ward holders. `role(role)` asks whether the
user holds the role anywhere (to show a menu, say), never whether they may touch an
object.

A refusal about an object raises NotFound (another ward's or another organization's
object is not there for you: nothing leaks about what exists); a refusal without an
object raises NotAllowed. `manage.py policy` prints every app's table.
"""

from collections.abc import Callable
from functools import reduce

from django.db.models import Q
from django.utils import translation

from core.errors import NotAllowed, NotFound
from core.registry import Registry

from .models import Role, RoleAssignment

RULES = Registry("policy rule", discover="rules")

_NOTHING = Q(pk__in=[])
# Not Q(): an empty Q vanishes when combined (`Q(pk__in=[]) | Q()` is "nothing").
_EVERYTHING = Q(pk__isnull=False)


class Rule:
    """A predicate over (user, object). `q(user)` is the same rule as a filter for lists
    (None when the rule cannot be one); `label` says it in words for the table."""

    def __init__(
        self,
        test: Callable,
        label: str,
        q: Callable | None = None,
        *,
        needs_object: bool = False,
    ):
        self._test = test
        self._q = q
        self.label = label
        self.needs_object = needs_object

    def test(self, user, obj=None) -> bool:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return False
        if self.needs_object and obj is None:
            return False
        return bool(self._test(user, obj))

    def q(self, user) -> Q | None:
        if self._q is None:
            return None
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return _NOTHING
        return self._q(user)

    def __or__(self, other: "Rule") -> "Rule":
        def q(user):
            mine, theirs = self.q(user), other.q(user)
            return None if mine is None or theirs is None else mine | theirs

        return Rule(
            lambda user, obj: self.test(user, obj) or other.test(user, obj),
            f"{self.label}, or {other.label}",
            q if self._q is not None and other._q is not None else None,
        )

    def __and__(self, other: "Rule") -> "Rule":
        def q(user):
            mine, theirs = self.q(user), other.q(user)
            return None if mine is None or theirs is None else mine & theirs

        return Rule(
            lambda user, obj: self.test(user, obj) and other.test(user, obj),
            f"{self.label}, and {other.label}",
            q if self._q is not None and other._q is not None else None,
            needs_object=self.needs_object or other.needs_object,
        )

    def __str__(self) -> str:
        return self.label


# --- Building blocks --------------------------------------------------------------------


def attr(obj, path: str):
    """`obj.a.b` for the path "a__b"."""
    return reduce(lambda value, name: getattr(value, name, None), path.split("__"), obj)


def _everything(user) -> Q:
    return _EVERYTHING


signed_in = Rule(lambda user, obj: True, "anyone signed in", _everything)

superuser = Rule(
    lambda user, obj: user.is_superuser,
    "a superuser",
    lambda user: _EVERYTHING if user.is_superuser else _NOTHING,
)


def _role_name(name: Role) -> str:
    """"a moderator", "an editor": the table is for the people who read the code, in
    English whatever language is active."""
    with translation.override("en"):
        label = str(Role(name).label).lower()
    return f"{'an' if label[0] in 'aeiou' else 'a'} {label}"


def role(name: Role) -> Rule:
    """Holds the role for any ward (or all). For menus and object-free actions."""
    return Rule(
        lambda user, obj: name in role_wards(user),
        f"{_role_name(name)} of any ward",
        lambda user: _EVERYTHING if name in role_wards(user) else _NOTHING,
    )


def role_in_ward(name: Role, ward: str | None = "ward") -> Rule:
    """Holds the role for the ward of the object (`ward` is the path to it; None when
    the object is a ward itself)."""
    own_id = "pk" if ward is None else f"{ward}_id"
    lookup = "pk__in" if ward is None else f"{ward}__in"

    def test(user, obj):
        if name not in role_wards(user):
            return False
        wards = role_wards(user)[name]
        return wards is None or attr(obj, own_id) in wards

    def q(user):
        if name not in role_wards(user):
            return _NOTHING
        wards = role_wards(user)[name]
        return _EVERYTHING if wards is None else Q(**{lookup: wards})

    return Rule(test, f"{_role_name(name)} of its ward (or of all wards)", q, needs_object=True)


def role_everywhere(name: Role) -> Rule:
    """Holds the role for every ward (an assignment without a ward)."""
    return Rule(
        lambda user, obj: name in role_wards(user) and role_wards(user)[name] is None,
        f"{_role_name(name)} of all wards",
    )


def is_user(path: str = "user") -> Rule:
    """The object's `path` is the user (the resident of an application, say)."""
    return Rule(
        lambda user, obj: attr(obj, f"{path}_id") == user.pk,
        f"its {path.replace('__', ' ')}",
        lambda user: Q(**{path: user}),
        needs_object=True,
    )


def predicate(label: str, *, q: Callable | None = None, needs_object: bool = True):
    """Decorator for a rule of an app's own: `@predicate("a member of its organization")`."""

    def wrap(test):
        return Rule(test, label, q, needs_object=needs_object)

    return wrap


# --- Role lookups, once per user object ------------------------------------------------


def role_wards(user) -> dict[str, frozenset | None]:
    """{role: None (every ward) or the ward ids} for the roles `user` holds. One query,
    kept on the user object; `forget(user)` after changing their roles."""
    cached = getattr(user, "_policy_role_wards", None)
    if cached is not None:
        return cached
    wards: dict[str, set | None] = {}
    if getattr(user, "is_authenticated", False):
        for role_name, ward_id in RoleAssignment.objects.filter(user=user).values_list(
            "role", "ward_id"
        ):
            if ward_id is None:
                wards[role_name] = None
            elif role_name not in wards or wards[role_name] is not None:
                wards.setdefault(role_name, set()).add(ward_id)
    result = {name: None if ids is None else frozenset(ids) for name, ids in wards.items()}
    if getattr(user, "pk", None) is not None:
        user._policy_role_wards = result
    return result


def forget(user) -> None:
    try:
        del user._policy_role_wards
    except AttributeError:
        pass


# --- Asking ---------------------------------------------------------------------------


def register(rules: dict[str, Rule]) -> None:
    for action, rule in rules.items():
        RULES.register(action, rule)


def rule_for(action: str) -> Rule:
    return RULES[action]


def can(user, action: str, obj=None) -> bool:
    return rule_for(action).test(user, obj)


def check(user, action: str, obj=None) -> None:
    """Raise unless `user` may do `action` (to `obj`): NotFound about an object,
    NotAllowed without one."""
    if not can(user, action, obj):
        raise NotFound() if obj is not None else NotAllowed()


def scope(user, action: str, queryset):
    """The objects of `queryset` that `user` may do `action` to, as one filter."""
    q = rule_for(action).q(user)
    if q is None:
        raise TypeError(f"the rule for {action!r} cannot filter a list")
    return queryset.filter(q)


def table() -> list[tuple[str, str]]:
    """(action, who may) for every registered rule, sorted by action."""
    return sorted((action, rule.label) for action, rule in RULES.items())


def access(user, action: str, queryset, **lookup):
    """The object of `queryset` matching `lookup` if `user` may do `action` to it;
    NotFound otherwise (whether it is missing or not theirs)."""
    obj = queryset.filter(**lookup).first()
    if obj is None or not can(user, action, obj):
        raise NotFound
    return obj


def holders(name: Role, *, ward=None):
    """The active users who hold `name` for `ward` (or for every ward): whom to tell
    about something in that ward."""
    from django.contrib.auth import get_user_model

    covering = Q(role_assignments__role=name) & (
        Q(role_assignments__ward__isnull=True) | Q(role_assignments__ward=ward)
    )
    return get_user_model().objects.filter(covering, is_active=True).distinct()
