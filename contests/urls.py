from django.urls import path

from .views import calendar, datasets, organizer, submissions, teams

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
