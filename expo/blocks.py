"""StreamField blocks shared by the expo's pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    """An image with an optional caption."""

    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(required=False, label=_("Caption"))

    class Meta:
        icon = "image"
        template = "blocks/image_block.html"
        preview_value = {"caption": "漯河会展中心 · Luohe Expo Centre"}


class QuoteBlock(blocks.StructBlock):
    """A quotation with its source."""

    text = blocks.TextBlock(label=_("Quote"))
    source = blocks.CharBlock(required=False, label=_("Source"))

    class Meta:
        icon = "openquote"
        template = "blocks/quote_block.html"
        preview_value = {"text": "食博会让漯河食品走向世界。", "source": "参展商"}


class CallToActionBlock(blocks.StructBlock):
    """A highlighted box with a title, a line of text and a button."""

    title = blocks.CharBlock(label=_("Title"))
    text = blocks.TextBlock(required=False, label=_("Text"))
    button_text = blocks.CharBlock(label=_("Button text"))
    button_url = blocks.CharBlock(
        label=_("Button link"), help_text=_("A path such as /catalogue/ or a full URL")
    )

    class Meta:
        icon = "pick"
        template = "blocks/call_to_action_block.html"
        preview_value = {
            "title": "成为参展商",
            "text": "全年在线展示您的产品",
            "button_text": "立即报名",
            "button_url": "/",
        }


class BodyBlock(blocks.StreamBlock):
    """The blocks a standard page body may hold."""

    heading = blocks.CharBlock(
        form_classname="title", icon="title", template="blocks/heading_block.html", label=_("Heading")
    )
    paragraph = blocks.RichTextBlock(icon="pilcrow", template="blocks/paragraph_block.html", label=_("Text"))
    image = ImageBlock()
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
