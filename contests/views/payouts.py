"""The winners' prize-money pages: who receives it, how, their details, each step.

A payout is there for its recipient and the contest's organizers only (404 for anyone
else); the organizers' own pages are contests.views.payouts_admin.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts import policy
from core.errors import Conflict
from core.feedback import add_form_errors, errors_as_messages

from ..models import Award, AwardShare, Payout, TeamMembership
from ..models import PayoutStatus as S
from ..payout_forms import BankForm, MethodForm, SplitForm
from ..payouts import ledger, providers, services, stripe_connect

# Stripe's hosted pages that forms of the winner's and the sponsor's pages lead to: the
# site's answer to them is a redirect there (Account Links, Checkout).
STRIPE_PAGES = ("https://connect.stripe.com", "https://checkout.stripe.com")


def allow_forms_to_stripe(response):
    """Browsers check where a form's answer redirects against the page's form-action
    ('self' site-wide): this page's forms end on Stripe's hosted pages (or the stand-in's,
    at STRIPE_API_BASE), so those are allowed here and nowhere else."""
    origins = list(STRIPE_PAGES)
    if settings.STRIPE_API_BASE:
        base = urlsplit(settings.STRIPE_API_BASE)
        origins.append(f"{base.scheme}://{base.netloc}")
    response._csp_update = {"form-action": origins}
    return response


def _payouts():
    return Payout.objects.select_related(
        "award__prize", "award__contest", "award__submission__team", "recipient"
    )


def _mine(request, pk) -> Payout:
    return policy.access(request.user, "contests.receive_payout", _payouts(), pk=pk)


@login_required
def my_prizes(request):
    """Every prize the person may receive, and every decision waiting for them."""
    user = request.user
    payouts = list(_payouts().filter(recipient=user).order_by("-created_at"))
    deciding = list(
        Award.objects.filter(submission__team__leader=user, payouts__status=S.PENDING)
        .select_related("prize", "contest", "submission__team")
        .distinct()
    )
    shares = list(
        AwardShare.objects.filter(
            member=user, confirmed_at__isnull=True, split__confirmed_at__isnull=True
        ).select_related("split__award__prize", "split__award__contest", "split__proposed_by")
    )
    return render(
        request,
        "contests/payouts/my_prizes.html",
        {"payouts": payouts, "deciding": deciding, "shares": shares},
    )


@login_required
def recipients(request, pk):
    """The leader says who receives the prize: themselves alone, or shares."""
    award = policy.access(
        request.user,
        "contests.split_award",
        Award.objects.select_related("prize", "contest", "submission__team"),
        pk=pk,
    )
    team = award.submission.team
    members = [m.user for m in TeamMembership.objects.filter(team=team).select_related("user")]
    payout = award.payouts.first()
    split = getattr(award, "split", None)
    initial = {}
    if split is not None:
        initial = {f"member_{s.member_id}": s.percent for s in split.shares.all()}
    form = SplitForm(
        request.POST if request.POST.get("action") == "split" else None,
        members=members,
        leader_id=team.leader_id,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "whole":
                services.receive_whole(request.user, award)
                messages.success(
                    request, _("You receive the whole prize. Next, say how to pay you.")
                )
                return redirect("contests:payout_detail", pk=payout.pk)
            if form.is_valid():
                services.propose_split(request.user, award, form.percents())
                messages.success(
                    request,
                    _("The split is proposed. Each member is asked by e-mail to confirm it."),
                )
                return redirect("contests:award_recipients", pk=award.pk)
            status = 400
        except ValidationError as error:
            add_form_errors(form, error)
            status = 400
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("contests:my_prizes")
    return render(
        request,
        "contests/payouts/recipients.html",
        {
            "award": award,
            "team": team,
            "form": form,
            "split": split,
            "payout": payout,
            "settled": payout is None or payout.status != S.PENDING,
        },
        status=status,
    )


@login_required
@require_POST
def answer_share(request, pk, answer):
    share = policy.access(
        request.user, "contests.confirm_share", AwardShare.objects.select_related("split"), pk=pk
    )
    with errors_as_messages(request):
        split = services.answer_share(request.user, share, accept=answer == "accept")
        if answer != "accept":
            messages.success(request, _("You declined the split; the leader is told."))
        elif split is not None and split.confirmed_at:
            messages.success(request, _("Everyone confirmed. Next, say how to pay you."))
        else:
            messages.success(request, _("Thank you: you confirmed your share."))
    return redirect("contests:my_prizes")


def _detail_context(request, payout, **extra):
    offered = providers.offered(payout.award.contest)
    method_form = extra.pop("method_form", None) or MethodForm(
        offered=offered,
        initial={
            "provider": payout.provider or (offered[0].identifier if offered else ""),
            "lives_in_japan": "1" if payout.lives_in_japan is not False else "0",
        },
    )
    bank_form = extra.pop("bank_form", None)
    if bank_form is None:
        initial = {}
        if payout.bank_details:
            initial = services.bank_details(request.user, payout)
        bank_form = BankForm(initial=initial)
    provider = providers.get(payout.provider) if payout.provider else None
    account = getattr(request.user, "stripe_account", None) if payout.provider == "stripe" else None
    editable = payout.status in (S.DETAILS_NEEDED, S.READY, S.FAILED)
    return {
        "payout": payout,
        "award": payout.award,
        "contest": payout.award.contest,
        "history": ledger.history(payout),
        "method_form": method_form,
        "bank_form": bank_form,
        "provider": provider,
        "stripe_account": account,
        "editable": editable,
        "abroad_note": providers.UNAVAILABLE_ABROAD,
        # One way offered (bank transfer): no method to choose, the bank form at once.
        "only_bank": services.only_bank_transfer(payout.award.contest),
        "steps": _steps(payout),
        **extra,
    }


STEPS = [
    (S.DETAILS_NEEDED, gettext_lazy("Your details")),
    (S.READY, gettext_lazy("Approval")),
    (S.APPROVED, gettext_lazy("Payment")),
    (S.PAID, gettext_lazy("Paid")),
]
ORDER = [S.PENDING, S.DETAILS_NEEDED, S.READY, S.APPROVED, S.PAYING, S.PAID]


def _steps(payout) -> list[dict]:
    """The progress bar: done, current or to come, in the recipient's words."""
    if payout.status not in ORDER:
        return []
    at = ORDER.index(payout.status)
    steps = []
    for state, label in STEPS:
        index = ORDER.index(state)
        steps.append(
            {
                "label": label,
                "done": index < at or payout.status == S.PAID,
                "current": index == at or (state == S.APPROVED and payout.status == S.PAYING),
            }
        )
    return steps


@login_required
def payout_detail(request, pk):
    payout = _mine(request, pk)
    return allow_forms_to_stripe(
        render(request, "contests/payouts/detail.html", _detail_context(request, payout))
    )


@login_required
@require_POST
def choose_method(request, pk):
    payout = _mine(request, pk)
    form = MethodForm(request.POST, offered=providers.offered(payout.award.contest))
    if form.is_valid():
        try:
            services.choose_method(
                request.user,
                payout,
                form.cleaned_data["provider"],
                form.cleaned_data["lives_in_japan"],
            )
        except ValidationError as error:
            add_form_errors(form, error)
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("contests:payout_detail", pk=pk)
        else:
            messages.success(request, _("Saved. Next, give the details for this method."))
            return redirect(reverse("contests:payout_detail", args=[pk]) + "#details")
    payout.refresh_from_db()
    return allow_forms_to_stripe(
        render(
            request,
            "contests/payouts/detail.html",
            _detail_context(request, payout, method_form=form),
            status=400,
        )
    )


@login_required
@require_POST
def bank_details(request, pk):
    payout = _mine(request, pk)
    form = BankForm(request.POST)
    if form.is_valid():
        try:
            services.save_bank_details(request.user, payout, form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("contests:payout_detail", pk=pk)
        else:
            messages.success(
                request,
                _("Your bank details are saved. The organizers will now approve the payment."),
            )
            return redirect("contests:payout_detail", pk=pk)
    return allow_forms_to_stripe(
        render(
            request,
            "contests/payouts/detail.html",
            _detail_context(request, payout, bank_form=form),
            status=400,
        )
    )


@login_required
@require_POST
def stripe_onboarding(request, pk):
    payout = _mine(request, pk)
    back = request.build_absolute_uri(reverse("contests:stripe_return", args=[pk]))
    refresh = request.build_absolute_uri(reverse("contests:stripe_refresh", args=[pk]))
    with errors_as_messages(request):
        return redirect(stripe_connect.onboarding_url(request.user, payout, back, refresh))
    return redirect("contests:payout_detail", pk=pk)


@login_required
def stripe_return(request, pk):
    """Back from Stripe's onboarding: read the account now rather than wait for the event."""
    payout = _mine(request, pk)
    account = getattr(request.user, "stripe_account", None)
    if account is not None:
        account = stripe_connect.sync_account(account.account_id)
    if account is not None and account.can_receive:
        messages.success(request, _("Your Stripe account can receive the prize."))
    else:
        messages.warning(
            request,
            _("Stripe still needs some details from you. Continue the registration to finish."),
        )
    return redirect("contests:payout_detail", pk=payout.pk)


@login_required
def stripe_refresh(request, pk):
    """Stripe's link expired: offer a fresh one from the payout's page."""
    _mine(request, pk)
    messages.info(request, _("The Stripe link expired. Press the button to continue."))
    return redirect(reverse("contests:payout_detail", args=[pk]) + "#details")
