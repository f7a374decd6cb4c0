"""Entering a contest and running a team, through the pages an entrant uses.

Pages are asked for in English (/en/…), so the assertions read the same words whatever
the Japanese catalogue holds; the services' own messages are compared as the service
words them.
"""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from contests import services
from contests.models import Team, TeamInvitation, TeamMembership
from core.errors import Conflict
from messaging.models import Conversation

from . import factories as f

pytestmark = pytest.mark.django_db


def url(name, *args):
    with translation.override("en"):
        return reverse(f"contests:{name}", args=args)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


def message_in(error_call) -> str:
    """The words a service refuses with, in English (as the /en/ pages show them)."""
    with translation.override("en"):
        with pytest.raises(Conflict) as caught:
            error_call()
    return caught.value.message


# --- Entering ---------------------------------------------------------------------------


def test_entering_creates_the_team_and_keeps_the_answers():
    # given
    contest = f.contest(asks_student=True)
    person = f.entrant(display_name="山田")
    # when
    response = client_for(person).post(
        url("enter", contest.pk),
        {"name": "チーム駐輪ナビ", "connection": "works", "ward": f.TAITO, "student": "yes"},
    )
    # then
    team = Team.objects.get(contest=contest)
    assert response.status_code == 302
    assert response["Location"] == url("team_detail", team.pk)
    assert team.name == "チーム駐輪ナビ" and team.leader == person
    membership = TeamMembership.objects.get(team=team)
    assert membership.answers == {"connection": "works", "ward": f.TAITO, "student": True}


def test_enter_page_asks_the_contests_questions():
    contest = f.contest(asks_student=True)
    html = page(client_for(f.entrant()).get(url("enter", contest.pk)))
    assert 'name="connection"' in html
    assert 'name="ward"' in html
    assert 'name="student"' in html

    open_to_anyone = f.contest(eligibility_area="anyone", title="誰でも参加できるコンテスト")
    html = page(client_for(f.entrant()).get(url("enter", open_to_anyone.pk)))
    assert 'name="name"' in html
    assert 'name="connection"' not in html
    assert 'name="student"' not in html


def test_none_of_these_is_refused_on_the_field_and_the_name_stays():
    # given
    contest = f.contest()
    # when
    response = client_for(f.entrant()).post(
        url("enter", contest.pk), {"name": "ぼくらのチーム", "connection": "none", "ward": ""}
    )
    # then
    html = page(response)
    assert response.status_code == 200
    assert "This contest is for people who live, work or study in the 23 special wards" in html
    assert 'value="ぼくらのチーム"' in html
    assert not Team.objects.filter(contest=contest).exists()


def test_ward_only_contest_refuses_another_wards_resident():
    # given: a 江東区-only contest
    contest = f.contest(eligibility_area="ward")
    person = f.entrant()
    # when: a person who lives in 台東区
    response = client_for(person).post(
        url("enter", contest.pk), {"name": "台東チーム", "connection": "lives", "ward": f.TAITO}
    )
    # then
    assert response.status_code == 200
    assert "This contest is for people who live, work or study in Koto City" in page(response)
    assert not Team.objects.filter(contest=contest).exists()
    # and someone who works in 江東区 may enter
    response = client_for(person).post(
        url("enter", contest.pk), {"name": "江東チーム", "connection": "works", "ward": f.KOTO}
    )
    assert response.status_code == 302


def test_a_missing_answer_is_refused():
    contest = f.contest(asks_student=True)
    response = client_for(f.entrant()).post(
        url("enter", contest.pk), {"name": "チーム", "connection": "lives", "ward": f.KOTO}
    )
    assert response.status_code == 200
    assert "Say whether you are a student." in page(response)
    assert not Team.objects.exists()


def test_a_second_team_in_the_same_contest_is_refused_with_the_reason():
    # given
    contest = f.contest()
    person = f.entrant()
    first = f.team(contest, person, name="最初のチーム")
    other = f.team(contest, name="別のチーム")
    expected = message_in(lambda: services.create_team(person, contest, "二つ目", f.ANSWERS))
    assert "最初のチーム" in expected
    client = client_for(person)
    # when: through the entry form (the page says so before they even try)
    assert "最初のチーム" in page(client.get(url("enter", contest.pk)))
    # and through another team's invitation link
    response = client.post(url("join", other.invite_code), {"connection": "lives", "ward": f.KOTO})
    # then
    assert response.status_code == 200
    assert escape(expected) in page(response)
    assert TeamMembership.objects.get(user=person).team == first


def test_entering_twice_in_a_race_gives_the_same_reason():
    contest = f.contest()
    person = f.entrant()
    f.team(contest, person, name="最初のチーム")
    # The form shows no form when they are in a team; a POST from an old tab is refused.
    response = client_for(person).post(
        url("enter", contest.pk), {"name": "二つ目", "connection": "lives", "ward": f.KOTO}
    )
    assert response.status_code == 200
    assert "最初のチーム" in page(response)
    assert Team.objects.filter(contest=contest).count() == 1


def test_entry_closed_contest_is_refused():
    contest = f.contest(state="building")
    response = client_for(f.entrant()).post(
        url("enter", contest.pk), {"name": "遅れたチーム", "connection": "lives", "ward": f.KOTO}
    )
    assert response.status_code == 200
    assert "Entry to this contest is closed." in page(response)
    assert not Team.objects.exists()


# --- Joining by link --------------------------------------------------------------------


def test_join_by_link_shows_the_team_then_joins():
    # given
    contest = f.contest()
    team = f.team(contest, name="チーム駐輪ナビ")
    person = f.entrant(display_name="鈴木")
    client = client_for(person)
    # when
    shown = client.get(url("join", team.invite_code))
    joined = client.post(url("join", team.invite_code), {"connection": "lives", "ward": f.KOTO})
    # then
    assert shown.status_code == 200
    assert "チーム駐輪ナビ" in page(shown) and contest.title in page(shown)
    assert joined.status_code == 302
    assert joined["Location"] == url("team_detail", team.pk)
    assert TeamMembership.objects.filter(team=team, user=person).exists()
    # and the new member is in the team's conversation
    conversation = Conversation.objects.get(subject_id=team.pk)
    assert conversation.participants.filter(user=person).exists()


def test_join_link_asks_anonymous_visitors_to_log_in_first():
    team = f.team(f.contest())
    response = Client().get(url("join", team.invite_code))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert "next=" in response["Location"]


def test_an_old_or_wrong_link_answers_404_with_the_reason():
    team = f.team(f.contest())
    old = team.invite_code
    services.reset_invite_link(team.leader, team)
    response = client_for(f.entrant()).get(url("join", old))
    assert response.status_code == 404
    assert "This invitation link is no longer valid" in page(response)


def test_a_full_team_takes_nobody_else():
    # given: teams of at most two
    contest = f.contest(team_size_max=2)
    team = f.team(contest)
    f.join(team)
    # when
    response = client_for(f.entrant()).post(
        url("join", team.invite_code), {"connection": "lives", "ward": f.KOTO}
    )
    # then
    assert response.status_code == 200
    assert "This team is full: a team has at most 2 members" in page(response)
    assert team.memberships.count() == 2


# --- Invitations by user ---------------------------------------------------------------


def test_invite_by_email_then_accept_with_the_questions(
    mailoutbox, django_capture_on_commit_callbacks
):
    # given
    contest = f.contest()
    team = f.team(contest)
    invitee = f.entrant(display_name="佐藤", email="Sato@Example.jp")
    # when: the leader types the address in another case
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(team.leader).post(
            url("team_action", team.pk, "invite"), {"email": "sato@example.JP"}
        )
    # then
    assert response.status_code == 302
    invitation = TeamInvitation.objects.get(team=team, user=invitee)
    assert len(mailoutbox) == 1
    client = client_for(invitee)
    mine = page(client.get(url("my_entries")))
    assert team.name in mine
    assert url("invitation_action", invitation.pk, "accept") in mine
    # accepting asks the eligibility questions first
    form = client.get(url("invitation_action", invitation.pk, "accept"))
    assert form.status_code == 200 and 'name="connection"' in page(form)
    accepted = client.post(
        url("invitation_action", invitation.pk, "accept"), {"connection": "lives", "ward": f.KOTO}
    )
    assert accepted.status_code == 302
    assert TeamMembership.objects.get(user=invitee).team == team
    invitation.refresh_from_db()
    assert invitation.status == "accepted"


def test_accepting_without_eligibility_keeps_the_invitation_open():
    contest = f.contest()
    team = f.team(contest)
    invitee = f.entrant()
    invitation = services.invite_user(team.leader, team, invitee)
    response = client_for(invitee).post(
        url("invitation_action", invitation.pk, "accept"), {"connection": "none"}
    )
    assert response.status_code == 200
    assert "This contest is for people who live, work or study" in page(response)
    invitation.refresh_from_db()
    assert invitation.status == "pending"
    assert not TeamMembership.objects.filter(user=invitee).exists()


def test_decline_an_invitation():
    team = f.team(f.contest())
    invitee = f.entrant()
    invitation = services.invite_user(team.leader, team, invitee)
    response = client_for(invitee).post(url("invitation_action", invitation.pk, "decline"))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    assert not TeamMembership.objects.filter(user=invitee).exists()


def test_someone_elses_invitation_is_not_there():
    team = f.team(f.contest())
    invitation = services.invite_user(team.leader, team, f.entrant())
    stranger = client_for(f.entrant())
    assert stranger.get(url("invitation_action", invitation.pk, "accept")).status_code == 404
    assert stranger.post(url("invitation_action", invitation.pk, "decline")).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_inviting_an_unknown_address_says_there_is_no_such_person():
    team = f.team(f.contest())
    response = client_for(team.leader).post(
        url("team_action", team.pk, "invite"), {"email": "nobody@example.jp"}, follow=True
    )
    assert "There is no such person." in page(response)
    assert not TeamInvitation.objects.exists()


def test_the_leader_withdraws_an_invitation():
    team = f.team(f.contest())
    invitation = services.invite_user(team.leader, team, f.entrant())
    client_for(team.leader).post(
        url("team_action", team.pk, "withdraw_invitation"), {"invitation": invitation.pk}
    )
    invitation.refresh_from_db()
    assert invitation.status == "withdrawn"


# --- Changing the team ------------------------------------------------------------------


def test_leaving_asks_first_then_leaves():
    # given
    team = f.team(f.contest())
    member = f.join(team)
    client = client_for(member)
    # when: the button asks for a confirmation first
    first = client.post(url("team_action", team.pk, "leave"))
    # then
    assert first.status_code == 302
    assert TeamMembership.objects.filter(team=team, user=member).exists()
    confirm = page(client.get(first["Location"]))
    assert 'name="confirm" value="yes"' in confirm
    # when: confirmed
    left = client.post(url("team_action", team.pk, "leave"), {"confirm": "yes"})
    # then
    assert left.status_code == 302 and left["Location"] == url("my_entries")
    assert not TeamMembership.objects.filter(team=team, user=member).exists()
    assert client.get(url("team_detail", team.pk)).status_code == 404


def test_the_leader_removes_a_member():
    team = f.team(f.contest())
    member = f.join(team)
    response = client_for(team.leader).post(
        url("team_action", team.pk, "remove_member"), {"member": member.pk}
    )
    assert response.status_code == 302
    assert not TeamMembership.objects.filter(team=team, user=member).exists()
    assert client_for(member).get(url("team_detail", team.pk)).status_code == 404


def test_a_member_who_does_not_lead_cannot_remove_or_rename():
    team = f.team(f.contest(), name="元の名前")
    member = f.join(team)
    client = client_for(member)
    assert (
        client.post(
            url("team_action", team.pk, "remove_member"), {"member": team.leader.pk}
        ).status_code
        == 404
    )
    assert (
        client.post(url("team_action", team.pk, "rename"), {"name": "乗っ取り"}).status_code == 404
    )
    team.refresh_from_db()
    assert team.name == "元の名前"
    assert team.memberships.count() == 2


def test_rename_and_a_taken_name():
    contest = f.contest()
    team = f.team(contest, name="元の名前")
    f.team(contest, name="人気の名前")
    client = client_for(team.leader)
    client.post(url("team_action", team.pk, "rename"), {"name": "新しい名前"})
    team.refresh_from_db()
    assert team.name == "新しい名前"
    refused = client.post(
        url("team_action", team.pk, "rename"), {"name": "人気の名前"}, follow=True
    )
    assert "Another team in this contest already has this name." in page(refused)
    team.refresh_from_db()
    assert team.name == "新しい名前"


def test_contributors_are_credited_and_removed():
    team = f.team(f.contest())
    client = client_for(team.leader)
    client.post(
        url("team_action", team.pk, "add_contributor"), {"name": "田中先生", "role": "助言"}
    )
    contributor = team.contributors.get()
    assert (contributor.name, contributor.role) == ("田中先生", "助言")
    assert "田中先生" in page(client.get(url("team_detail", team.pk)))
    refused = client.post(
        url("team_action", team.pk, "add_contributor"), {"name": " "}, follow=True
    )
    assert "Write the contributor&#x27;s name." in page(refused)
    client.post(url("team_action", team.pk, "remove_contributor"), {"contributor": contributor.pk})
    assert not team.contributors.exists()


def test_reset_link_replaces_the_invitation_link():
    team = f.team(f.contest())
    old = team.invite_code
    client = client_for(team.leader)
    client.post(url("team_action", team.pk, "reset_link"))
    team.refresh_from_db()
    assert team.invite_code != old
    html = page(client.get(url("team_detail", team.pk)))
    assert team.invite_code in html and old not in html


def test_unknown_actions_and_bad_ids_are_404():
    team = f.team(f.contest())
    client = client_for(team.leader)
    assert client.post(url("team_action", team.pk, "explode")).status_code == 404
    assert (
        client.post(url("team_action", team.pk, "remove_member"), {"member": "x"}).status_code
        == 404
    )
    assert client.get(url("team_action", team.pk, "rename")).status_code == 405


# --- The team page ---------------------------------------------------------------------


def test_team_page_shows_members_leader_and_the_link_to_the_leader_only():
    contest = f.contest()
    team = f.team(contest, f.entrant(display_name="リーダーさん"))
    member = f.join(team, f.entrant(display_name="メンバーさん"))
    leader_view = page(client_for(team.leader).get(url("team_detail", team.pk)))
    member_view = page(client_for(member).get(url("team_detail", team.pk)))
    for html in (leader_view, member_view):
        assert "リーダーさん" in html and "メンバーさん" in html
        assert "Leader" in html
        assert url("team_conversation", team.pk) in html
    assert team.invite_code in leader_view
    assert team.invite_code not in member_view


def test_team_page_is_for_its_members_and_its_wards_organizers_only():
    contest = f.contest()
    team = f.team(contest)
    other_team = f.team(contest, name="別のチーム")
    target = url("team_detail", team.pk)
    assert client_for(other_team.leader).get(target).status_code == 404
    assert client_for(f.entrant()).get(target).status_code == 404
    assert client_for(f.organizer(f.TAITO)).get(target).status_code == 404
    assert client_for(f.organizer(f.KOTO)).get(target).status_code == 200
    assert Client().get(target).status_code == 302


def test_team_page_shows_the_organizers_announcements():
    contest = f.contest()
    team = f.team(contest)
    services.send_announcement(f.organizer(), contest, "会場のお知らせ", "会場は区役所です。")
    html = page(client_for(team.leader).get(url("team_detail", team.pk)))
    assert "会場のお知らせ" in html and "会場は区役所です。" in html


def test_a_team_name_with_html_is_shown_as_text():
    contest = f.contest()
    team = f.team(contest, name="<script>alert(1)</script>")
    html = page(client_for(team.leader).get(url("team_detail", team.pk)))
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_my_entries_lists_teams_with_deadline_and_entry():
    contest = f.contest()
    team = f.team(contest, name="チーム駐輪ナビ")
    submission = f.submit(team)
    html = page(client_for(team.leader).get(url("my_entries")))
    assert "チーム駐輪ナビ" in html
    assert contest.title in html
    assert url("submission_detail", submission.pk) in html
    assert "Japan time (UTC+09:00)" in html


# --- The team's conversation ---------------------------------------------------------


def test_team_conversation_takes_members_to_their_messages():
    team = f.team(f.contest())
    member = f.join(team)
    conversation = Conversation.objects.get(subject_id=team.pk)
    response = client_for(member).get(url("team_conversation", team.pk))
    assert response.status_code == 302
    assert response["Location"].endswith(f"/messages/{conversation.pk}/")


def test_team_conversation_is_not_there_for_others():
    team = f.team(f.contest())
    assert client_for(f.entrant()).get(url("team_conversation", team.pk)).status_code == 404
    # The organizer sees the team, not its members' conversation.
    organizer = client_for(f.organizer())
    assert organizer.get(url("team_conversation", team.pk)).status_code == 404
    assert organizer.post(url("team_conversation", team.pk)).status_code == 404
