"""What a new user tripped over in the board's forms (#17): each refusal is one clear
error on the field it is about, and nothing typed is dropped or cut short."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from marketplace import services
from marketplace.forms import OrganizationForm, ResidentProfileForm, TaskForm
from marketplace.models import Organization, Task, WorkStyle
from marketplace.services import organizations as organization_services
from marketplace.validators import CORPORATE_NUMBER_TAKEN, MAX_VOLUNTEER_HOURS_PER_WEEK
from tests.accounts.factories import UserFactory

from . import factories as f

pytestmark = pytest.mark.django_db

NUMBER = "7000012050002"  # the National Tax Agency's own


def _codes(form, name):
    return [error.code for error in form.errors.as_data().get(name, [])]


def _organization_data(wards, **fields):
    return {
        "name": "砂町銀座商店街",
        "kind": "shotengai",
        "ward": wards["131083"].pk,
        "address": "東京都江東区北砂4-18-10",
        "description": "下町の商店街です。",
        "contact_email": "office@sunamachi.example.jp",
        "contact_phone": "03-1234-5678",
        "is_corporation": "on",
        "corporate_number": NUMBER,
    } | fields


# --- Corporate number ----------------------------------------------------------------


def test_a_second_organization_with_the_same_number_gets_a_clear_field_error(client, wards):
    f.organization(is_corporation=True, corporate_number=NUMBER)
    client.force_login(UserFactory())

    response = client.post("/organizations/new/", _organization_data(wards))

    assert response.status_code == 200
    form = response.context["form"]
    assert _codes(form, "corporate_number") == ["taken"]
    assert not form.non_field_errors()
    html = response.content.decode()
    assert "unique_corporate_number" not in html
    assert str(CORPORATE_NUMBER_TAKEN) in html
    assert Organization.objects.filter(corporate_number=NUMBER).count() == 1


def test_the_service_refuses_a_taken_number_on_the_field(wards):
    f.organization(is_corporation=True, corporate_number=NUMBER)
    with pytest.raises(ValidationError) as refused:
        f.organization(name="別の団体", is_corporation=True, corporate_number="7000-0120-50002")
    assert [e.code for e in refused.value.error_dict["corporate_number"]] == ["taken"]


def test_a_race_for_the_same_number_becomes_the_same_error_not_a_500(wards, monkeypatch):
    # Another registration commits the number between this one's check and its insert.
    Organization.objects.create(
        name="先に登録した団体",
        kind="npo",
        ward=wards["131083"],
        address="江東区",
        description="先",
        contact_email="first@example.jp",
        is_corporation=True,
        corporate_number=NUMBER,
    )
    monkeypatch.setattr(organization_services, "corporate_number_taken", lambda *a: False)
    monkeypatch.setattr(Organization, "validate_constraints", lambda self, exclude=None: None)

    with pytest.raises(ValidationError) as refused:
        f.organization(verified=False, is_corporation=True, corporate_number=NUMBER)
    assert [e.code for e in refused.value.error_dict["corporate_number"]] == ["taken"]
    assert Organization.objects.filter(corporate_number=NUMBER).count() == 1


def test_other_integrity_errors_are_not_disguised(wards, monkeypatch):
    def fail(*args, **kwargs):
        raise IntegrityError("UNIQUE constraint failed: something_else")

    monkeypatch.setattr(Organization, "save", fail)
    with pytest.raises(IntegrityError):
        f.organization(verified=False)


@pytest.mark.parametrize(
    "typed",
    [
        "7000-0120-50002",
        "７０００ ０１２０ ５０００２",
        "7000012050002 ",
        "７０００－０１２０－５０００２",
    ],
)
def test_a_number_is_taken_as_typed_and_stored_as_13_digits(wards, typed):
    form = OrganizationForm(_organization_data(wards, corporate_number=typed))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["corporate_number"] == NUMBER


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("70000120500021", "length"),  # too long
        ("7000-0120-500021", "length"),  # too long, hyphenated
        ("700001205000", "length"),  # too short
        ("8000012050002", "check_digit"),
        ("8000-0120-50002", "check_digit"),
    ],
)
def test_a_wrong_number_gets_exactly_one_error(wards, typed, code):
    form = OrganizationForm(_organization_data(wards, corporate_number=typed))
    assert not form.is_valid()
    assert _codes(form, "corporate_number") == [code]
    assert set(form.errors) == {"corporate_number"}


def test_a_corporation_without_a_number_is_asked_for_it(wards):
    form = OrganizationForm(_organization_data(wards, corporate_number=""))
    assert not form.is_valid()
    assert _codes(form, "corporate_number") == ["required"]


def test_a_number_without_the_corporation_box_is_refused_not_dropped(wards):
    data = _organization_data(wards)
    del data["is_corporation"]
    form = OrganizationForm(data)
    assert not form.is_valid()
    assert _codes(form, "corporate_number") == ["not_corporation"]
    assert set(form.errors) == {"corporate_number"}
    # The page shows the number again, so nothing typed is lost.
    assert f'value="{NUMBER}"' in str(form["corporate_number"])


def test_the_service_refuses_a_number_without_the_corporation_box(wards):
    with pytest.raises(ValidationError) as refused:
        f.organization(is_corporation=False, corporate_number=NUMBER)
    assert [e.code for e in refused.value.error_dict["corporate_number"]] == ["not_corporation"]
    assert not Organization.objects.exists()


# --- Phone -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("03-1234-5678", "03-1234-5678"),
        ("090 1234 5678", "090 1234 5678"),
        ("(03) 1234-5678", "(03) 1234-5678"),
        ("+81 3-1234-5678", "+81 3-1234-5678"),
        ("０３－１２３４－５６７８", "03-1234-5678"),
        ("０９０ー１２３４ー５６７８", "090-1234-5678"),
        ("", ""),
    ],
)
def test_japanese_phone_numbers_are_taken_half_width(wards, typed, stored):
    form = OrganizationForm(_organization_data(wards, contact_phone=typed))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["contact_phone"] == stored


@pytest.mark.parametrize("typed", ["03-1234-ABCD", "call me", "+1 555 123 4567", "1234"])
def test_phone_numbers_with_letters_or_the_wrong_digits_are_refused(wards, typed):
    form = OrganizationForm(_organization_data(wards, contact_phone=typed))
    assert not form.is_valid()
    assert _codes(form, "contact_phone") == ["phone"]


def test_the_model_refuses_a_phone_number_with_letters(wards):
    with pytest.raises(ValidationError) as refused:
        f.organization(contact_phone="03-ABCD-5678")
    assert "contact_phone" in refused.value.error_dict


# --- Hours a week ----------------------------------------------------------------------


def _profile_data(wards, **fields):
    return {
        "headline": "Webデザイナー",
        "home_ward": wards["131121"].pk,
        "hours_per_week": 3,
        "work_style": WorkStyle.REMOTE,
        "skills": [f.skill("design").pk],
    } | fields


@pytest.mark.parametrize("hours", [MAX_VOLUNTEER_HOURS_PER_WEEK + 1, 168, 100000])
def test_a_profile_cannot_offer_more_hours_than_a_working_week(wards, hours):
    form = ResidentProfileForm(_profile_data(wards, hours_per_week=hours))
    assert not form.is_valid()
    assert _codes(form, "hours_per_week") == ["max_value"]
    assert f'max="{MAX_VOLUNTEER_HOURS_PER_WEEK}"' in str(form["hours_per_week"])


def test_a_profile_can_offer_a_full_working_week(wards):
    form = ResidentProfileForm(_profile_data(wards, hours_per_week=MAX_VOLUNTEER_HOURS_PER_WEEK))
    assert form.is_valid(), form.errors


def test_the_model_refuses_100000_hours_a_week(wards):
    with pytest.raises(ValidationError) as refused:
        services.save_resident_profile(
            UserFactory(),
            skills={f.skill("design"): 2},
            discoverable=False,
            home_ward=wards["131121"],
            headline="x",
            hours_per_week=100000,
        )
    assert "hours_per_week" in refused.value.error_dict


# --- Deadline --------------------------------------------------------------------------


@pytest.mark.parametrize("deadline", ["9999-12-31", "past", "a year and a day"])
def test_a_deadline_must_be_ahead_and_within_a_year(wards, deadline):
    org = f.organization()
    today = timezone.localdate()
    value = {
        "past": today - timedelta(days=1),
        "a year and a day": today.replace(year=today.year + 1) + timedelta(days=1),
    }.get(deadline, deadline)
    form = TaskForm(f.task_form_data(org, apply_deadline=str(value)))
    assert not form.is_valid()
    assert len(form.errors["apply_deadline"]) == 1
    assert _codes(form, "apply_deadline") == ["past" if deadline == "past" else "too_far"]


def test_a_deadline_today_or_a_year_ahead_is_fine(wards):
    org = f.organization()
    today = timezone.localdate()
    for value in (today, today + timedelta(days=364)):
        form = TaskForm(f.task_form_data(org, apply_deadline=value.isoformat()))
        assert form.is_valid(), form.errors


def test_the_service_refuses_a_deadline_in_9999(wards):
    org = f.organization()
    with pytest.raises(ValidationError) as refused:
        f.task(org, apply_deadline=timezone.localdate().replace(year=9999))
    assert [e.code for e in refused.value.error_dict["apply_deadline"]] == ["too_far"]


def test_the_date_picker_offers_only_dates_the_server_takes(wards):
    today = timezone.localdate()
    html = str(TaskForm()["apply_deadline"])
    assert f'min="{today.isoformat()}"' in html
    assert f'max="{today.replace(year=today.year + 1).isoformat()}"' in html


# --- Character counts ------------------------------------------------------------------

EMOJI = "🎉"  # one code point, two UTF-16 code units


def test_text_boxes_carry_no_maxlength_and_say_their_limit(wards):
    for form in (TaskForm(), OrganizationForm(), ResidentProfileForm()):
        for bound in form:
            if bound.widget_type in ("text", "textarea"):
                assert "maxlength" not in str(bound), bound.name
    bound = TaskForm()["title"]
    assert 'aria-describedby="id_title_counter"' in str(bound)


def test_the_field_template_renders_a_counter_for_counted_boxes(client, wards):
    org = f.organization()
    client.force_login(org.memberships.get().user)
    html = client.get(f"/organizations/{org.pk}/tasks/new/").content.decode()
    assert 'id="id_title_counter"' in html
    assert 'data-counter-for="id_title"' in html
    assert 'data-limit="80"' in html
    assert 'maxlength="80"' not in html
    assert "frontend/js/character-counter.js" in html


def test_a_title_of_80_emoji_is_accepted_by_the_server(client, wards):
    org = f.organization()
    client.force_login(org.memberships.get().user)
    title = EMOJI * 80
    assert len(title.encode("utf-16-le")) // 2 == 160  # what the browser's maxlength counted

    response = client.post(
        f"/organizations/{org.pk}/tasks/new/", f.task_form_data(org, title=title)
    )

    assert response.status_code == 302
    assert Task.objects.get(organization=org, title=title)


def test_a_title_of_81_emoji_gets_the_servers_error(client, wards):
    org = f.organization()
    client.force_login(org.memberships.get().user)
    response = client.post(
        f"/organizations/{org.pk}/tasks/new/", f.task_form_data(org, title=EMOJI * 81)
    )
    assert response.status_code == 200
    assert _codes(response.context["form"], "title") == ["max_length"]
    assert 'id="id_title_error"' in response.content.decode()


def test_an_organization_name_of_100_emoji_is_accepted(wards):
    form = OrganizationForm(_organization_data(wards, name=EMOJI * 100))
    assert form.is_valid(), form.errors
