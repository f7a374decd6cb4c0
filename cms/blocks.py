"""StreamField blocks editors compose pages from."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class LinkBlock(blocks.StructBlock):
    """A link to a page in the CMS or to a path/URL; the page wins when both are set."""

    label = blocks.CharBlock(label=_("Label"), max_length=60)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    url = blocks.CharBlock(
        label=_("Path or URL"),
        required=False,
        help_text=_("For example /accounts/signup/ for a page outside the CMS."),
    )

    class Meta:
        icon = "link"
        template = "cms/blocks/link.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["href"] = value["page"].url if value.get("page") else value.get("url") or ""
        return context


class CallToActionBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=80)
    text = blocks.TextBlock(label=_("Text"), required=False)
    links = blocks.ListBlock(LinkBlock(), label=_("Buttons"), max_num=3)

    class Meta:
        icon = "pick"
        template = "cms/blocks/call_to_action.html"


class FeatureBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=60)
    text = blocks.TextBlock(label=_("Text"))


class FeatureListBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=80)
    features = blocks.ListBlock(FeatureBlock(), label=_("Features"), min_num=1, max_num=6)

    class Meta:
        icon = "list-ul"
        template = "cms/blocks/feature_list.html"


class BodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), form_classname="title", template="cms/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "ol", "ul", "h3"],
        template="cms/blocks/paragraph.html",
    )
    features = FeatureListBlock()
    call_to_action = CallToActionBlock()
