import pytest

from accounts import services as account_services
from accounts.models import Role
from marketplace import services
from tests.accounts.factories import UserFactory, with_second_factor
from tests.marketplace import factories as f

SETAGAYA = "131121"
TAITO = "131067"


def ward_moderator(code: str, **fields):
    """A ward administrator: the moderator role for one ward, with a second factor."""
    user = UserFactory(**fields)
    account_services.grant_role(user, Role.MODERATOR, ward=f.ward(code))
    return with_second_factor(user)


def all_ward_moderator(**fields):
    user = UserFactory(**fields)
    account_services.grant_role(user, Role.MODERATOR)
    return with_second_factor(user)


def matched(org, resident, **task_fields):
    """A task of `org` that `resident` applied to and the organization accepted."""
    task = f.task(org, **task_fields)
    member = org.memberships.first().user
    return services.accept_application(member, services.apply_to_task(resident, task, "応募します"))


@pytest.fixture
def board(db):
    """台東区's 商店街 with two matches: one with a 世田谷区 resident (cross-ward), one
    with a 台東区 resident."""
    shop = f.organization()
    setagaya_resident = f.resident(display_name="世田谷の区民")
    taito_resident = f.resident(display_name="台東の区民", ward_code=TAITO)
    return {
        "shop": shop,
        "cross": matched(shop, setagaya_resident, title="SNSの発信"),
        "local": matched(shop, taito_resident, title="チラシ作り"),
    }
