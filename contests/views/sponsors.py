"""Sponsors paying into a contest's prize pool (Stripe Checkout), and Stripe's webhook."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.errors import Conflict
from core.feedback import add_form_errors

from ..models import ContestPage, SponsorPayment
from ..payout_forms import SponsorForm
from ..payouts import services, sponsors, webhooks
from .payouts import allow_forms_to_stripe


def _contest(pk) -> ContestPage:
    return get_object_or_404(ContestPage.objects.live().select_related("ward"), pk=pk).canonical


@login_required
def sponsor(request, pk):
    contest = _contest(pk)
    form = SponsorForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                payment = sponsors.start_checkout(
                    request.user,
                    contest,
                    form.cleaned_data["amount"],
                    form.cleaned_data["sponsor_name"],
                )
            except ValidationError as error:
                add_form_errors(form, error)
            except Conflict as error:
                form.add_error(None, error.message)
            else:
                return redirect(payment.checkout_url)
        status = 400
    response = render(
        request,
        "contests/payouts/sponsor.html",
        {
            "contest": contest,
            "form": form,
            "accepts": sponsors.accepts_sponsors(contest),
            "konbini_maximum": sponsors.KONBINI_MAXIMUM,
            "pool": services.pool(contest),
            "mine": sponsors.for_user(request.user, contest),
        },
        status=status,
    )
    return allow_forms_to_stripe(response)  # "Go to payment" ends on Stripe Checkout


@login_required
def sponsor_return(request, pk):
    """Back from Checkout: the session is read from Stripe now, not from the address."""
    contest = _contest(pk)
    payment = None
    session_id = request.GET.get("session_id", "")
    if session_id:
        payment = SponsorPayment.objects.filter(
            contest=contest, sponsor=request.user, session_id=session_id
        ).first()
        if payment is not None:
            payment = sponsors.sync_session(session_id)
    elif request.GET.get("cancelled"):
        messages.info(request, _("The payment was cancelled; nothing was charged."))
        return redirect("contests:sponsor", pk=contest.pk)
    return render(
        request, "contests/payouts/sponsor_return.html", {"contest": contest, "payment": payment}
    )


@csrf_exempt
@require_POST
def stripe_webhook(request):
    """Stripe's deliveries; the signature over the raw body is the authentication."""
    status = webhooks.receive(request.body, request.headers.get("Stripe-Signature", ""))
    return HttpResponse(status=status)
