from django.urls import path

from . import views

app_name = "messaging"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.conversation, name="conversation"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("m/<int:pk>/remove/", views.remove_message, name="remove"),
]
