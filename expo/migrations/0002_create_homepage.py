"""Replace Wagtail's welcome page with the expo's home page, so every database has one."""

import uuid

from django.db import migrations
from django.utils import timezone


def create_homepage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    Locale = apps.get_model("wagtailcore.Locale")
    HomePage = apps.get_model("expo.HomePage")

    if HomePage.objects.exists():
        return
    page_type = ContentType.objects.get(model="page", app_label="wagtailcore")
    Page.objects.filter(content_type=page_type, slug="home", depth=2).delete()
    locale = Locale.objects.filter(language_code="zh-hans").first() or Locale.objects.first()
    home_type, _ = ContentType.objects.get_or_create(model="homepage", app_label="expo")
    now = timezone.now()
    homepage = HomePage.objects.create(
        title="中国（漯河）食品博览会",
        draft_title="中国（漯河）食品博览会",
        seo_title="",
        slug="home",
        content_type=home_type,
        path="00010001",
        depth=2,
        numchild=0,
        url_path="/home/",
        locale=locale,
        translation_key=uuid.uuid4(),
        live=True,
        first_published_at=now,
        last_published_at=now,
        headline="永不落幕的食博会",
        intro="展览展示、信息发布、洽谈对接、在线交易，一年 365 天，在国内外、在手机上。",
    )
    root = Page.objects.get(depth=1)
    root.numchild = Page.objects.filter(depth=2).count()
    root.save(update_fields=["numchild"])
    Site.objects.filter(is_default_site=True).delete()
    Site.objects.create(hostname="localhost", port=80, root_page=homepage, is_default_site=True, site_name="")


def remove_homepage(apps, schema_editor):
    apps.get_model("expo.HomePage").objects.filter(slug="home", depth=2).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("expo", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_homepage, remove_homepage)]
