"""Demo pages: the home page and an "about" page, in Chinese and English."""

from __future__ import annotations

from django.db import transaction
from wagtail.models import Locale, Page

from expo.models import HomePage, StandardPage

HOME = {
    "zh-hans": {
        "title": "中国（漯河）食品博览会",
        "headline": "永不落幕的食博会",
        "intro": "漯河是中国食品名城。食博会把展览展示、信息发布、洽谈对接和在线交易搬到网上，"
        "一年 365 天，国内外客商随时相约。",
    },
    "en": {
        "title": "China (Luohe) Food Expo",
        "headline": "The food expo that never closes",
        "intro": "Luohe is China's food city. The expo brings exhibition, news, matchmaking and online "
        "trading online, 365 days a year, for buyers and exhibitors at home and abroad.",
    },
}
ABOUT = {
    "zh-hans": {
        "title": "关于食博会",
        "slug": "about",
        "intro": "中国（漯河）食品博览会自 2003 年起每年在河南漯河举办。",
        "body": [
            ("heading", "展会概况"),
            (
                "paragraph",
                "<p>食博会汇聚肉制品、休闲食品、粮油、饮料、食品机械等全产业链企业，"
                "是中西部地区规模最大的食品专业展会之一。</p>",
            ),
            ("quote", {"text": "来漯河，品天下美食。", "source": "食博会组委会"}),
        ],
    },
    "en": {
        "title": "About the expo",
        "slug": "about",
        "intro": "The China (Luohe) Food Expo has been held every year in Luohe, Henan since 2003.",
        "body": [
            ("heading", "The expo at a glance"),
            (
                "paragraph",
                "<p>Meat products, snacks, grain and oil, beverages and food machinery: the whole food "
                "chain meets at one of the largest food fairs of central and western China.</p>",
            ),
            (
                "quote",
                {"text": "Come to Luohe and taste the world's food.", "source": "Expo organising committee"},
            ),
        ],
    },
}


EXTRA_PAGES = [
    (
        "visit",
        {
            "title": "参观指南",
            "intro": "展馆地址：河南省漯河市郾城区龙江路漯河国际会展中心。开放时间 9:00–17:00。",
            "body": [
                ("heading", "交通"),
                ("paragraph", "<p>漯河西站乘 10 路公交直达会展中心；自驾请从 S38 新阳高速漯河东出口下。</p>"),
            ],
        },
        {
            "title": "Visiting the expo",
            "intro": "Luohe International Convention and Exhibition Centre, Longjiang Road, "
            "Yancheng District, Luohe, Henan. Open 9:00–17:00.",
            "body": [
                ("heading", "Getting there"),
                (
                    "paragraph",
                    "<p>Bus 10 from Luohe West station stops at the centre; "
                    "by car leave the S38 expressway at Luohe East.</p>",
                ),
            ],
        },
    ),
    (
        "contact",
        {
            "title": "联系我们",
            "intro": "食博会组委会办公室：0395-0000000，expo@foodexpo.example",
            "body": [("paragraph", "<p>招展、采购对接、媒体合作，欢迎来电来函。</p>")],
        },
        {
            "title": "Contact",
            "intro": "Expo organising committee: +86 395 000 0000, expo@foodexpo.example",
            "body": [("paragraph", "<p>Exhibiting, buyer matchmaking, press: write or call us.</p>")],
        },
    ),
]


def _update(page: Page, values: dict) -> None:
    """Set the values and publish, only when something differs (so reruns add no revisions)."""
    changed = [key for key, value in values.items() if getattr(page, key) != value]
    for key in changed:
        setattr(page, key, values[key])
    if changed or not page.live or page.has_unpublished_changes:
        page.save_revision().publish()


def _translate(page: Page, locale: Locale) -> Page:
    translation = page.get_translation_or_none(locale)
    if translation is None:
        translation = page.copy_for_translation(locale, copy_parents=True)
    return translation


@transaction.atomic
def load_pages() -> None:
    zh = Locale.objects.get_or_create(language_code="zh-hans")[0]
    en = Locale.objects.get_or_create(language_code="en")[0]
    home = HomePage.objects.filter(locale=zh).first()
    if home is None:
        raise RuntimeError("The home page is missing: run 'manage.py migrate' first.")
    _update(home, HOME["zh-hans"])
    _update(_translate(home, en), HOME["en"])

    about = StandardPage.objects.filter(locale=zh, slug="about").first()
    if about is None:
        about = StandardPage(title=ABOUT["zh-hans"]["title"], slug="about")
        home.add_child(instance=about)
    for locale, page in ((zh, about), (en, None)):
        content = dict(ABOUT[locale.language_code])
        page = page or _translate(about, en)
        body = content.pop("body")
        if not page.body:
            page.body = body
            page.has_unpublished_changes = True
        _update(page, content)
    for slug, zh_content, en_content in EXTRA_PAGES:
        page = StandardPage.objects.filter(locale=zh, slug=slug).first()
        if page is None:
            page = StandardPage(
                title=zh_content["title"], slug=slug, intro=zh_content["intro"], body=zh_content["body"]
            )
            home.add_child(instance=page)
            page.save_revision().publish()
        english = _translate(page, en)
        if english.title != en_content["title"]:
            english.title, english.intro, english.body = (
                en_content["title"],
                en_content["intro"],
                en_content["body"],
            )
            english.save_revision().publish()
