"""The pieces apps plug into: registries, lifecycles, providers, domain errors, the policy."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.http import Http404
from django.test import RequestFactory

from accounts import policy
from core.errors import Conflict, NotAllowed, NotFound, RateLimited
from core.lifecycle import Lifecycle
from core.middleware import DomainErrorMiddleware
from core.providers import Provider, ProviderRegistry
from core.registry import Registry, autodiscover
from marketplace.models import Task, TaskStatus
from marketplace.services import TASK_LIFECYCLE
from tests.accounts.factories import UserFactory
from tests.marketplace import factories as f

# --- Registries -------------------------------------------------------------------------


def test_a_registry_refuses_two_items_under_one_key():
    registry = Registry("widget")
    registry.register("a", object)
    registry.register("a", object)  # the same item again is harmless (a module re-imported)
    with pytest.raises(ValueError, match="registered twice"):
        registry.register("a", dict)
    with pytest.raises(LookupError, match="no widget 'b'"):
        registry["b"]


def test_autodiscovery_finds_each_apps_module_of_a_name():
    names = {module.__name__ for module in autodiscover("search_documents")}
    assert {"marketplace.search_documents", "cms.search_documents"} <= names
    assert "tests.plugin_app.search_documents" in names


# --- Lifecycles -------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_lifecycle_changes_logs_and_refuses_what_its_table_does_not_list():
    from core.models import ActivityLog

    task = f.task(f.organization())
    owner = task.organization.memberships.get().user

    TASK_LIFECYCLE.change(task, TaskStatus.CLOSED, owner, reason="test")

    task.refresh_from_db()
    assert task.status == TaskStatus.CLOSED
    entry = ActivityLog.objects.filter(action="marketplace.task_status").latest("id")
    assert entry.data == {"old": "open", "new": "closed", "reason": "test"}
    with pytest.raises(Conflict) as refused:
        TASK_LIFECYCLE.change(task, TaskStatus.OPEN, owner)
    assert refused.value.details == {"old": "closed", "new": "open"}
    assert Task.objects.get(pk=task.pk).status == TaskStatus.CLOSED


def test_a_lifecycle_table_must_declare_every_state_it_leads_to():
    with pytest.raises(ValueError, match="undeclared"):
        Lifecycle("x.status", {"a": {"b"}})
    machine = Lifecycle("x.status", {"a": {"b"}, "b": set()})
    assert machine.allowed("a", "b") and not machine.allowed("b", "a")
    assert machine.is_final("b")


# --- Providers --------------------------------------------------------------------------


class FakePayouts(Provider):
    identifier = "fake"
    verbose_name = "Fake transfers"


class UnconfiguredPayouts(Provider):
    identifier = "unconfigured"
    verbose_name = "Needs a secret"

    def is_available(self):
        return False


def test_providers_are_chosen_by_identifier_per_object():
    payouts = ProviderRegistry("payout provider")
    payouts.register_provider(FakePayouts)
    payouts.register_provider(UnconfiguredPayouts)

    # Two contests, each with its own provider: no global "the provider" setting.
    contests = [{"payout_provider": "fake"}, {"payout_provider": "unconfigured"}]
    chosen = [payouts.get_provider(c["payout_provider"]) for c in contests]

    assert [type(p) for p in chosen] == [FakePayouts, UnconfiguredPayouts]
    assert payouts.choices() == [("fake", "Fake transfers")]  # only what can run here
    with pytest.raises(TypeError):
        payouts.register_provider(type("Nameless", (Provider,), {}))


# --- Domain errors become HTTP in one place ---------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("error", "raises", "status"),
    [
        (NotFound(), Http404, None),
        (NotAllowed(), PermissionDenied, None),
        (Conflict("もう回答済みです。"), None, 409),
        (RateLimited("少し待ってください。", retry_after=60), None, 429),
    ],
)
def test_domain_errors_become_http_answers(error, raises, status):
    request = RequestFactory().get("/")
    request.user = UserFactory()
    middleware = DomainErrorMiddleware(lambda r: None)
    if raises is not None:
        with pytest.raises(raises):
            middleware.process_exception(request, error)
        return
    response = middleware.process_exception(request, error)
    assert response.status_code == status
    assert error.message in response.content.decode()
    if status == 429:
        assert response["Retry-After"] == "60"


def test_other_exceptions_are_left_alone():
    request = RequestFactory().get("/")
    assert DomainErrorMiddleware(lambda r: None).process_exception(request, KeyError()) is None


# --- The policy table -------------------------------------------------------------------


def test_every_action_is_in_the_printed_table():
    out = StringIO()
    call_command("policy", stdout=out)
    printed = out.getvalue()
    for action, who in policy.table():
        assert action in printed and who in printed
    assert "moderation.handle_report" in printed
    assert "of its ward" in dict(policy.table())["marketplace.verify_organization"]


def test_an_unknown_action_is_an_error_not_a_refusal():
    with pytest.raises(LookupError):
        policy.can(None, "nobody.registered_this")
