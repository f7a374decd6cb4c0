"""Writing an entry: every save a version, links that are web addresses only,
screenshots checked by what they contain, and who may read what."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image

from contests import services
from contests.models import ContestDataset, Screenshot, Submission, SubmissionVersion
from contests.services import submissions as submission_services

from . import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def url(name, *args):
    with translation.override("en"):
        return reverse(f"contests:{name}", args=args)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


def png(name="screen.png", size=(8, 6)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def form_data(**changes) -> dict:
    data = {key: value for key, value in f.SUBMISSION.items() if key != "is_public"}
    data["is_public"] = "on"
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def team():
    return f.team(f.contest())


# --- Saving and versions ----------------------------------------------------------------


def test_two_saves_keep_two_versions_and_the_first_is_unchanged(team):
    # given
    client = client_for(team.leader)
    # when
    first = client.post(url("submission_edit", team.pk), form_data(title="駐輪ナビ"))
    second = client.post(url("submission_edit", team.pk), form_data(title="駐輪ナビ 改"))
    # then
    assert first.status_code == second.status_code == 302
    submission = Submission.objects.get(team=team)
    assert submission.title == "駐輪ナビ 改"
    versions = {v.number: v for v in SubmissionVersion.objects.filter(submission=submission)}
    assert sorted(versions) == [1, 2]
    assert versions[1].data["title"] == "駐輪ナビ"
    assert versions[2].data["title"] == "駐輪ナビ 改"
    assert versions[1].saved_by == team.leader
    # the page says which version was saved, and lists both
    html = page(client.get(url("submission_edit", team.pk)))
    assert "Saved (version 2)." in html
    assert url("submission_version", submission.pk, 1) in html
    assert url("submission_version", submission.pk, 2) in html
    # and the first version's page shows what it said then
    old = page(client.get(url("submission_version", submission.pk, 1)))
    assert "駐輪ナビ" in old and "駐輪ナビ 改" not in old


@pytest.mark.parametrize(
    "address", ["ftp://example.jp/app", "javascript:alert(1)", "file:///etc/passwd"]
)
def test_a_link_that_is_not_a_web_address_is_refused_on_its_field(team, address):
    # when
    response = client_for(team.leader).post(
        url("submission_edit", team.pk),
        form_data(title="入力した題名", repository_url=address),
    )
    # then: the error is tied to the field, and what was typed is still there
    html = page(response)
    assert response.status_code == 400
    assert 'id="id_repository_url_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="入力した題名"' in html
    assert not Submission.objects.filter(team=team).exists()


def test_an_address_without_a_scheme_is_taken_as_https(team):
    client_for(team.leader).post(
        url("submission_edit", team.pk), form_data(demo_url="churin-navi.example.jp")
    )
    assert Submission.objects.get(team=team).demo_url == "https://churin-navi.example.jp"


def test_datasets_are_offered_from_the_contest_and_kept(team):
    # given: the organizer linked a dataset to the contest
    linked = f.dataset()
    elsewhere = f.dataset("台東区 公衆トイレ一覧", "taito-toilets")
    ContestDataset.objects.create(contest=team.contest, dataset=linked)
    client = client_for(team.leader)
    # when
    html = page(client.get(url("submission_edit", team.pk)))
    client.post(url("submission_edit", team.pk), form_data(datasets=[linked.pk]))
    # then
    assert linked.title in html and elsewhere.title not in html
    submission = Submission.objects.get(team=team)
    assert list(submission.datasets.all()) == [linked]
    assert submission.versions.get().data["datasets"] == [{"id": linked.pk, "title": linked.title}]
    detail = page(client.get(url("submission_detail", submission.pk)))
    assert url("dataset_detail", linked.pk) in detail


def test_only_team_members_edit_the_entry(team):
    other = f.team(team.contest, name="別のチーム")
    target = url("submission_edit", team.pk)
    assert client_for(other.leader).get(target).status_code == 404
    assert client_for(f.organizer()).get(target).status_code == 404
    assert client_for(other.leader).post(target, form_data()).status_code == 404
    assert Client().get(target).status_code == 302
    assert not Submission.objects.filter(team=team).exists()


def test_a_title_with_html_is_shown_as_text(team):
    f.submit(team, title="<b>太字</b><script>alert(1)</script>", is_public=True)
    submission = Submission.objects.get(team=team)
    html = page(Client().get(url("submission_detail", submission.pk)))
    assert "<script>alert(1)</script>" not in html and "<b>太字</b>" not in html
    assert "&lt;b&gt;太字&lt;/b&gt;&lt;script&gt;" in html


# --- Screenshots ------------------------------------------------------------------------


def test_a_real_png_with_a_description_is_accepted_and_served(team):
    # when
    response = client_for(team.leader).post(
        url("submission_edit", team.pk),
        form_data(new_0=png(), new_0_alt="地図に駐輪場の空きが表示される画面"),
    )
    # then
    assert response.status_code == 302
    shot = Screenshot.objects.get()
    assert (shot.kind, shot.width, shot.height) == ("png", 8, 6)
    assert shot.alt_text == "地図に駐輪場の空きが表示される画面"
    served = Client().get(url("screenshot", shot.submission_id, shot.pk))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Disposition"].startswith("inline")
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")


def test_a_text_file_named_png_is_refused(team):
    fake = SimpleUploadedFile("screen.png", b"this is not a picture\n" * 10, "image/png")
    response = client_for(team.leader).post(
        url("submission_edit", team.pk), form_data(new_0=fake, new_0_alt="画面")
    )
    assert response.status_code == 400
    assert 'id="id_new_0_error"' in page(response)
    assert not Screenshot.objects.exists()
    assert not Submission.objects.filter(team=team).exists()


def test_a_screenshot_without_a_description_is_refused(team):
    response = client_for(team.leader).post(
        url("submission_edit", team.pk), form_data(new_0=png(), new_0_alt="  ")
    )
    html = page(response)
    assert response.status_code == 400
    assert 'id="id_new_0_alt_error"' in html
    assert "for people who cannot see it" in html
    assert not Screenshot.objects.exists()


def test_the_service_refuses_a_screenshot_without_a_description_too(team):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.save_submission(team.leader, team, f.SUBMISSION, add_screenshots=[(png(), "")])
    assert not Submission.objects.exists()


def test_an_oversized_screenshot_is_refused(team, monkeypatch):
    monkeypatch.setattr(submission_services, "MAX_SCREENSHOT_BYTES", 50)
    response = client_for(team.leader).post(
        url("submission_edit", team.pk), form_data(new_0=png(size=(64, 64)), new_0_alt="画面")
    )
    html = page(response)
    assert response.status_code == 400
    assert 'id="id_new_0_error"' in html
    assert "is larger than" in html
    assert not Screenshot.objects.exists()


def test_a_removed_screenshot_stays_for_the_team_but_not_the_public(team):
    # given: a public entry with a screenshot, then saved without it
    f.submit(team, is_public=True)
    submission = Submission.objects.get(team=team)
    services.save_submission(
        team.leader, team, f.SUBMISSION, add_screenshots=[(png(), "最初の画面")]
    )
    shot = Screenshot.objects.get()
    client = client_for(team.leader)
    response = client.post(
        url("submission_edit", team.pk),
        form_data(**{f"alt_{shot.pk}": "最初の画面", f"remove_{shot.pk}": "on"}),
    )
    assert response.status_code == 302
    shot.refresh_from_db()
    assert shot.removed_at is not None
    # then: the version that had it still shows it to the team
    target = url("screenshot", submission.pk, shot.pk)
    assert client.get(target).status_code == 200
    assert client_for(f.organizer()).get(target).status_code == 200
    assert Client().get(target).status_code == 404
    assert "最初の画面" not in page(Client().get(url("submission_detail", submission.pk)))
    assert "最初の画面" in page(client.get(url("submission_version", submission.pk, 2)))


def test_screenshot_descriptions_can_be_changed(team):
    services.save_submission(team.leader, team, f.SUBMISSION, add_screenshots=[(png(), "古い説明")])
    shot = Screenshot.objects.get()
    client_for(team.leader).post(
        url("submission_edit", team.pk), form_data(**{f"alt_{shot.pk}": "新しい説明"})
    )
    shot.refresh_from_db()
    assert shot.alt_text == "新しい説明"
    assert shot.submission.versions.get(number=1).data["screenshots"][0]["alt_text"] == "古い説明"


def test_at_most_five_screenshots(team):
    services.save_submission(
        team.leader,
        team,
        f.SUBMISSION,
        add_screenshots=[(png(f"{i}.png"), f"画面 {i}") for i in range(5)],
    )
    html = page(client_for(team.leader).get(url("submission_edit", team.pk)))
    assert 'name="new_0"' not in html
    assert Screenshot.objects.count() == 5


# --- Who reads what ---------------------------------------------------------------------


def test_a_private_entry_is_for_its_team_and_its_wards_organizers(team):
    f.submit(team, is_public=False)
    submission = Submission.objects.get(team=team)
    target = url("submission_detail", submission.pk)
    assert client_for(team.leader).get(target).status_code == 200
    assert client_for(f.organizer(f.KOTO)).get(target).status_code == 200
    assert client_for(f.organizer(f.TAITO)).get(target).status_code == 404
    assert client_for(f.entrant()).get(target).status_code == 404
    assert Client().get(target).status_code == 404


def test_a_public_entry_is_for_everyone_but_its_versions_are_not(team):
    f.submit(team, is_public=True)
    submission = Submission.objects.get(team=team)
    assert Client().get(url("submission_detail", submission.pk)).status_code == 200
    version = url("submission_version", submission.pk, 1)
    assert Client().get(version).status_code == 404
    assert client_for(f.entrant()).get(version).status_code == 404
    assert client_for(f.organizer(f.TAITO)).get(version).status_code == 404
    assert client_for(f.organizer(f.KOTO)).get(version).status_code == 200
    assert client_for(team.leader).get(version).status_code == 200
    assert (
        client_for(team.leader).get(url("submission_version", submission.pk, 9)).status_code == 404
    )


def test_a_withdrawn_teams_public_entry_is_no_longer_public(team):
    f.submit(team, is_public=True)
    submission = Submission.objects.get(team=team)
    services.leave_team(team.leader, team)  # the only member: the team is withdrawn
    assert Client().get(url("submission_detail", submission.pk)).status_code == 404
    assert client_for(f.organizer()).get(url("submission_detail", submission.pk)).status_code == 200
