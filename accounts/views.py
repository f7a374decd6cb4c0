from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import services
from .forms import AccountForm, ConsentChangeForm
from .models import WITHDRAWABLE_PURPOSES, ConsentPurpose


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
