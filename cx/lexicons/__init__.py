"""Curated FR/EN lexicons shipped with Parcours (no download): verbatim themes and tone."""
