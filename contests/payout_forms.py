"""Forms of the prize-money pages. They carry labels, hints and input modes; the rules
(codes, katakana, shares adding up, the pool) are the services' (contests.payouts)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .payouts import bank


def _digits(label, length, help_text):
    return forms.CharField(
        label=label,
        max_length=length + 4,  # full-width digits and hyphens are normalised later
        help_text=help_text,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "size": length + 2}
        ),
    )


class MethodForm(forms.Form):
    lives_in_japan = forms.TypedChoiceField(
        label=_("Where do you live?"),
        choices=[("1", _("In Japan")), ("0", _("Outside Japan"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    provider = forms.ChoiceField(
        label=_("How would you like to be paid?"), widget=forms.RadioSelect
    )

    def __init__(self, *args, offered=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].choices = [(p.identifier, p.verbose_name) for p in offered]
        self.descriptions = {p.identifier: p.description for p in offered}


class BankForm(forms.Form):
    bank_name = forms.CharField(label=_("Bank name"), max_length=30, required=False)
    bank_code = _digits(_("Bank code"), 4, _("4 digits, e.g. 0001 for みずほ銀行."))
    branch_name = forms.CharField(label=_("Branch name"), max_length=30, required=False)
    branch_code = _digits(_("Branch code"), 3, _("3 digits (支店番号)."))
    account_type = forms.ChoiceField(
        label=_("Account type"), choices=list(bank.ACCOUNT_TYPES.items()), widget=forms.RadioSelect
    )
    account_number = _digits(_("Account number"), 7, _("7 digits; add zeros in front if shorter."))
    holder = forms.CharField(
        label=_("Account holder (katakana)"),
        max_length=60,
        help_text=_("As the bank has it, in katakana, e.g. ヤマダ タロウ."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class SplitForm(forms.Form):
    """One whole-percent field per member of the team."""

    def __init__(self, *args, members=(), leader_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.members = list(members)
        for member in self.members:
            self.fields[f"member_{member.pk}"] = forms.IntegerField(
                label=member.display_name
                + (" " + str(_("(leader)")) if member.pk == leader_id else ""),
                min_value=0,
                max_value=100,
                initial=0,
                required=False,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": 4}),
            )

    def percents(self) -> dict[int, int]:
        return {m.pk: self.cleaned_data.get(f"member_{m.pk}") or 0 for m in self.members}


class WardFundingForm(forms.Form):
    amount = forms.IntegerField(label=_("Amount (yen)"), min_value=1, max_value=1_000_000_000)
    note = forms.CharField(
        label=_("Where it comes from"),
        max_length=200,
        help_text=_("The budget line or the decision, for the audit."),
    )


class ExportForm(forms.Form):
    transfer_date = forms.DateField(
        label=_("Transfer date"), widget=forms.DateInput(attrs={"type": "date"})
    )


class SettingsForm(forms.Form):
    providers = forms.MultipleChoiceField(
        label=_("Ways to pay the winners"), widget=forms.CheckboxSelectMultiple
    )
    consignor_code = _digits(
        _("Consignor code (振込依頼人コード)"), 10, _("10 digits, given by the ward's bank.")
    )
    consignor_name = forms.CharField(label=_("Consignor name (katakana)"), max_length=40)
    bank_code = _digits(_("Bank code"), 4, "")
    branch_code = _digits(_("Branch code"), 3, "")
    account_type = forms.ChoiceField(
        label=_("Account type"), choices=list(bank.ACCOUNT_TYPES.items()), widget=forms.RadioSelect
    )
    account_number = _digits(_("Account number"), 7, "")

    def __init__(self, *args, available=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["providers"].choices = [(p.identifier, p.verbose_name) for p in available]
        for name in ("consignor_code", "consignor_name", "bank_code", "branch_code"):
            self.fields[name].required = False
        for name in ("account_type", "account_number"):
            self.fields[name].required = False


class SponsorForm(forms.Form):
    sponsor_name = forms.CharField(
        label=_("Name to thank"),
        max_length=100,
        help_text=_("A company, a shop, or your own name, as the contest page may show it."),
    )
    amount = forms.IntegerField(
        label=_("Amount (yen)"),
        min_value=1_000,
        max_value=10_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 1000}),
        help_text=_("¥1,000 to ¥10,000,000. Convenience-store payment up to ¥300,000."),
    )
