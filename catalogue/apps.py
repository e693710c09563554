"""The product catalogue: Oscar's catalogue, forked to carry food data.

Products are bilingual (Chinese title/description in Oscar's own fields, English beside
them) and carry what a food buyer asks first: shelf life, storage, origin, net content
and selling unit. Each product belongs to one exhibitor through its stock record's
partner. The category tree is the expo's bilingual food taxonomy, created by a migration.
"""

import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "catalogue"
