"""Demo site content: two expo editions with four halls each, 20 news articles and six
events, in Chinese and English (the English pages are translations of the Chinese ones)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Locale, Page

from expo.demo.data import demo_opening_day
from expo.models import (
    EventIndexPage,
    EventKind,
    EventPage,
    ExpoEditionPage,
    HallPage,
    HomePage,
    NewsIndexPage,
    NewsKind,
    NewsPage,
)

HALLS = [
    (
        "A",
        "肉制品与速冻食品馆",
        "Meat and frozen food hall",
        "火腿肠、冷鲜肉、速冻水饺",
        "Ham sausage, chilled meat, frozen dumplings",
    ),
    ("B", "休闲食品馆", "Snack food hall", "辣条、坚果、糖果", "Latiao, nuts, candy"),
    (
        "C",
        "粮油与调味品馆",
        "Grain, oil and condiments hall",
        "面粉、面条、食用油、调味品",
        "Flour, noodles, edible oil, condiments",
    ),
    (
        "D",
        "国际与食品机械馆",
        "International and machinery hall",
        "进口食品、食品机械与包装",
        "Imported food, machinery and packaging",
    ),
]

NEWS = [
    (
        NewsKind.NEWS,
        "第{n}届食博会招展工作全面启动",
        "Exhibitor registration opens for the {n}th expo",
        ["招展", "exhibitors"],
    ),
    (
        NewsKind.NEWS,
        "漯河食品产业年产值突破两千亿元",
        "Luohe's food industry passes 200 billion yuan a year",
        ["产业", "industry"],
    ),
    (NewsKind.NOTICE, "关于参展商证件办理的通知", "Notice on exhibitor badges", ["参展证", "badges"]),
    (
        NewsKind.POLICY,
        "河南省支持食品企业开拓国际市场的若干措施",
        "Henan measures to help food companies export",
        ["出口", "export"],
    ),
    (
        NewsKind.MARKET_REPORT,
        "休闲食品市场季度报告",
        "Quarterly report on the snack food market",
        ["休闲食品", "snacks"],
    ),
    (
        NewsKind.NEWS,
        "中亚采购团将组团参会",
        "A Central Asian buyers' delegation is coming",
        ["采购团", "buyers"],
    ),
    (NewsKind.NOTICE, "展馆交通与停车指南", "Getting to the halls and parking", ["交通", "visiting"]),
    (
        NewsKind.MARKET_REPORT,
        "冷链食品消费趋势分析",
        "Trends in cold-chain food consumption",
        ["冷链", "cold chain"],
    ),
    (
        NewsKind.POLICY,
        "食品生产许可审查细则更新解读",
        "What the updated food production licence rules mean",
        ["许可", "licensing"],
    ),
    (NewsKind.NEWS, "清真食品专区首次亮相", "A halal food zone opens for the first time", ["清真", "halal"]),
]

EVENTS = [
    (
        EventKind.FORUM,
        "中国食品产业发展高峰论坛",
        "China Food Industry Summit",
        0,
        9,
        "漯河国际会展中心 一号会议厅",
        "",
        300,
    ),
    (
        EventKind.MATCHMAKING,
        "中亚采购商供需对接会",
        "Central Asia buyers matchmaking session",
        0,
        14,
        "漯河国际会展中心 D 馆洽谈区",
        "",
        2,
    ),
    (EventKind.LAUNCH, "辣条新品发布会", "Latiao product launch", 1, 10, "B 馆活动舞台", "", 120),
    (
        EventKind.LIVESTREAM,
        "直播带货：漯河好物",
        "Live stream: the best of Luohe",
        1,
        19,
        "",
        "https://live.example.com/luohe",
        None,
    ),
    (
        EventKind.FORUM,
        "食品安全与追溯论坛",
        "Food safety and traceability forum",
        2,
        9,
        "一号会议厅",
        "",
        200,
    ),
    (
        EventKind.MATCHMAKING,
        "跨境电商对接会",
        "Cross-border e-commerce matchmaking",
        2,
        14,
        "C 馆洽谈区",
        "https://meet.example.com/expo",
        80,
    ),
]


def _publish(page: Page) -> None:
    page.save_revision().publish()


def _translate(page: Page, en: Locale, values: dict) -> Page:
    translation = page.get_translation_or_none(en)
    if translation is None:
        translation = page.copy_for_translation(en, copy_parents=True)
        for key, value in values.items():
            setattr(translation, key, value)
        _publish(translation)
    return translation


def _child(parent: Page, model, slug: str, **fields) -> tuple[Page, bool]:
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing, False
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    _publish(page)
    return page, True


@transaction.atomic
def load_site() -> None:
    zh = Locale.objects.get(language_code="zh-hans")
    en = Locale.objects.get_or_create(language_code="en")[0]
    home = HomePage.objects.get(locale=zh)
    tz = timezone.get_default_timezone()
    today = timezone.localdate()
    opening = demo_opening_day()  # the current edition opens in two months; last year's is history
    previous = opening.replace(year=opening.year - 1, day=min(opening.day, 28))
    editions = [(opening.year, opening), (previous.year, previous)]

    for year, first_day in editions:
        n = year - 2002
        starts = datetime.combine(first_day, time(9), tz)
        edition, _created = _child(
            home,
            ExpoEditionPage,
            f"expo-{year}",
            title=f"第{n}届中国（漯河）食品博览会",
            year=year,
            starts_at=starts,
            ends_at=starts + timedelta(days=2, hours=8),
            venue="漯河国际会展中心",
            address="河南省漯河市郾城区龙江路",
            intro=f"{year} 年食博会汇聚国内外食品企业与采购商，展览面积 12 万平方米。",
        )
        _translate(
            edition,
            en,
            {
                "title": f"The {n}th China (Luohe) Food Expo",
                "venue": "Luohe International Convention and Exhibition Centre",
                "address": "Longjiang Road, Yancheng District, Luohe, Henan",
                "intro": f"The {year} expo brings food companies and buyers from home and abroad "
                "together on 120,000 m².",
            },
        )
        for code, zh_title, en_title, zh_theme, en_theme in HALLS:
            hall, _ = _child(
                edition,
                HallPage,
                f"hall-{code.lower()}",
                title=f"{code} 馆 · {zh_title}",
                code=code,
                theme=zh_theme,
                intro=f"{zh_title}：{zh_theme}。",
            )
            _translate(
                hall,
                en,
                {
                    "title": f"Hall {code} · {en_title}",
                    "theme": en_theme,
                    "intro": f"{en_title}: {en_theme}.",
                },
            )

    news_index, _ = _child(
        home, NewsIndexPage, "news", title="新闻资讯", intro="食博会新闻、通知、政策和市场报告。"
    )
    _translate(news_index, en, {"title": "News", "intro": "Expo news, notices, policies and market reports."})
    current_n = editions[0][0] - 2002
    for i in range(20):
        kind, zh_title, en_title, tags = NEWS[i % len(NEWS)]
        suffix_zh = "" if i < len(NEWS) else f"（{i // len(NEWS) + 1}）"
        suffix_en = "" if i < len(NEWS) else f" ({i // len(NEWS) + 1})"
        article, created = _child(
            news_index,
            NewsPage,
            f"news-{i + 1:02d}",
            title=zh_title.format(n=current_n) + suffix_zh,
            kind=kind,
            date=today - timedelta(days=3 * i),
            intro=f"{zh_title.format(n=current_n)}。食博会组委会发布。",
            body=[("paragraph", f"<p>{zh_title.format(n=current_n)}。更多详情请关注食博会官网。</p>")],
        )
        if created:
            article.tags.add(*tags)
            _publish(article)
        _translate(
            article,
            en,
            {
                "title": en_title.format(n=current_n) + suffix_en,
                "intro": f"{en_title.format(n=current_n)}. From the expo organising committee.",
                "body": [
                    (
                        "paragraph",
                        f"<p>{en_title.format(n=current_n)}. Follow the expo website for details.</p>",
                    )
                ],
            },
        )

    event_index, _ = _child(
        home, EventIndexPage, "events", title="活动日程", intro="论坛、发布会、对接会和直播。"
    )
    _translate(
        event_index,
        en,
        {"title": "Events", "intro": "Forums, launches, matchmaking sessions and live streams."},
    )
    for i, (kind, zh_title, en_title, day, hour, place, online, capacity) in enumerate(EVENTS):
        starts = datetime.combine(editions[0][1] + timedelta(days=day), time(hour), tz)
        event, _ = _child(
            event_index,
            EventPage,
            f"event-{i + 1}",
            title=zh_title,
            kind=kind,
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            place=place,
            online_url=online,
            capacity=capacity,
            intro=f"{zh_title}，欢迎报名参加。",
            speakers=[("speaker", {"name": "李会长", "title": "漯河市食品工业协会"})]
            if kind == EventKind.FORUM
            else [],
        )
        _translate(
            event,
            en,
            {
                "title": en_title,
                "place": place and f"Luohe Expo Centre — {en_title}",
                "intro": f"{en_title}: register to take part.",
            },
        )
