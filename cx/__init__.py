"""Parcours: turn analytics, CRM and survey exports into an honest picture of the customer experience."""

__version__ = "0.1.0"
