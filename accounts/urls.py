from allauth.account import views as allauth_views
from django.urls import path

from . import views
from .signup import answers_no_sooner_than_the_floor as even

app_name = "accounts"

urlpatterns = [
    # allauth's own views, matched first here so that known and unknown addresses take
    # as long (accounts.signup). Links use allauth's names (account_signup, same path);
    # these names let translate_url() find the page in the other language.
    path("signup/", even(allauth_views.signup), name="signup"),
    path("password/reset/", even(allauth_views.password_reset), name="reset_password"),
    path("profile/", views.profile, name="profile"),
    path("profile/consents/", views.change_consent, name="change_consent"),
    path("profile/data/", views.request_data_export, name="request_data_export"),
    path("data/<str:token>/", views.download_data_export, name="data_export_download"),
    path("close/", views.close_account, name="close_account"),
    path("closed/", views.account_closed, name="account_closed"),
    path("unlock/<str:token>/", views.unlock_login, name="unlock_login"),
    path("two-factor/required/", views.two_factor_required, name="two_factor_required"),
]
