from django.urls import path

from . import views

app_name = "marketplace"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("tasks/for-you/", views.recommended_tasks, name="recommended_tasks"),
    path("profile/skills/", views.edit_profile, name="edit_profile"),
    path("residents/", views.resident_list, name="resident_list"),
    path("residents/<int:user_id>/", views.resident_detail, name="resident_detail"),
    path("organizations/new/", views.register_organization, name="organization_register"),
    path("organizations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organizations/<int:pk>/edit/", views.edit_organization, name="organization_edit"),
    path("organizations/<int:pk>/tasks/new/", views.create_task, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.edit_task, name="task_edit"),
    path("tasks/<int:pk>/apply/", views.apply, name="task_apply"),
    path("tasks/<int:pk>/applications/", views.task_applications, name="task_applications"),
    path("tasks/<int:pk>/invite/<int:user_id>/", views.invite, name="task_invite"),
    path("tasks/<int:pk>/<str:action>/", views.task_action, name="task_action"),
    path(
        "applications/<int:pk>/messages/",
        views.application_conversation,
        name="application_conversation",
    ),
    path(
        "applications/<int:pk>/<str:action>/", views.application_action, name="application_action"
    ),
    path("matches/<int:pk>/", views.match_detail, name="match_detail"),
    path("matches/<int:pk>/certificate/", views.certificate, name="certificate"),
    path("matches/<int:pk>/<str:action>/", views.match_action, name="match_action"),
    path("hours/<int:pk>/<str:action>/", views.hours_action, name="hours_action"),
]
