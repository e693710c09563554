"""StreamField blocks shared by the expo's pages."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.embeds.blocks import EmbedBlock
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


class GalleryBlock(blocks.StructBlock):
    """A row of pictures."""

    images = blocks.ListBlock(ImageBlock(), label=_("Images"))

    class Meta:
        icon = "image"
        template = "blocks/gallery_block.html"
        label = _("Gallery")


class VideoBlock(blocks.StructBlock):
    """An embedded video (live stream replay, factory tour) with a caption."""

    video = EmbedBlock(
        label=_("Video link"), help_text=_("A link to a video page (e.g. Bilibili, YouTube, Youku)")
    )
    caption = blocks.CharBlock(required=False, label=_("Caption"))

    class Meta:
        icon = "media"
        template = "blocks/video_block.html"
        label = _("Video")


class ExhibitorListBlock(blocks.StructBlock):
    """Exhibitors chosen by a query (category, province), not by hand, so the list stays current."""

    title = blocks.CharBlock(required=False, label=_("Title"))
    category = blocks.CharBlock(required=False, label=_("Category slug"), help_text=_("e.g. snacks-latiao"))
    province = blocks.CharBlock(required=False, label=_("Province"))
    limit = blocks.IntegerBlock(default=8, min_value=1, max_value=48, label=_("How many"))

    class Meta:
        icon = "group"
        template = "blocks/exhibitor_list_block.html"
        label = _("Exhibitor list")
        preview_value = {"title": "休闲食品参展商", "category": "snacks", "limit": 4}

    def get_context(self, value, parent_context=None):
        from .selectors import exhibitors_by_query

        context = super().get_context(value, parent_context)
        context["exhibitors"] = exhibitors_by_query(
            category=value["category"], province=value["province"], limit=value["limit"]
        )
        return context


class ProductCarouselBlock(blocks.StructBlock):
    """Products chosen by a query (category, storage), newest first."""

    title = blocks.CharBlock(required=False, label=_("Title"))
    category = blocks.CharBlock(required=False, label=_("Category slug"))
    storage = blocks.ChoiceBlock(
        required=False,
        choices=[("ambient", _("Ambient")), ("chilled", _("Chilled")), ("frozen", _("Frozen"))],
        label=_("Storage"),
    )
    limit = blocks.IntegerBlock(default=8, min_value=1, max_value=24, label=_("How many"))

    class Meta:
        icon = "list-ul"
        template = "blocks/product_carousel_block.html"
        label = _("Product carousel")
        preview_value = {"title": "新品推荐", "category": "snacks", "limit": 4}

    def get_context(self, value, parent_context=None):
        from .selectors import products_by_query

        context = super().get_context(value, parent_context)
        context["products"] = products_by_query(
            category=value["category"], storage=value["storage"], limit=value["limit"]
        )
        return context


class KeyFiguresBlock(blocks.StaticBlock):
    """The platform's key figures (exhibitors, buyers, products, deals), computed live."""

    class Meta:
        icon = "order"
        template = "blocks/key_figures_block.html"
        label = _("Key figures")
        admin_text = _("Shows the live counts of exhibitors, buyers, products and deals.")

    def get_context(self, value, parent_context=None):
        from .selectors import home_page_figures

        context = super().get_context(value, parent_context)
        context["figures"] = home_page_figures()
        return context


class BodyBlock(blocks.StreamBlock):
    """Every block a page body may hold."""

    heading = blocks.CharBlock(
        form_classname="title", icon="title", template="blocks/heading_block.html", label=_("Heading")
    )
    paragraph = blocks.RichTextBlock(icon="pilcrow", template="blocks/paragraph_block.html", label=_("Text"))
    image = ImageBlock()
    gallery = GalleryBlock()
    video = VideoBlock()
    quote = QuoteBlock()
    table = TableBlock(template="blocks/table_block.html", label=_("Table"))
    call_to_action = CallToActionBlock()
    exhibitor_list = ExhibitorListBlock()
    product_carousel = ProductCarouselBlock()
    key_figures = KeyFiguresBlock()


class SpeakerBlock(blocks.StructBlock):
    """A speaker of an event."""

    name = blocks.CharBlock(label=_("Name"))
    title = blocks.CharBlock(required=False, label=_("Title and organisation"))
    photo = ImageChooserBlock(required=False, label=_("Photo"))

    class Meta:
        icon = "user"
        template = "blocks/speaker_block.html"
        label = _("Speaker")
        preview_value = {"name": "张经理", "title": "漯河市食品产业协会"}
