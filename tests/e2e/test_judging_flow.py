"""Issue #19, flow 6 from the deadline to the results, in a real browser, in Japanese, on
a phone and a desktop, with axe on every page passed through.

1. Two judges score the three entries in the browser. One declares a conflict of interest
   with the first entry and never sees its score sheet again.
2. The organizer follows the progress on the round's page, where the recusal shows, and
   opens the sensitivity panel on the ranking page.
3. A resident casts an audience vote from the contest page, once.
4. Scoring and voting close. The organizer saves the suggested winners and publishes.
   The results show on the contest page, the winners get their e-mail, and a team reads
   its judges' comments.
"""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from contests.models import (
    Assignment,
    AssignmentStatus,
    AudienceVoting,
    JudgingRound,
    ResultsPublication,
    Vote,
)
from contests.services import judging, results
from tests.contests import factories as f

from .conftest import assert_accessible, log_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def score_in_browser(page, url, assignment, values, comment):
    page.goto(url + f"/contests/judging/{assignment.pk}/")
    assert_accessible(page)
    sheet = page.locator("form.score-sheet")
    for criterion, value in zip(assignment.round.criteria.all(), values, strict=True):
        group = sheet.get_by_role("group", name=re.compile(re.escape(criterion.name)))
        group.get_by_label(str(value), exact=True).check()
    sheet.get_by_label("チームへの総評").fill(comment)
    sheet.get_by_role("button", name="採点を提出する").click()
    page.wait_for_url(re.compile(r".*/contests/judging/$"))


def test_judging_to_published_results(
    page, second_page, live_server, django_capture_on_commit_callbacks
):
    url = live_server.url
    organizer = f.organizer(f.KOTO)
    contest, teams = f.judging_contest(teams=3)
    round_ = f.judging_round(contest, organizer, k=2, ladder=["votes"])
    harsh = f.judge(display_name="審査員 辛口")
    kind = f.judge(display_name="審査員 甘口")
    for person in (harsh, kind):
        judging.add_judge(organizer, round_, person.email, scope="all")
    judging.assign(organizer, round_)
    f.open_round(round_)
    now = timezone.now()
    results.set_voting(organizer, contest, now + timedelta(hours=1), now + timedelta(days=2))
    AudienceVoting.objects.filter(contest=contest).update(opens_at=now - timedelta(minutes=5))
    voter = f.entrant(display_name="区民 投票者")
    get_user_model().objects.filter(pk=voter.pk).update(date_joined=now - timedelta(days=90))
    entries = list(round_.entries.order_by("submission__team_id"))

    # --- 1. the judges score, on a phone and on a desktop --------------------------------
    phone = second_page
    log_in(phone, url, harsh)
    phone.goto(url + "/contests/judging/")
    assert_accessible(phone)
    assert "アプリ1" in phone.locator("main").inner_text()
    for entry, values in zip(entries, [(5, 4, 9), (3, 3, 6), (2, 2, 3)], strict=True):
        assignment = Assignment.objects.get(round=round_, judge=harsh, entry=entry)
        score_in_browser(phone, url, assignment, values, "地域の課題によく向き合っています。")
    assert (
        Assignment.objects.filter(
            round=round_, judge=harsh, status=AssignmentStatus.SUBMITTED
        ).count()
        == 3
    )

    log_in(page, url, kind)
    missing = []
    page.on("response", lambda r: missing.append(r.url) if r.status == 404 else None)
    first = Assignment.objects.get(round=round_, judge=kind, entry=entries[0])
    page.goto(url + f"/contests/judging/{first.pk}/")
    page.get_by_role("link", name=re.compile("公平に審査できない")).click()
    page.wait_for_url(re.compile(rf".*/contests/judging/{first.pk}/conflict/$"))
    assert_accessible(page)
    page.get_by_label("理由").fill("チームの一人が元同僚です")
    page.get_by_role("button", name=re.compile("審査を辞退")).click()
    page.wait_for_url(re.compile(r".*/contests/judging/$"))
    listing = page.locator("main")
    assert "辞退" in listing.inner_text()
    assert listing.locator(f'a[href="/contests/judging/{first.pk}/"]').count() == 0
    response = page.goto(url + f"/contests/judging/{first.pk}/")
    assert response.status == 404
    for entry, values in zip(entries[1:], [(5, 5, 10), (4, 4, 8)], strict=True):
        assignment = Assignment.objects.get(round=round_, judge=kind, entry=entry)
        score_in_browser(page, url, assignment, values, "データの使い方が丁寧です。")

    # --- 2. the organizer watches the progress and the sensitivity panel ----------------
    page.context.clear_cookies()
    log_in(page, url, organizer)
    page.goto(url + f"/contests/rounds/{round_.pk}/")
    assert_accessible(page)
    main = page.locator("main").inner_text()
    assert "チームの一人が元同僚です" in main and "審査員 甘口" in main
    page.get_by_role("link", name=re.compile("順位と感度")).first.click()
    page.wait_for_url(re.compile(rf".*/contests/rounds/{round_.pk}/ranking/$"))
    assert_accessible(page)
    panel = page.locator(".sensitivity").inner_text()
    assert "アプリ1" in panel
    assert "標準化スコア" in page.locator("main").inner_text()

    # --- 3. an audience vote, once -------------------------------------------------------
    phone.context.clear_cookies()
    log_in(phone, url, voter)
    phone.goto(url + contest.url)
    assert_accessible(phone)
    target = teams[1].submission
    phone.get_by_role("button", name=re.compile(rf"{target.title}")).click()
    phone.wait_for_load_state()
    assert "投票を受け付けました" in phone.locator("body").inner_text()
    assert "投票済み" in phone.locator("main").inner_text()
    assert phone.get_by_role("button", name=re.compile("に投票する")).count() == 0
    again = phone.request.post(
        url + f"/contests/{contest.pk}/vote/",
        form={"submission": str(target.pk)},
        headers={"X-CSRFToken": _csrf(phone)},
    )
    assert again.ok  # redirected with a message, and nothing counted
    assert Vote.objects.filter(contest=contest).count() == 1

    # --- 4. time passes; the organizer publishes -----------------------------------------
    JudgingRound.objects.filter(pk=round_.pk).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    AudienceVoting.objects.filter(contest=contest).update(
        closes_at=timezone.now() - timedelta(minutes=1)
    )
    page.goto(url + f"/contests/{contest.pk}/results/")
    assert_accessible(page)
    for prize in contest.prizes.order_by("sort_order"):
        section = page.locator(f"section[aria-labelledby='prize-{prize.pk}-title']")
        section.get_by_role("button", name=re.compile("受賞作品を保存")).click()
        page.wait_for_url(re.compile(rf".*/contests/{contest.pk}/results/$"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page.get_by_role("button", name="結果を発表する").click()
        page.wait_for_url(re.compile(rf".*/contests/{contest.pk}/results/$"))
    assert ResultsPublication.objects.filter(contest=contest).exists()
    winners = {m.user.email for m in teams[0].memberships.select_related("user")}
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert winners and all("受賞" in subjects[email] for email in winners)

    page.goto(url + contest.url)
    assert_accessible(page)
    outcome = page.locator("section[aria-labelledby='results-title']").inner_text()
    assert "最優秀賞" in outcome and "アプリ1" in outcome
    assert "1 票" in page.locator("main").inner_text()  # the count, now that voting closed

    # A team reads its judges' comments (not their names).
    phone.context.clear_cookies()
    log_in(phone, url, teams[2].leader)
    phone.goto(url + f"/contests/teams/{teams[2].pk}/feedback/")
    assert_accessible(phone)
    feedback = phone.locator("main").inner_text()
    assert "データの使い方が丁寧です。" in feedback and "審査員 A" in feedback
    assert "審査員 甘口" not in feedback
    # The one 404 is the recused sheet we asked for (the browser logs it as an error).
    assert missing == [url + f"/contests/judging/{first.pk}/"]
    assert not [e for e in page.js_errors if "status of 404" not in e]
    assert not phone.js_errors


def _csrf(page) -> str:
    for cookie in page.context.cookies():
        if cookie["name"] == "csrftoken":
            return cookie["value"]
    return ""
