"""The organizers' prize-money pages: the pool, every payout with its next step, the
four-eyes approval, the bank files, the ward's own funding, reconciliation.

Only organizers of the contest's ward (and superusers) get these pages, with their
second factor; for anyone else they are not there (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import policy
from accounts.two_factor import two_factor_required
from core.errors import Conflict
from core.feedback import add_form_errors, errors_as_messages

from ..judging_forms import ReasonForm
from ..models import BankTransferBatch, ContestPage, Payout, SponsorPayment, WardFunding
from ..models import PayoutStatus as S
from ..payout_forms import ExportForm, SettingsForm, WardFundingForm
from ..payouts import ledger, manual, providers, reconcile, services, stripe_connect


def _contest(request, pk) -> ContestPage:
    contest = policy.access(
        request.user, "contests.manage_payouts", ContestPage.objects.select_related("ward"), pk=pk
    )
    return contest.canonical


def _payout(request, pk) -> Payout:
    payout = get_object_or_404(
        Payout.objects.select_related(
            "award__prize",
            "award__contest",
            "award__submission__team",
            "recipient",
            "prepared_by",
            "approved_by",
            "paid_by",
        ),
        pk=pk,
    )
    # Another ward's payout is not there for this organizer.
    _contest(request, payout.award.contest_id)
    return payout


def _batch(request, pk) -> BankTransferBatch:
    batch = get_object_or_404(BankTransferBatch.objects.select_related("contest"), pk=pk)
    _contest(request, batch.contest_id)
    return batch


@login_required
@two_factor_required
def overview(request, pk, funding_form=None, export_form=None, status=200):
    contest = _contest(request, pk)
    payouts = list(
        Payout.objects.filter(award__contest=contest)
        .select_related("award__prize", "award__submission__team", "recipient", "prepared_by")
        .order_by("award__prize__sort_order", "award_id", "-amount", "id")
    )
    for payout in payouts:
        payout.next_step = _next_step(request.user, payout)
    return render(
        request,
        "contests/payouts/admin_overview.html",
        {
            "contest": contest,
            "pool": services.pool(contest),
            "payouts": payouts,
            "exportable": manual.exportable(contest),
            "batches": contest.transfer_batches.select_related("created_by").annotate(
                waiting=Count("payouts", filter=Q(payouts__status=S.PAYING))
            ),
            "funding": WardFunding.objects.filter(contest=contest).select_related("recorded_by"),
            "sponsor_payments": SponsorPayment.objects.filter(contest=contest),
            "funding_form": funding_form or WardFundingForm(),
            "export_form": export_form
            or ExportForm(initial={"transfer_date": timezone.localdate()}),
            "offered": providers.offered(contest),
            "sender_missing": not manual.has_sender(contest),
        },
        status=status,
    )


def _next_step(user, payout) -> str:
    """What the organizers do next, in words, for the list."""
    if payout.status == S.READY and not payout.prepared_by_id:
        return _("Check the details and prepare it for approval.")
    if payout.status == S.READY and payout.prepared_by_id == user.pk:
        return _("Another organizer approves it (you prepared it).")
    if payout.status == S.READY:
        return _("Approve it (prepared by %(name)s).") % {"name": payout.prepared_by.display_name}
    if payout.status == S.APPROVED and payout.provider == "manual":
        return _("Export it in a bank transfer file.")
    if payout.status == S.APPROVED:
        return _("Pay it through Stripe.")
    if payout.status == S.PAYING and payout.provider == "manual":
        return _("Mark the file paid once the bank has carried it out.")
    return ""


@login_required
@two_factor_required
def payout_settings(request, pk):
    contest = _contest(request, pk)
    row = services.payout_settings(contest)
    available = providers.payout_providers.available()
    initial = {
        "providers": row.providers or [providers.DEFAULT],
        **{key: getattr(row, key) for key in services.SENDER_FIELDS},
    }
    form = SettingsForm(request.POST or None, available=available, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.save_settings(request.user, contest, form.cleaned_data)
            except ValidationError as error:
                add_form_errors(form, error)
            else:
                messages.success(request, _("The payout settings are saved."))
                return redirect("contests:payouts_admin", pk=contest.pk)
        status = 400
    return render(
        request,
        "contests/payouts/admin_settings.html",
        {"contest": contest, "form": form, "available": available},
        status=status,
    )


@login_required
@two_factor_required
def payout_manage(request, pk, reason_form=None, status=200):
    payout = _payout(request, pk)
    details = services.bank_details(request.user, payout) if payout.bank_details else None
    return render(
        request,
        "contests/payouts/admin_payout.html",
        {
            "payout": payout,
            "contest": payout.award.contest,
            "details": details,
            "history": ledger.history(payout),
            "reason_form": reason_form or ReasonForm(),
            "stripe_account": getattr(payout.recipient, "stripe_account", None)
            if payout.provider == "stripe"
            else None,
            "pool": services.pool(payout.award.contest),
            "is_preparer": payout.prepared_by_id == request.user.pk,
        },
        status=status,
    )


@login_required
@two_factor_required
@require_POST
def payout_action(request, pk, action):
    payout = _payout(request, pk)
    user = request.user
    if action in ("cancel", "returned"):
        form = ReasonForm(request.POST)
        if not form.is_valid():
            return payout_manage(request, pk, reason_form=form, status=400)
        reason = form.cleaned_data["reason"]
    with errors_as_messages(request):
        if action == "prepare":
            services.prepare(user, payout)
            messages.success(request, _("Prepared. Another organizer of the contest approves it."))
        elif action == "approve":
            services.approve(user, payout)
            messages.success(request, _("Approved. The winner is told."))
        elif action == "pay":
            paid = stripe_connect.pay(user, payout)
            _say_paid(request, paid)
        elif action == "resend":
            _say_paid(request, stripe_connect.send(payout))
        elif action == "cancel":
            services.cancel(user, payout, reason)
            messages.success(request, _("Cancelled. The winner is told why."))
        elif action == "returned":
            manual.mark_failed(user, payout, reason)
            messages.success(
                request, _("Marked as returned. The winner is asked to check the details.")
            )
        else:
            return HttpResponse(status=404)
    return redirect("contests:payout_manage", pk=pk)


def _say_paid(request, payout) -> None:
    if payout.status == S.PAID:
        messages.success(request, _("Paid: the transfer reached the winner's Stripe account."))
    elif payout.status == S.FAILED:
        messages.error(
            request,
            _("Stripe refused the transfer: %(reason)s") % {"reason": payout.failure_reason},
        )
    else:
        messages.warning(
            request,
            _(
                "Stripe has not answered yet. The payment is being paid; try again in a moment, the same transfer is asked for."
            ),
        )


@login_required
@two_factor_required
@require_POST
def record_funding(request, pk):
    contest = _contest(request, pk)
    form = WardFundingForm(request.POST)
    if form.is_valid():
        try:
            services.record_ward_funding(
                request.user, contest, form.cleaned_data["amount"], form.cleaned_data["note"]
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The ward's funding is recorded in the pool."))
            return redirect("contests:payouts_admin", pk=contest.pk)
    return overview(request, pk, funding_form=form, status=400)


@login_required
@two_factor_required
@require_POST
def export_batch(request, pk):
    contest = _contest(request, pk)
    form = ExportForm(request.POST)
    if form.is_valid():
        try:
            batch = manual.export_batch(request.user, contest, form.cleaned_data["transfer_date"])
        except ValidationError as error:
            add_form_errors(form, error)
        except (Conflict, ValueError) as error:
            form.add_error(None, getattr(error, "message", None) or str(error))
        else:
            messages.success(
                request,
                _("The bank file holds %(count)d transfers, %(total)s. Download it for the bank.")
                % {"count": batch.count, "total": services.yen(batch.total)},
            )
            return redirect("contests:payouts_admin", pk=contest.pk)
    return overview(request, pk, export_form=form, status=400)


@login_required
@two_factor_required
def batch_download(request, pk, fmt):
    batch = _batch(request, pk)
    stamp = f"{batch.transfer_date:%Y%m%d}-{batch.pk}"
    if fmt == "zengin":
        response = HttpResponse(
            manual.batch_file(request.user, batch), content_type="text/plain; charset=shift_jis"
        )
        response["Content-Disposition"] = f'attachment; filename="sogofurikomi-{stamp}.txt"'
    elif fmt == "csv":
        response = HttpResponse(
            manual.batch_csv(request.user, batch), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="transfers-{stamp}.csv"'
    else:
        return HttpResponse(status=404)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@two_factor_required
@require_POST
def batch_paid(request, pk):
    batch = _batch(request, pk)
    if not request.POST.get("statement_checked"):
        # Marking paid tells every winner their money arrived: only after the bank says so.
        messages.error(
            request,
            _(
                "Tick the box once the bank's statement shows the transfers left, then mark them paid."
            ),
        )
        return redirect("contests:payouts_admin", pk=batch.contest_id)
    with errors_as_messages(request):
        count = manual.mark_batch_paid(request.user, batch)
        messages.success(
            request,
            _("%(count)d transfers are marked paid; each winner is told.") % {"count": count},
        )
    return redirect("contests:payouts_admin", pk=batch.contest_id)


@login_required
@two_factor_required
def reconciliation(request, pk):
    contest = _contest(request, pk)
    error = None
    try:
        found = reconcile.differences(contest)
    except Exception as failure:  # the provider could not be asked: say so, don't hide it
        import stripe

        if not isinstance(failure, stripe.StripeError):
            raise
        found, error = None, str(failure.user_message or failure)
    return render(
        request,
        "contests/payouts/admin_reconcile.html",
        {"contest": contest, "differences": found, "error": error, "pool": services.pool(contest)},
    )
