"""The Elasticsearch backend, through elasticsearch-dsl (``elasticsearch.dsl``, client 8.x).

One index per kind (products, exhibitors, buyers, requests), each a version
(``foodexpo-product-20261127T031500123456``) behind an alias (``foodexpo-product``): a full
rebuild fills a new version while the alias still serves the old one, then moves the alias
in one atomic call and drops the old version, so searching never stops. Changes drained
between rebuilds go to every version that exists, the one being built included.

Text fields carry two analysed sub-fields: ``.zh`` (standard tokenizer, CJK width folding,
CJK bigrams with unigrams, so 辣条 is found inside 卫龙大面筋辣条 and a single character
still matches) and ``.en`` (English stemming); ``.cn`` adds the smartcn word segmenter when
the cluster has the ``analysis-smartcn`` plugin. Chinese terms are matched as phrases on
``.zh`` (the characters in that order), Latin words on ``.en`` and the plain field, as the
database backend does. Facets are aggregations; certificates are nested with their end
date, so a certificate stops counting the day after it runs out without reindexing.
"""

from .backend import ElasticsearchBackend
from .mapping import MAX_WINDOW, POST, PRE, index_body, source
from .queries import mark

__all__ = ["MAX_WINDOW", "POST", "PRE", "ElasticsearchBackend", "index_body", "mark", "source"]
