"""The bilingual category tree, created by a migration, holds every contract slug."""

import csv
from pathlib import Path

import pytest
from oscar.core.loading import get_model

Category = get_model("catalogue", "Category")
CONTRACT = Path(__file__).resolve().parents[1] / "data" / "categories.csv"

pytestmark = pytest.mark.django_db


def contract_rows():
    with CONTRACT.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_every_contract_slug_exists_with_its_parent_and_names():
    by_slug = {c.slug: c for c in Category.objects.all()}
    for row in contract_rows():
        category = by_slug.get(row["slug"])
        assert category is not None, row["slug"]
        assert category.name == row["name_zh"]
        assert category.name_en == row["name_en"]
        parent = category.get_parent()
        assert (parent.slug if parent else "") == row["parent"], row["slug"]


def test_tree_is_consistent_and_slugs_unique():
    assert Category.find_problems() == ([], [], [], [], [])
    slugs = list(Category.objects.values_list("slug", flat=True))
    assert len(slugs) == len(set(slugs))


def test_display_name_follows_the_language():
    from django.utils import translation

    latiao = Category.objects.get(slug="snacks-latiao")
    with translation.override("en"):
        assert latiao.display_name == "Latiao (spicy gluten strips)"
    with translation.override("zh-hans"):
        assert latiao.display_name == "辣条"


def test_category_api_lists_the_tree_with_parents(client):
    rows = {row["slug"]: row for row in client.get("/api/categories/").json()}
    for row in contract_rows():
        assert rows[row["slug"]]["parent"] == (row["parent"] or None)
        assert rows[row["slug"]]["name_en"] == row["name_en"]
