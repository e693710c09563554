"""The shipping methods offered at checkout: one, charged per exhibitor in the basket."""

from oscar.apps.shipping import repository

from .methods import PerExhibitorShipping


class Repository(repository.Repository):
    methods = (PerExhibitorShipping(),)
