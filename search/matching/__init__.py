"""Matchmaking of buyers, sourcing requests and exhibitors (``match_subject``)."""

from .engine import DEFAULT_LIMIT, MAX_LIMIT, match_subject
from .subjects import SUBJECT_KINDS, UnknownSubject

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "SUBJECT_KINDS", "UnknownSubject", "match_subject"]
