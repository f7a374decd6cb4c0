"""The contest page's form in the Wagtail admin."""

from wagtail.admin.forms import WagtailAdminPageForm


class ContestPageForm(WagtailAdminPageForm):
    pass
