import time

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.account.decorators import reauthentication_required
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import RateLimited

from . import closing, data_export, login_throttle, services, two_factor
from .forms import AccountForm, CloseAccountForm, ConsentChangeForm
from .models import DELETED_USER_NAME, WITHDRAWABLE_PURPOSES, ConsentPurpose, DataExport


@login_required
def profile(request):
    user = request.user
    if request.method == "POST":
        form = AccountForm(request.POST, instance=user)
        if form.is_valid():
            services.update_account(user, **form.cleaned_data)
            messages.success(request, _("Your account details were saved."))
            return redirect("accounts:profile")
    else:
        form = AccountForm(instance=user)

    history = list(user.consents.all())
    active = {record.purpose: record for record in history if record.is_active}
    consents = [
        {"purpose": purpose, "record": active.get(purpose.value)}
        for purpose in WITHDRAWABLE_PURPOSES
    ]
    authenticator_types = set(
        Authenticator.objects.filter(user=user).values_list("type", flat=True)
    )
    context = {
        "form": form,
        "consents": consents,
        "terms_record": active.get(ConsentPurpose.TERMS.value),
        "consent_history": history,
        "roles": user.role_assignments.select_related("ward"),
        "has_totp": Authenticator.Type.TOTP in authenticator_types,
        "has_webauthn": Authenticator.Type.WEBAUTHN in authenticator_types,
        "data_export": data_export.latest_export(user),
    }
    return render(request, "accounts/profile.html", context)


@login_required
@require_POST
def change_consent(request):
    form = ConsentChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("That consent could not be changed. Please try again."))
        return redirect("accounts:profile")
    purpose = form.purpose_value()
    try:
        if form.cleaned_data["action"] == "grant":
            services.grant_consent(request.user, purpose)
            messages.success(request, _("You agreed to: %(purpose)s") % {"purpose": purpose.label})
        else:
            services.withdraw_consent(request.user, purpose)
            messages.success(
                request, _("You withdrew your consent to: %(purpose)s") % {"purpose": purpose.label}
            )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts:profile")


@login_required
def two_factor_required(request):
    """The guide a staff member without a second factor is sent to: why, how, and the
    way back to where they were going once enrolled."""
    two_factor.remember_next(request, request.GET.get("next", ""))
    user = request.user
    kinds = set(Authenticator.objects.filter(user=user).values_list("type", flat=True))
    context = {
        "required": two_factor.is_required(user),
        "enrolled": two_factor.is_enrolled(user),
        "has_recovery_codes": Authenticator.Type.RECOVERY_CODES in kinds,
        "next_url": request.session.get(two_factor.NEXT_SESSION_KEY, ""),
    }
    return render(request, "accounts/two_factor_required.html", context)


# --- Your data: download and closing the account -----------------------------------------


@login_required
@require_POST
def request_data_export(request):
    try:
        export = data_export.request_export(request.user)
    except RateLimited as error:
        messages.error(request, error.message)
    else:
        export.refresh_from_db()  # with no broker the task has already run
        if export.status == DataExport.Status.READY:
            messages.success(request, _("Your data is ready. Download it below."))
        else:
            messages.success(
                request,
                _("We are preparing your data. We will e-mail you when it is ready to download."),
            )
    return redirect(reverse("accounts:profile") + "#your-data")


@login_required
def download_data_export(request, token):
    """The file, for its owner only (anyone else: 404), until the link expires."""
    export = data_export.access_export(request.user, token)
    if export.status != DataExport.Status.READY:
        gone = export.status in (DataExport.Status.EXPIRED, DataExport.Status.FAILED)
        return render(
            request,
            "accounts/data_export_unavailable.html",
            {"export": export},
            status=410 if gone else 200,
        )
    data_export.record_download(request.user, export)
    day = timezone.localtime(export.ready_at).strftime("%Y%m%d")
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"personal-data-{day}.json",
        content_type="application/json; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _reauthenticated_recently(request, method: str) -> bool:
    from allauth.account import app_settings as account_settings
    from allauth.account.internal.flows.login import get_authentication_records

    now = time.time()
    return any(
        record.get("method") == method
        and record.get("reauthenticated")
        and now - record.get("at", 0) < account_settings.REAUTHENTICATION_TIMEOUT
        for record in get_authentication_records(request, request.user)
    )


def _missing_factor_url(request) -> str | None:
    """allauth's reauthentication takes any one method. Closing an account with two
    factors on asks for both, the password and the second factor, as logging in does."""
    if not is_mfa_enabled(request.user):
        return None
    methods = get_account_adapter(request).get_reauthentication_methods(request.user)
    urls = {method["id"]: method["url"] for method in methods}
    if "reauthenticate" in urls and not _reauthenticated_recently(request, "password"):
        url = urls["reauthenticate"]
    elif not _reauthenticated_recently(request, "mfa"):
        url = urls.get("mfa_reauthenticate") or urls.get("mfa_reauthenticate:webauthn")
    else:
        return None
    return f"{url}?{urlencode({'next': request.get_full_path()})}" if url else None


@login_required
@reauthentication_required
def close_account(request):
    """退会: what will happen, the choices to make, a confirmation; then the account is
    anonymised and the person logged out."""
    missing = _missing_factor_url(request)
    if missing:
        return redirect(missing)
    user = request.user
    plan = closing.plan(user)
    form = CloseAccountForm(
        request.POST if request.method == "POST" else None, questions=plan.questions
    )
    if request.method == "POST" and not plan.blockers and form.is_valid():
        try:
            closing.close_account(user, form.answers())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            return redirect("accounts:account_closed")
    context = {"plan": plan, "form": form, "deleted_name": DELETED_USER_NAME}
    return render(request, "accounts/close_account.html", context)


def account_closed(request):
    return render(request, "accounts/account_closed.html", {"deleted_name": DELETED_USER_NAME})


def unlock_login(request, token):
    """The link in the "someone tried to log in" e-mail. A button, not the GET itself:
    mail scanners open links, and must not spend the owner's unlock."""
    if request.method == "POST":
        if login_throttle.unlock(request, token):
            messages.success(request, _("This browser may log in to your account again."))
            return redirect("account_login")
        messages.error(request, _("This unlock link has expired. Try logging in again later."))
    return render(request, "accounts/unlock_login.html")
