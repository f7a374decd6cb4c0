from django.urls import path

from .views import (
    calendar,
    datasets,
    judging,
    judging_admin,
    organizer,
    payouts,
    payouts_admin,
    sponsors,
    submissions,
    teams,
)

app_name = "contests"

urlpatterns = [
    # A contest by its page id: stable links for e-mails and feeds (the page's own
    # address follows its slug and language).
    path("<int:pk>/", teams.contest_detail, name="contest_detail"),
    path("<int:pk>/enter/", teams.enter, name="enter"),
    path("<int:pk>/calendar.ics", calendar.contest_calendar, name="contest_calendar"),
    path("calendar.ics", calendar.all_contests_calendar, name="calendar"),
    # The organizer's side
    path("<int:pk>/dashboard/", organizer.dashboard, name="dashboard"),
    path("<int:pk>/export.csv", organizer.export_csv, name="export_csv"),
    path("<int:pk>/export.json", organizer.export_json, name="export_json"),
    path("<int:pk>/announce/", organizer.announce, name="announce"),
    path("teams/<int:pk>/extension/", organizer.grant_extension, name="grant_extension"),
    # Judging, the organizer's side
    path("<int:pk>/judging/", judging_admin.judging_overview, name="judging"),
    path("rounds/<int:pk>/", judging_admin.round_detail, name="round_detail"),
    path("rounds/<int:pk>/ranking/", judging_admin.round_ranking, name="round_ranking"),
    path("rounds/<int:pk>/ties/", judging_admin.decide_tie, name="decide_tie"),
    path("rounds/<int:pk>/advance/", judging_admin.advance, name="advance"),
    path(
        "rounds/<int:pk>/scores.<str:fmt>",
        judging_admin.scores_export,
        name="scores_export",
    ),
    path("<int:pk>/results/", judging_admin.results_admin, name="results_admin"),
    path("<int:pk>/results/publish/", judging_admin.publish, name="publish_results"),
    path("awards/<int:pk>/follow-up/", judging_admin.start_follow_up, name="start_follow_up"),
    # Prize money, the organizer's side
    path("<int:pk>/payouts/", payouts_admin.overview, name="payouts_admin"),
    path("<int:pk>/payouts/settings/", payouts_admin.payout_settings, name="payout_settings"),
    path("<int:pk>/payouts/funding/", payouts_admin.record_funding, name="ward_funding"),
    path("<int:pk>/payouts/export/", payouts_admin.export_batch, name="export_batch"),
    path("<int:pk>/payouts/reconcile/", payouts_admin.reconciliation, name="reconcile"),
    path("payouts/<int:pk>/manage/", payouts_admin.payout_manage, name="payout_manage"),
    path(
        "payouts/<int:pk>/manage/<str:action>/",
        payouts_admin.payout_action,
        name="payout_action",
    ),
    path("batches/<int:pk>/paid/", payouts_admin.batch_paid, name="batch_paid"),
    path("batches/<int:pk>/<str:fmt>/", payouts_admin.batch_download, name="batch_download"),
    # Prize money, the winners' side
    path("prizes/", payouts.my_prizes, name="my_prizes"),
    path("awards/<int:pk>/recipients/", payouts.recipients, name="award_recipients"),
    path("shares/<int:pk>/<str:answer>/", payouts.answer_share, name="answer_share"),
    path("payouts/<int:pk>/", payouts.payout_detail, name="payout_detail"),
    path("payouts/<int:pk>/method/", payouts.choose_method, name="payout_method"),
    path("payouts/<int:pk>/bank/", payouts.bank_details, name="payout_bank"),
    path("payouts/<int:pk>/stripe/", payouts.stripe_onboarding, name="stripe_onboarding"),
    path("payouts/<int:pk>/stripe/return/", payouts.stripe_return, name="stripe_return"),
    path("payouts/<int:pk>/stripe/refresh/", payouts.stripe_refresh, name="stripe_refresh"),
    # Sponsors
    path("<int:pk>/sponsor/", sponsors.sponsor, name="sponsor"),
    path("<int:pk>/sponsor/return/", sponsors.sponsor_return, name="sponsor_return"),
    # Judges
    path("judging/", judging.judge_home, name="judge_home"),
    path("judging/<int:pk>/", judging.score, name="score"),
    path("judging/<int:pk>/conflict/", judging.declare_conflict, name="declare_conflict"),
    # The audience vote, and the team's feedback after the results
    path("<int:pk>/vote/", judging.vote, name="vote"),
    path("teams/<int:pk>/feedback/", judging.feedback, name="feedback"),
    # Entrants
    path("mine/", teams.my_entries, name="my_entries"),
    path("join/<str:code>/", teams.join, name="join"),
    path("teams/<int:pk>/", teams.team_detail, name="team_detail"),
    path("teams/<int:pk>/messages/", teams.team_conversation, name="team_conversation"),
    path("teams/<int:pk>/submission/", submissions.edit, name="submission_edit"),
    path("teams/<int:pk>/<str:action>/", teams.team_action, name="team_action"),
    path("invitations/<int:pk>/<str:action>/", teams.invitation_action, name="invitation_action"),
    # Entries
    path("submissions/<int:pk>/", submissions.detail, name="submission_detail"),
    path(
        "submissions/<int:pk>/versions/<int:number>/",
        submissions.version_detail,
        name="submission_version",
    ),
    path(
        "submissions/<int:pk>/screenshots/<int:shot>/",
        submissions.screenshot,
        name="screenshot",
    ),
    # Open datasets
    path("datasets/", datasets.dataset_list, name="dataset_list"),
    path("datasets/<int:pk>/", datasets.dataset_detail, name="dataset_detail"),
]
