"""The global filters in the sidebar, kept in the URL (`?from=2025-09-01&to=…&device=mobile`) so a view
can be shared by copying the link."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ..filters import filter_options
from ..i18n import dimension_value
from ..models import Filters
from . import lang, tr
from .cache import analysis

DIMENSIONS = ("device", "channel", "segment")


def _url_date(key: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(st.query_params.get(key, ""))
    except ValueError:
        return None


def sidebar_filters() -> Filters:
    """Draw the filters (first run: read from the URL) and return them."""
    # every run of every analysis page draws the sidebar: its options (the data's days, the values of each dimension,
    # a scan of the events) come from the cache, and from the background run's stored result on a first view
    options = analysis(filter_options)
    side = st.sidebar
    side.markdown(f"**{tr('filters.title')}**")
    if options["first"] is None:
        side.caption(tr("filters.no_data"))
        return Filters()
    if "filter_dates" not in st.session_state:
        start = _url_date("from") or options["first"]
        end = _url_date("to") or options["last"]
        st.session_state["filter_dates"] = (max(start, options["first"]), min(end, options["last"]))
    dates = side.date_input(
        tr("filters.period"),
        key="filter_dates",
        min_value=options["first"],
        max_value=options["last"],
        format="DD/MM/YYYY",
        help=tr("filters.period_help"),
    )
    start, end = (dates + (None, None))[:2] if isinstance(dates, tuple) else (dates, dates)
    chosen = {}
    for dim in DIMENSIONS:
        values = options[dim]
        if f"filter_{dim}" not in st.session_state:
            from_url = st.query_params.get(dim)
            st.session_state[f"filter_{dim}"] = from_url if from_url in values else None
        keep_choice(f"filter_{dim}", lang())  # the labels follow the language, the values do not
        chosen[dim] = side.selectbox(
            tr(f"filters.{dim}"),
            values,
            key=f"filter_{dim}",
            index=None,
            format_func=lambda value, dim=dim: dimension_value(dim, value, lang()),  # "desktop" → "Ordinateur"
            placeholder=tr("filters.all"),
            disabled=not values,
            help=tr(f"filters.{dim}_help"),
        )
    personas = options["persona"]
    if "filter_persona" not in st.session_state:
        from_url = st.query_params.get("persona", "")
        st.session_state["filter_persona"] = int(from_url) if from_url.isdigit() and int(from_url) in personas else None
    chosen["persona"] = side.selectbox(
        tr("filters.persona"),
        list(personas),
        key="filter_persona",
        index=None,
        format_func=personas.get,
        placeholder=tr("filters.all"),
        disabled=not personas,
        help=tr("filters.persona_help"),
    )
    filters = Filters(start=start, end=end or start, **chosen)
    _write_url(filters, options)
    return filters


def _write_url(filters: Filters, options: dict) -> None:
    wanted = {
        "from": filters.start.isoformat() if filters.start and filters.start != options["first"] else None,
        "to": filters.end.isoformat() if filters.end and filters.end != options["last"] else None,
        **{d: getattr(filters, d) for d in DIMENSIONS},
        "persona": str(filters.persona) if filters.persona is not None else None,
    }
    for key, value in wanted.items():
        if value is None:
            st.query_params.pop(key, None)
        elif st.query_params.get(key) != value:
            st.query_params[key] = value


def whole_period() -> Filters:
    """The filters of a page nobody has narrowed (every day the data cover, no segment): what `sidebar_filters`
    returns on a first visit, so a page outside the filters (the Overview) shares the cached analyses of the
    pages that have them. Its days are the sidebar's (`filter_options`, cached and stored: not a scan of every
    table on each run), those of `cx.filters.full_period`, which the background run and the command line use."""
    options = analysis(filter_options)
    return Filters(start=options["first"], end=options["last"])


def current_filters() -> Filters:
    """The filters app.py drew for this run (tests set `st.session_state["filters"]` directly)."""
    return st.session_state.get("filters", Filters())


def keep_choice(key: str, *labels_depend_on) -> None:
    """Call before drawing a choice widget whose option labels carry numbers or words that change with
    `labels_depend_on` (the filters, the language…). Streamlit knows a chosen option by its label: after such a
    change the browser would send back the old labels, which match no option, and the widget would return
    them as if they were values (the funnel then counted the visitors of a step named "view_item (13,549)":
    0). Giving the widget its value again from Python sends the browser the new labels."""
    seen = f"{key}.labels_depend_on"
    if st.session_state.get(seen, labels_depend_on) != labels_depend_on and key in st.session_state:
        st.session_state[key] = st.session_state[key]
    st.session_state[seen] = labels_depend_on
