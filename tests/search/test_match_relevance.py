"""Matchmaking relevance on judged subjects (tests/data/relevance/matches.yaml): the
counterparts a buyer or exhibitor should see first do come first."""

import pytest

from benchmarks.relevance_match import evaluate, load_cases, load_data

pytestmark = pytest.mark.django_db

MIN_PRECISION_AT_5 = 0.90
MIN_NDCG_AT_10 = 0.85


def test_judgments_cover_enough_subjects_of_every_kind():
    cases = load_cases()
    assert len(cases) >= 15
    assert {c["subject"]["kind"] for c in cases} == {"buyer", "request", "exhibitor"}
    names = " ".join(c["name"] for c in cases)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in names) and "LLP" in names  # Chinese and foreign


def test_matching_meets_the_minimum_figures():
    load_data()
    figures = evaluate()
    weakest = sorted(figures["per_subject"], key=lambda row: row["ndcg@10"])[:3]
    assert figures["precision@5"] >= MIN_PRECISION_AT_5, weakest
    assert figures["ndcg@10"] >= MIN_NDCG_AT_10, weakest
    assert all(row["precision@5"] >= 0.6 for row in figures["per_subject"]), weakest
