"""Loading the demo data set, idempotently and, with a scale, in bulk.

Every record has a deterministic key, so a second run creates nothing; records that
already exist are left as they are. Large scales use ``bulk_create`` in batches.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from oscar.core.loading import get_model

from buyers.models import Buyer
from exhibitors.models import Certificate, CompanyStatus, Exhibitor, Participation

from . import data

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

PRODUCTS_PER_EXHIBITOR = 15
BATCH = 2000
DEMO_STAFF_EMAIL = "admin@foodexpo.example"
DEMO_STAFF_PASSWORD = "expo-admin-2026"

Progress = Callable[[Iterable, str, int], Iterable]


def _no_progress(items: Iterable, _label: str, _total: int) -> Iterable:
    return items


@dataclass
class DemoSummary:
    exhibitors: int = 0
    buyers: int = 0
    products: int = 0


def _company_key(kind: str, country: str, index: int) -> str:
    if country == "CN":
        # Shaped like a unified social credit code (18 characters); not a real one.
        prefix = "91411100" if kind == "exhibitor" else "92411100"
        return f"{prefix}{index:08d}{chr(65 + index % 26)}X"
    return f"{country}-{kind[:3].upper()}-{index:08d}"


def _names(name_zh: str, name_en: str, copy: int) -> tuple[str, str]:
    if copy == 0:
        return name_zh, name_en
    return f"{name_zh}（第{copy}分公司）", f"{name_en} (branch {copy})"


def _batched(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def demo_staff_user():
    """The demo's staff superuser; its password is printed by ``load_demo``."""
    User = get_user_model()
    user, created = User.objects.get_or_create(
        email=DEMO_STAFF_EMAIL,
        defaults={"username": DEMO_STAFF_EMAIL, "first_name": "Expo", "last_name": "Staff"},
    )
    if created or not user.is_superuser:
        user.is_staff = user.is_superuser = True
        user.set_password(DEMO_STAFF_PASSWORD)
        user.save()
    return user


def load_companies_and_products(*, scale: int = 1, progress: Progress = _no_progress) -> DemoSummary:
    """Exhibitors (each with its partner and products) and buyers, ``scale`` times over."""
    summary = DemoSummary()
    categories = {c.slug: c for c in Category.objects.all()}
    product_class, _ = ProductClass.objects.get_or_create(
        slug="food", defaults={"name": "食品 Food", "requires_shipping": True, "track_stock": True}
    )

    # Exhibitors and their partners.
    wanted = list(_demo_exhibitor_rows(scale))
    existing = set(Exhibitor.objects.values_list("key", flat=True))
    missing = [w for w in wanted if w[3] not in existing]
    for chunk in progress(list(_batched(missing)), "exhibitors", -(-len(missing) // BATCH)):
        with transaction.atomic():
            Partner.objects.bulk_create(
                [
                    Partner(code=key.lower(), name=_names(row[1], row[2], copy)[0][:128])
                    for _i, copy, row, key in chunk
                ],
                ignore_conflicts=True,
            )
            partners = dict(
                Partner.objects.filter(code__in=[w[3].lower() for w in chunk]).values_list("code", "id")
            )
            exhibitors = []
            for index, copy, row, key in chunk:
                _stem, name_zh, name_en, country, province, city, cats, desc_zh, desc_en = row
                name_zh, name_en = _names(name_zh, name_en, copy)
                exhibitors.append(
                    Exhibitor(
                        key=key,
                        name_zh=name_zh,
                        name_en=name_en,
                        country=country,
                        province=province,
                        city=city,
                        description_zh=desc_zh,
                        description_en=desc_en,
                        website=f"https://example.com/{slugify(name_en)[:40]}",
                        contact_name="王经理" if country == "CN" else "Sales manager",
                        contact_phone=f"+86 395 {5000000 + index:07d}" if country == "CN" else "",
                        contact_email=f"sales{index}@example.com",
                        status=CompanyStatus.PENDING if index % 17 == 16 else CompanyStatus.VERIFIED,
                        partner_id=partners[key.lower()],
                    )
                )
            Exhibitor.objects.bulk_create(exhibitors)
            ids = dict(Exhibitor.objects.filter(key__in=[w[3] for w in chunk]).values_list("key", "id"))
            Exhibitor.categories.through.objects.bulk_create(
                [
                    Exhibitor.categories.through(exhibitor_id=ids[key], category_id=categories[slug].id)
                    for _i, _c, row, key in chunk
                    for slug in row[6]
                ]
            )
        summary.exhibitors += len(chunk)

    # Products, through each exhibitor's partner.
    partner_by_key = dict(Exhibitor.objects.values_list("key", "partner_id"))
    existing_upcs = set(Product.objects.values_list("upc", flat=True))
    product_rows = []
    for index, _copy, row, key in wanted:
        templates = [(slug, t) for slug in row[6] for t in data.PRODUCTS.get(slug, [])]
        for k in range(PRODUCTS_PER_EXHIBITOR):
            sku = f"SKU-{k + 1:03d}"
            upc = f"{key}/{sku}"
            if upc not in existing_upcs:
                product_rows.append((index, key, k, sku, upc, templates))
    for chunk in progress(list(_batched(product_rows)), "products", -(-len(product_rows) // BATCH)):
        with transaction.atomic():
            products, stock, links = [], [], []
            for index, key, k, sku, upc, templates in chunk:
                slug, (title_zh, title_en, storage, shelf, net, unit, price) = templates[k % len(templates)]
                round_ = k // len(templates)
                v_zh, v_en = data.VARIANTS[round_ % len(data.VARIANTS)]
                if round_ >= len(data.VARIANTS):
                    v_zh, v_en = f"{v_zh}（批次{round_}）", f"{v_en} (lot {round_})"
                exhibitor = data.EXHIBITORS[index % len(data.EXHIBITORS)]
                price_value = (Decimal(price) * (1 + Decimal(round_ % 5) / 10)).quantize(Decimal("0.01"))
                samples = slug != "machinery" and round_ % 2 == 0
                products.append(
                    Product(
                        structure=Product.STANDALONE,
                        upc=upc,
                        product_class=product_class,
                        is_public=True,
                        title=f"{title_zh}{v_zh}",
                        title_en=f"{title_en}{v_en}",
                        slug=slugify(f"{title_en}{v_en}")[:128] or "product",
                        description=f"{exhibitor[1]}出品的{title_zh}，规格 {net}，"
                        + (f"保质期 {shelf} 天。" if shelf else "质保一年。"),
                        description_en=f"{title_en} made by {exhibitor[2]}, {net}"
                        + (f", shelf life {shelf} days." if shelf else ", one-year warranty."),
                        shelf_life_days=shelf,
                        storage=storage,
                        net_content=net,
                        unit=unit,
                        origin=f"{exhibitor[4]}{exhibitor[5]}" if exhibitor[3] == "CN" else exhibitor[5],
                        sample_available=samples,
                        sample_price=(price_value / 2).quantize(Decimal("0.01")) if samples else None,
                    )
                )
                stock.append((upc, key, sku, price_value, 5 if slug == "machinery" else 500))
                links.append((upc, slug))
            Product.objects.bulk_create(products)
            ids = dict(Product.objects.filter(upc__in=[p.upc for p in products]).values_list("upc", "id"))
            StockRecord.objects.bulk_create(
                [
                    StockRecord(
                        product_id=ids[upc],
                        partner_id=partner_by_key[key],
                        partner_sku=sku,
                        price_currency="CNY",
                        price=price_value,
                        num_in_stock=qty,
                        num_allocated=0,
                    )
                    for upc, key, sku, price_value, qty in stock
                ]
            )
            ProductCategory.objects.bulk_create(
                [ProductCategory(product_id=ids[upc], category_id=categories[slug].id) for upc, slug in links]
            )
        summary.products += len(chunk)

    # Buyers.
    wanted_buyers = []
    for copy, (i, row) in itertools.product(range(scale), enumerate(data.BUYERS)):
        index = copy * len(data.BUYERS) + i
        wanted_buyers.append((index, copy, row, _company_key("buyer", row[3], index)))
    existing = set(Buyer.objects.values_list("key", flat=True))
    missing = [w for w in wanted_buyers if w[3] not in existing]
    for chunk in progress(list(_batched(missing)), "buyers", -(-len(missing) // BATCH)):
        with transaction.atomic():
            buyers = []
            for index, copy, row, key in chunk:
                (
                    _stem,
                    name_zh,
                    name_en,
                    country,
                    province,
                    city,
                    buyer_type,
                    _interests,
                    keywords,
                    markets,
                ) = row
                name_zh, name_en = _names(name_zh, name_en, copy)
                buyers.append(
                    Buyer(
                        key=key,
                        name_zh=name_zh,
                        name_en=name_en,
                        country=country,
                        province=province,
                        city=city,
                        buyer_type=buyer_type,
                        keywords=keywords,
                        target_markets=markets,
                        annual_volume_cny=Decimal(5_000_000 + 250_000 * (index % 40)),
                        contact_email=f"purchasing{index}@example.com",
                        status=CompanyStatus.VERIFIED,
                    )
                )
            Buyer.objects.bulk_create(buyers)
            ids = dict(Buyer.objects.filter(key__in=[w[3] for w in chunk]).values_list("key", "id"))
            Buyer.interests.through.objects.bulk_create(
                [
                    Buyer.interests.through(buyer_id=ids[key], category_id=categories[slug].id)
                    for _i, _c, row, key in chunk
                    for slug in row[7]
                ]
            )
        summary.buyers += len(chunk)
    _load_certificates_and_participation(progress=progress)
    return summary


HALAL_CATEGORIES = {"meat-ham-sausage", "snacks-nuts", "grain-flour", "meat-chilled"}
EXTRA_CODES = {
    "tea-coffee": "ORGANIC",
    "fruit-veg": "GREEN_FOOD",
    "beverages-juice": "FDA",
    "seafood": "BRCGS",
}


def _demo_certificates(index: int, row: tuple, today) -> list[tuple[str, str, object]]:
    """Certificates a demo exhibitor holds: SC at home, HALAL/HACCP/... by what it makes."""
    codes = ["SC"] if row[3] == "CN" else ["HACCP"]
    if index % 2 == 0:
        codes.append("HACCP" if "HACCP" not in codes else "ISO22000")
    if index % 3 == 0:
        codes.append("ISO22000" if "ISO22000" not in codes else "ISO9001")
    if HALAL_CATEGORIES & set(row[6]) or row[3] == "KZ":
        codes.append("HALAL")
    codes.extend(code for slug, code in EXTRA_CODES.items() if slug in row[6] and code not in codes)
    certificates = []
    for n, code in enumerate(dict.fromkeys(codes)):
        # one certificate in eleven runs out within the month, so the expiry warnings have work
        days = 20 if (index + n) % 11 == 5 else 200 + (index * 37 + n * 91) % 700
        certificates.append((code, f"{code}-{index:06d}", today + timedelta(days=days)))
    return certificates


def _load_certificates_and_participation(*, progress: Progress) -> None:
    today = timezone.localdate()
    exhibitors = list(
        Exhibitor.objects.filter(certificates__isnull=True, participations__isnull=True).values_list(
            "id", "key"
        )
    )
    scale = -(-Exhibitor.objects.count() // len(data.EXHIBITORS))
    rows = {key: (index, row) for index, _copy, row, key in _demo_exhibitor_rows(scale)}
    for chunk in progress(list(_batched(exhibitors)), "certificates", -(-len(exhibitors) // BATCH)):
        certificates, participations = [], []
        for exhibitor_id, key in chunk:
            if key not in rows:
                continue  # not a demo company
            index, row = rows[key]
            for code, number, valid_until in _demo_certificates(index, row, today):
                issuer = "国家市场监督管理总局" if code == "SC" else "China Quality Certification Centre"
                certificates.append(
                    Certificate(
                        exhibitor_id=exhibitor_id,
                        code=code,
                        number=number,
                        issuer=issuer,
                        valid_until=valid_until,
                    )
                )
            hall = "ABCD"[index % 4]
            for edition in data.demo_edition_years():
                participations.append(
                    Participation(
                        exhibitor_id=exhibitor_id,
                        edition=edition,
                        hall=hall,
                        booth=f"{hall}-{1000 + (index * 7 + edition) % 900}",
                    )
                )
        with transaction.atomic():
            Certificate.objects.bulk_create(certificates, ignore_conflicts=True)
            Participation.objects.bulk_create(participations, ignore_conflicts=True)


def _demo_exhibitor_rows(scale: int):
    """(index, copy, data row, key) of every demo exhibitor at this scale."""
    for copy, (i, row) in itertools.product(range(scale), enumerate(data.EXHIBITORS)):
        index = copy * len(data.EXHIBITORS) + i
        yield index, copy, row, _company_key("exhibitor", row[3], index)


DEMO_MEMBER_PASSWORD = "expo-demo-2026"
DEMO_MEMBERS = {
    "exhibitor@foodexpo.example": ("exhibitor", 0),  # 漯河沙澧肉业 (verified, HALAL ham sausage)
    "buyer@foodexpo.example": ("buyer", 4),  # Astana Import (halal snacks importer)
}


def demo_members() -> None:
    """Log-ins for a demo exhibitor owner and a demo buyer owner."""
    from buyers.models import Buyer
    from exhibitors.models import Membership, Role

    User = get_user_model()
    for email, (side, index) in DEMO_MEMBERS.items():
        user, created = User.objects.get_or_create(email=email, defaults={"username": email})
        if created:
            user.set_password(DEMO_MEMBER_PASSWORD)
            user.save()
        row = (data.EXHIBITORS if side == "exhibitor" else data.BUYERS)[index]
        key = _company_key(side, row[3], index)
        company = (Exhibitor if side == "exhibitor" else Buyer).objects.filter(key=key).first()
        if company is not None:
            Membership.objects.get_or_create(user=user, **{side: company}, defaults={"role": Role.OWNER})
