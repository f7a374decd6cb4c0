"""Prize money, the business rules: who receives what, the details they give, the
organizers' four-eyes approval, the pool it is paid from.

Each function checks the policy, locks the payout row it changes (select_for_update)
and moves it through the ledger (contests.payouts.ledger). Paying itself is the
provider's: a bank file for the manual one (contests.payouts.manual), a transfer for
Stripe (contests.payouts.stripe_connect).
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts import policy
from core.email import email_user
from core.errors import Conflict

from ..models import (
    Award,
    AwardShare,
    AwardSplit,
    ContestPage,
    Payout,
    PayoutSettings,
    SponsorPayment,
    SponsorPaymentStatus,
    TeamMembership,
    WardFunding,
)
from ..models import PayoutStatus as S
from . import bank, ledger, providers, vault


def locked(payout: Payout) -> Payout:
    """The payout read again under its row lock, with what its pages and e-mails show.
    Only the payout's row is locked (of=self): the contest is locked where the pool is
    decided (approve), not by every change to one of its payouts."""
    return for_update().get(pk=payout.pk)


def for_update():
    return Payout.objects.select_for_update(of=("self",)).select_related(
        "award__contest", "award__prize", "recipient"
    )


def tell(payout: Payout, template: str, **context) -> None:
    email_user(payout.recipient, f"contests/email/payouts/{template}.txt", payout=payout, **context)


# --- Opening the payouts when the results are published ------------------------------------


def open_payouts(contest: ContestPage, actor=None) -> list[Payout]:
    """One payout per award with prize money, to the team leader, in PENDING; a team of
    one needs no decision about splitting and goes straight to giving details. Idempotent:
    awards that already have payouts are left alone. The results e-mail tells the team
    where to go next (contests/email/results_winner.txt)."""
    created = []
    awards = (
        Award.objects.filter(contest=contest.canonical, prize__amount__gt=0)
        .select_related("prize", "submission__team__leader")
        .exclude(payouts__isnull=False)
    )
    for award in awards:
        team = award.submission.team
        payout = Payout.objects.create(
            award=award, recipient=team.leader, amount=award.prize.amount
        )
        ledger.note(payout, actor, gettext_noop("The award was made."))
        if TeamMembership.objects.filter(team=team).count() <= 1:
            ledger.move(
                payout,
                S.DETAILS_NEEDED,
                actor,
                gettext_noop("The team has one member, who receives the whole prize."),
            )
        created.append(payout)
    return created


# --- Who receives the prize: the leader alone, or shares every member confirms -------------


@transaction.atomic
def receive_whole(user, award: Award) -> Payout:
    """The leader says the team's prize is paid to them alone."""
    policy.check(user, "contests.split_award", award)
    payouts = list(Payout.objects.select_for_update().filter(award=award))
    if len(payouts) != 1 or payouts[0].status != S.PENDING:
        raise Conflict(_("Who receives this prize is already settled."))
    AwardSplit.objects.filter(award=award).delete()
    return ledger.move(
        payouts[0], S.DETAILS_NEEDED, user, gettext_noop("The leader receives the whole prize.")
    )


def split_amounts(total: int, percents: dict[int, int], leader_id: int) -> dict[int, int]:
    """Whole yen per member: each share rounded down, what is left over to the leader."""
    amounts = {member: total * percent // 100 for member, percent in percents.items()}
    amounts[leader_id] += total - sum(amounts.values())
    return amounts


@transaction.atomic
def propose_split(user, award: Award, percents: dict[int, int]) -> AwardSplit:
    """The leader states each member's share in whole percent; the others confirm."""
    policy.check(user, "contests.split_award", award)
    team = award.submission.team
    members = set(TeamMembership.objects.filter(team=team).values_list("user_id", flat=True))
    percents = {int(member): int(p or 0) for member, p in percents.items() if int(p or 0)}
    if set(percents) - members:
        raise ValidationError(_("Shares can go to members of the team only."))
    if any(p < 0 or p > 100 for p in percents.values()):
        raise ValidationError(_("Each share is a whole percentage from 0 to 100."))
    total = sum(percents.values())
    if total != 100:
        raise ValidationError(
            _("The shares add up to %(total)d%%; they must add up to 100%%.") % {"total": total}
        )
    if team.leader_id not in percents:
        raise ValidationError(
            _("Give the leader a share: the yen left over after rounding go to the leader.")
        )
    if len(percents) < 2:
        raise ValidationError(
            _("A split needs two members or more; to receive it all, choose that instead.")
        )
    payouts = list(Payout.objects.select_for_update().filter(award=award))
    if len(payouts) != 1 or payouts[0].status != S.PENDING:
        raise Conflict(_("Who receives this prize is already settled."))
    AwardSplit.objects.filter(award=award).delete()
    split = AwardSplit.objects.create(award=award, proposed_by=user)
    amounts = split_amounts(payouts[0].amount, percents, team.leader_id)
    now = timezone.now()
    for member, percent in percents.items():
        share = AwardShare.objects.create(
            split=split,
            member_id=member,
            percent=percent,
            amount=amounts[member],
            confirmed_at=now if member == user.pk else None,
        )
        if member != user.pk:
            email_user(
                share.member,
                "contests/email/payouts/share_proposed.txt",
                share=share,
                award=award,
                leader=user,
            )
    ledger.note(payouts[0], user, gettext_noop("The leader proposed a split."), shares=percents)
    return split


@transaction.atomic
def answer_share(user, share: AwardShare, accept: bool) -> AwardSplit | None:
    """A member confirms their share, or declines (the proposal is void). When the last
    member confirms, each member gets their own payout."""
    share = AwardShare.objects.select_related("split__award").get(pk=share.pk)
    policy.check(user, "contests.confirm_share", share)
    award = share.split.award
    payouts = list(Payout.objects.select_for_update().filter(award=award))
    if len(payouts) != 1 or payouts[0].status != S.PENDING:
        raise Conflict(_("Who receives this prize is already settled."))
    leader_payout = payouts[0]
    split = share.split
    if not accept:
        ledger.note(leader_payout, user, gettext_noop("A member declined the proposed split."))
        email_user(
            award.submission.team.leader,
            "contests/email/payouts/share_declined.txt",
            award=award,
            member=user,
        )
        split.delete()
        return None
    share.confirmed_at = timezone.now()
    share.save(update_fields=["confirmed_at"])
    if split.shares.filter(confirmed_at__isnull=True).exists():
        return split
    split.confirmed_at = timezone.now()
    split.save(update_fields=["confirmed_at"])
    reason = gettext_noop("Every member confirmed the split.")
    for each in split.shares.select_related("member"):
        if each.member_id == leader_payout.recipient_id:
            payout = leader_payout
            payout.amount = each.amount
            payout.save(update_fields=["amount", "updated_at"])
        else:
            payout = Payout.objects.create(award=award, recipient=each.member, amount=each.amount)
        ledger.move(payout, S.DETAILS_NEEDED, user, reason)
        tell(payout, "details_needed")
    return split


# --- The recipient: method and details -----------------------------------------------------


@transaction.atomic
def choose_method(user, payout: Payout, identifier: str, lives_in_japan: bool) -> Payout:
    payout = locked(payout)
    policy.check(user, "contests.receive_payout", payout)
    if payout.status not in (S.DETAILS_NEEDED, S.READY, S.FAILED):
        raise Conflict(_("The payment method cannot be changed now."))
    offered = {p.identifier: p for p in providers.offered(payout.award.contest)}
    provider = offered.get(identifier)
    if provider is None:
        raise ValidationError({"provider": _("Choose one of the methods offered.")})
    if provider.japan_only and not lives_in_japan:
        raise ValidationError({"provider": providers.UNAVAILABLE_ABROAD})
    changed = payout.provider != identifier
    payout.provider, payout.lives_in_japan = identifier, lives_in_japan
    payout.save(update_fields=["provider", "lives_in_japan", "updated_at"])
    if changed:
        ledger.note(
            payout, user, gettext_noop("The recipient chose how to be paid."), provider=identifier
        )
    return refresh_readiness(payout, user)


def refresh_readiness(payout: Payout, actor) -> Payout:
    """Move between 'details needed' and 'ready' as the provider sees the recipient."""
    ready = bool(payout.provider) and providers.get(payout.provider).recipient_is_ready(payout)
    if ready and payout.status in (S.DETAILS_NEEDED, S.FAILED):
        ledger.move(payout, S.READY, actor, gettext_noop("The recipient's details are complete."))
        tell(payout, "waiting_approval")
    elif not ready and payout.status == S.READY:
        ledger.move(
            payout,
            S.DETAILS_NEEDED,
            actor,
            gettext_noop("The recipient's details are incomplete."),
            prepared_by=None,
            prepared_at=None,
        )
    return payout


@transaction.atomic
def save_bank_details(user, payout: Payout, data: dict) -> Payout:
    """The recipient's bank account, checked (contests.payouts.bank), sealed at rest."""
    payout = locked(payout)
    policy.check(user, "contests.receive_payout", payout)
    if payout.status not in (S.DETAILS_NEEDED, S.READY, S.FAILED):
        raise Conflict(_("The bank details cannot be changed now: the payment is under way."))
    chosen = not payout.provider and only_bank_transfer(payout.award.contest)
    if chosen:
        # The only way this contest pays: giving the account is choosing it.
        payout.provider = providers.offered(payout.award.contest)[0].identifier
    if not payout.provider or not providers.get(payout.provider).pays_by_file:
        raise Conflict(_("Choose bank transfer first."))
    account = bank.check(data)
    names = {
        "bank_name": str(data.get("bank_name") or "").strip()[:30],
        "branch_name": str(data.get("branch_name") or "").strip()[:30],
    }
    payout.bank_details = vault.seal({**account.__dict__, **names})
    payout.bank_masked = " ".join(
        part
        for part in (
            names["bank_name"],
            str(bank.ACCOUNT_TYPES[account.account_type]),
            account.masked_number,
        )
        if part
    )
    fields = ["bank_details", "bank_masked", "updated_at"]
    if chosen:
        fields.append("provider")
        ledger.note(
            payout,
            user,
            gettext_noop("The recipient chose how to be paid."),
            provider=payout.provider,
        )
    if payout.prepared_by_id:
        # New details have to be checked again by whoever prepares the payment.
        payout.prepared_by, payout.prepared_at = None, None
        fields += ["prepared_by", "prepared_at"]
    payout.save(update_fields=fields)
    ledger.note(payout, user, gettext_noop("The recipient entered bank details."))
    return refresh_readiness(payout, user)


def only_bank_transfer(contest: ContestPage) -> bool:
    """Whether the contest pays its winners by bank transfer alone (no choice to make)."""
    offered = providers.offered(contest)
    return len(offered) == 1 and offered[0].pays_by_file


def bank_details(user, payout: Payout) -> dict:
    """The account in full, for the recipient and the contest's organizers only."""
    policy.check(user, "contests.view_bank_details", payout)
    return vault.open_dict(payout.bank_details)


def bank_account(payout: Payout) -> bank.BankAccount:
    data = vault.open_dict(payout.bank_details)
    return bank.BankAccount(**{k: data[k] for k in bank.BankAccount.__dataclass_fields__})


# --- The organizers: prepare, approve (four eyes), cancel -------------------------------------


@transaction.atomic
def prepare(organizer, payout: Payout) -> Payout:
    """The first organizer checks the details and the amount and asks for approval."""
    payout = locked(payout)
    policy.check(organizer, "contests.manage_payouts", payout.award.contest)
    if payout.status != S.READY:
        raise Conflict(_("Only a payout whose details are complete can be prepared."))
    payout.prepared_by, payout.prepared_at = organizer, timezone.now()
    payout.save(update_fields=["prepared_by", "prepared_at", "updated_at"])
    ledger.note(payout, organizer, gettext_noop("Prepared for approval."))
    return payout


@transaction.atomic
def approve(organizer, payout: Payout) -> Payout:
    """A second organizer approves: never the one who prepared it. The pool must cover it."""
    payout = locked(payout)
    contest = payout.award.contest
    policy.check(organizer, "contests.manage_payouts", contest)
    if payout.status != S.READY or not payout.prepared_by_id:
        raise Conflict(_("Only a prepared payout can be approved."))
    if payout.prepared_by_id == organizer.pk:
        raise Conflict(
            _("You prepared this payout; another organizer of the contest must approve it.")
        )
    # Lock the contest's row so two approvals cannot both fit into the same yen.
    ContestPage.objects.select_for_update().filter(pk=contest.pk).first()
    figures = pool(contest)
    if payout.amount > figures.available:
        raise Conflict(
            _(
                "The prize pool has %(available)s left, not enough for %(amount)s. Record the "
                "ward's own funding for the difference, or wait for sponsors' payments."
            )
            % {"available": yen(figures.available), "amount": yen(payout.amount)}
        )
    ledger.move(
        payout,
        S.APPROVED,
        organizer,
        gettext_noop("Approved by a second organizer."),
        approved_by=organizer,
        approved_at=timezone.now(),
    )
    tell(payout, "approved")
    return payout


CANCELLABLE = {S.PENDING, S.DETAILS_NEEDED, S.READY, S.APPROVED, S.FAILED}


@transaction.atomic
def cancel(organizer, payout: Payout, reason: str) -> Payout:
    payout = locked(payout)
    policy.check(organizer, "contests.manage_payouts", payout.award.contest)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why it is cancelled: the winner reads it.")})
    if payout.status not in CANCELLABLE:
        raise Conflict(_("A payout that is being paid or is paid cannot be cancelled."))
    ledger.move(payout, S.CANCELLED, organizer, reason)
    tell(payout, "cancelled", reason=reason)
    return payout


# --- The prize pool -------------------------------------------------------------------------


@dataclass(frozen=True)
class Pool:
    sponsored: int
    ward: int
    committed: int  # approved, being paid or paid, less what came back
    awarded: int  # every open payout, whatever its state

    @property
    def total(self) -> int:
        return self.sponsored + self.ward

    @property
    def available(self) -> int:
        return self.total - self.committed

    @property
    def shortfall(self) -> int:
        return max(0, self.awarded - self.total)


def pool(contest: ContestPage) -> Pool:
    contest = contest.canonical
    payouts = Payout.objects.filter(award__contest=contest)
    committed = payouts.filter(status__in=ledger.COMMITTED).aggregate(
        total=Sum("amount"), back=Sum("amount_reversed")
    )
    return Pool(
        sponsored=SponsorPayment.objects.filter(
            contest=contest, status=SponsorPaymentStatus.PAID
        ).aggregate(total=Sum("amount"))["total"]
        or 0,
        ward=WardFunding.objects.filter(contest=contest).aggregate(total=Sum("amount"))["total"]
        or 0,
        committed=(committed["total"] or 0) - (committed["back"] or 0),
        awarded=payouts.exclude(status__in=(S.CANCELLED, S.REVERSED)).aggregate(
            total=Sum("amount")
        )["total"]
        or 0,
    )


@transaction.atomic
def record_ward_funding(organizer, contest: ContestPage, amount, note: str) -> WardFunding:
    contest = contest.canonical
    policy.check(organizer, "contests.manage_payouts", contest)
    errors = {}
    try:
        amount = int(amount)
    except (TypeError, ValueError):
        amount = 0
    if amount <= 0 or amount > 1_000_000_000:
        errors["amount"] = _("Enter the amount in whole yen, from ¥1 to ¥1,000,000,000.")
    if not (note or "").strip():
        errors["note"] = _("Say where the money comes from (the budget line or decision).")
    if errors:
        raise ValidationError(errors)
    funding = WardFunding.objects.create(
        contest=contest, amount=amount, note=note.strip()[:200], recorded_by=organizer
    )
    from core.activity import log_action

    log_action(organizer, "contests.ward_funding", contest, amount=amount)
    return funding


def yen(amount: int) -> str:
    return f"¥{amount:,}"


# --- Settings per contest -------------------------------------------------------------------


SENDER_FIELDS = (
    "consignor_code",
    "consignor_name",
    "bank_code",
    "branch_code",
    "account_type",
    "account_number",
)


def payout_settings(contest: ContestPage) -> PayoutSettings:
    found = PayoutSettings.objects.filter(contest=contest.canonical).first()
    return found or PayoutSettings(contest=contest.canonical, providers=[providers.DEFAULT])


@transaction.atomic
def save_settings(organizer, contest: ContestPage, data: dict) -> PayoutSettings:
    contest = contest.canonical
    policy.check(organizer, "contests.manage_payouts", contest)
    settings_row = payout_settings(contest)
    available = {p.identifier for p in providers.payout_providers.available()}
    chosen = [i for i in data.get("providers", []) if i in available]
    errors = {}
    if not chosen:
        errors["providers"] = [_("Offer at least one way to pay the winners.")]
    sender = {key: str(data.get(key) or "").strip() for key in SENDER_FIELDS}
    if any(sender.values()):
        try:
            account = bank.check(
                {
                    "bank_code": sender["bank_code"],
                    "branch_code": sender["branch_code"],
                    "account_type": sender["account_type"],
                    "account_number": sender["account_number"],
                    "holder": sender["consignor_name"],
                }
            )
            sender.update(
                bank_code=account.bank_code,
                branch_code=account.branch_code,
                account_number=account.account_number,
                consignor_name=account.holder,
            )
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors["consignor_name" if key == "holder" else key] = messages
        code = sender["consignor_code"]
        if not (code.isascii() and code.isdigit() and len(code) == 10):
            errors["consignor_code"] = [
                _("The consignor code is the 10 digits the bank gave the ward.")
            ]
    if errors:
        raise ValidationError(errors)
    settings_row.providers = chosen
    for key, value in sender.items():
        setattr(settings_row, key, value)
    settings_row.save()
    return settings_row
