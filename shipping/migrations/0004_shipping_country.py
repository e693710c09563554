"""Goods ship within mainland China: China is the one shipping country, so Oscar's address form
needs no country field. Idempotent (``get_or_create`` by ISO code)."""

from django.db import migrations


def add_china(apps, schema_editor):
    Country = apps.get_model("address", "Country")
    Country.objects.update_or_create(
        iso_3166_1_a2="CN",
        defaults={
            "iso_3166_1_a3": "CHN",
            "iso_3166_1_numeric": "156",
            "printable_name": "中国 China",
            "name": "中华人民共和国 People's Republic of China",
            "is_shipping_country": True,
            "display_order": 100,
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("shipping", "0003_auto_20181115_1953"),
        ("address", "0007_useraddress_code"),
    ]

    operations = [migrations.RunPython(add_china, migrations.RunPython.noop)]
