"""The blocks a contest page's body is written in (the CMS's own text blocks render
them: the same templates, so a contest reads like every other page)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class ContestBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), form_classname="title", template="cms/blocks/heading.html"
    )
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "link", "ol", "ul", "h3"],
        template="cms/blocks/paragraph.html",
    )
