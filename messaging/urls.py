from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.conversation, name="conversation"),
    path("applications/<int:pk>/", views.application_conversation, name="for_application"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("m/<int:pk>/report/", views.report_message, name="report"),
    path("m/<int:pk>/remove/", views.remove_message, name="remove"),
]
