"""The labelled relevance set keeps its minimum figures on the database backend, so a ranking
regression fails here (benchmarks/relevance.py prints the same figures per backend)."""

import pytest
from django.core.management import call_command

from benchmarks.relevance import QUERIES, evaluate, load_queries, ndcg_at, precision_at, summary
from search.backends import get_backend

pytestmark = pytest.mark.django_db

MIN_PRECISION_AT_5 = 0.95
MIN_NDCG_AT_10 = 0.93


def test_the_relevance_set_is_large_enough_and_bilingual():
    judged = load_queries()
    assert len(judged) >= 40
    assert {"zh", "en"} <= {item.lang for item in judged}
    assert all(2 in item.grades.values() for item in judged), "every query names what should come first"
    assert QUERIES.name == "queries.yaml"


def test_metrics():
    grades = {"a": 2, "b": 1, "c": 2}
    assert precision_at(["a", "x", "c", "y", "z"], grades) == pytest.approx(2 / 3)
    assert ndcg_at(["a", "c", "b"], grades) == pytest.approx(1.0)
    assert ndcg_at(["b", "a", "c"], grades) < 1.0
    assert ndcg_at([], grades) == 0.0


def test_database_backend_keeps_its_relevance(settings):
    settings.ELASTICSEARCH_URL = ""
    call_command("load_demo", verbosity=0)
    scored = evaluate(get_backend())
    figures = summary(scored)
    worst = sorted(scored, key=lambda s: (s.ndcg_at_10, s.precision_at_5))[:5]
    report = ", ".join(f"{s.query}: P@5 {s.precision_at_5:.2f} nDCG {s.ndcg_at_10:.2f}" for s in worst)
    assert figures["precision@5"] >= MIN_PRECISION_AT_5, report
    assert figures["ndcg@10"] >= MIN_NDCG_AT_10, report
