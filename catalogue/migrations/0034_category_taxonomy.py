"""The expo's bilingual food taxonomy, so that every database has it.

Slugs are the contract of the staff spreadsheets (categories.csv): they never change.
Tree paths are written directly because historical models have no treebeard methods.
"""

from django.db import migrations

# slug, parent slug, Chinese name, English name; parents before children.
CATEGORIES = [
    ('meat', '', '肉制品', 'Meat products'),
    ('meat-ham-sausage', 'meat', '火腿肠', 'Ham sausage'),
    ('meat-chilled', 'meat', '冷鲜肉', 'Chilled meat'),
    ('meat-cured', 'meat', '酱卤腊味', 'Cured and braised meat'),
    ('snacks', '', '休闲食品', 'Snacks'),
    ('snacks-latiao', 'snacks', '辣条', 'Latiao (spicy gluten strips)'),
    ('snacks-nuts', 'snacks', '坚果炒货', 'Nuts and seeds'),
    ('snacks-puffed', 'snacks', '膨化食品', 'Puffed snacks'),
    ('snacks-candy', 'snacks', '糖果巧克力', 'Candy and chocolate'),
    ('grain-oil', '', '粮油', 'Grain and oil'),
    ('grain-flour', 'grain-oil', '面粉', 'Flour'),
    ('grain-noodles', 'grain-oil', '面条', 'Noodles'),
    ('grain-rice', 'grain-oil', '大米', 'Rice'),
    ('grain-edible-oil', 'grain-oil', '食用油', 'Edible oil'),
    ('bakery', '', '烘焙食品', 'Bakery'),
    ('frozen', '', '速冻食品', 'Frozen food'),
    ('dairy', '', '乳制品', 'Dairy'),
    ('beverages', '', '饮料', 'Beverages'),
    ('beverages-juice', 'beverages', '果蔬汁', 'Juice'),
    ('beverages-water', 'beverages', '包装饮用水', 'Bottled water'),
    ('beverages-tea-drinks', 'beverages', '茶饮料', 'Tea drinks'),
    ('alcohol', '', '酒类', 'Alcoholic drinks'),
    ('condiments', '', '调味品', 'Condiments'),
    ('fruit-veg', '', '果蔬', 'Fruit and vegetables'),
    ('seafood', '', '水产品', 'Seafood'),
    ('tea-coffee', '', '茶叶咖啡', 'Tea and coffee'),
    ('health', '', '保健食品', 'Health food'),
    ('machinery', '', '食品机械', 'Food machinery'),
    ('packaging', '', '食品包装', 'Food packaging'),
    ('dairy-milk', 'dairy', '液态奶', 'Liquid milk'),
    ('dairy-yogurt', 'dairy', '酸奶', 'Yogurt'),
    ('frozen-dumplings', 'frozen', '速冻水饺汤圆', 'Frozen dumplings'),
    ('frozen-meals', 'frozen', '速冻调理食品', 'Frozen prepared meals'),
    ('condiments-sauce', 'condiments', '酱料', 'Sauces'),
    ('condiments-spices', 'condiments', '香辛料', 'Spices'),
    ('bakery-bread', 'bakery', '面包糕点', 'Bread and pastries'),
    ('bakery-biscuits', 'bakery', '饼干', 'Biscuits'),
    ('meat-poultry', 'meat', '禽肉制品', 'Poultry products'),
    ('fruit-veg-dried', 'fruit-veg', '果干蔬干', 'Dried fruit and vegetables'),
]

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def _segment(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def create_taxonomy(apps, schema_editor):
    Category = apps.get_model("catalogue", "Category")
    existing = {c.slug: c for c in Category.objects.all()}
    children_count: dict[str, int] = {}
    for category in existing.values():
        parent_path = category.path[:-STEPLEN]
        children_count[parent_path] = max(children_count.get(parent_path, 0), int(category.path[-STEPLEN:], 36))
    for slug, parent_slug, name_zh, name_en in CATEGORIES:
        if slug in existing:
            category = existing[slug]
            category.name, category.name_en = name_zh, name_en
            category.save(update_fields=["name", "name_en"])
            continue
        parent = existing[parent_slug] if parent_slug else None
        parent_path = parent.path if parent else ""
        children_count[parent_path] = children_count.get(parent_path, 0) + 1
        category = Category.objects.create(
            path=parent_path + _segment(children_count[parent_path]),
            depth=(parent.depth + 1) if parent else 1,
            numchild=0,
            name=name_zh,
            name_en=name_en,
            slug=slug,
            is_public=True,
            ancestors_are_public=True,
        )
        if parent:
            parent.numchild += 1
            parent.save(update_fields=["numchild"])
        existing[slug] = category


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0033_food_fields")]

    operations = [migrations.RunPython(create_taxonomy, migrations.RunPython.noop)]
