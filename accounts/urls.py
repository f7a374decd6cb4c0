from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/consents/", views.change_consent, name="change_consent"),
    path("profile/data/", views.request_data_export, name="request_data_export"),
    path("data/<str:token>/", views.download_data_export, name="data_export_download"),
    path("close/", views.close_account, name="close_account"),
    path("closed/", views.account_closed, name="account_closed"),
    path("unlock/<str:token>/", views.unlock_login, name="unlock_login"),
    path("two-factor/required/", views.two_factor_required, name="two_factor_required"),
]
