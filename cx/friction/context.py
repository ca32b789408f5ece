"""What the detectors of one run share: the cursor with the friction temp tables (the filtered events read once,
their sessions), the funnel steps present, the value of a conversion, and frames computed once."""

from __future__ import annotations

import pandas as pd

from ..funnel import ECOMMERCE_EVENTS, PAGE_EVENTS
from ..journey import EVENT_ROLES, session_params
from ..models import Filters
from ..money import currency_in_scope
from ..preload import preload
from ..workspace import Workspace, bind_params, sql_file

ERROR_PATTERN = r"error|erreur|bug|fail|echec|échec|crash|exception|declin|refus"
# the e-commerce funnel, in order; the first present name of each row is a step (add_shipping_info is GA4's
# shipping step, between checkout and payment)
FUNNEL_CANDIDATES = (
    ECOMMERCE_EVENTS[0],
    ECOMMERCE_EVENTS[1],
    ECOMMERCE_EVENTS[2],
    ("add_shipping_info", "shipping_info_entered", "add_shipping", "livraison"),
    ECOMMERCE_EVENTS[3],
    ECOMMERCE_EVENTS[4],
)
# the event names the detectors ask a session about (its funnel steps, whether it bought): a session keeps which of
# them it contains as one bit each (fr_sessions.name_set), so there are at most 64
TRACKED_NAMES = tuple(dict.fromkeys(name for row in (*FUNNEL_CANDIDATES, EVENT_ROLES["purchase"]) for name in row))


class Context:
    """What the detectors of one run share: the cursor with the friction temp tables, the funnel steps and the
    purchase event the data has, the value of a conversion, and the frames several detectors read (`once`)."""

    def __init__(self, ws: Workspace, cur, filters: Filters):
        self.ws, self.cur, self.filters = ws, cur, filters
        preload("scipy.special")  # the statistics' (stats.gammaln): imported beside the queries below
        self._cache = {}
        self.params = {
            **session_params(filters),
            "page_view_events": list(PAGE_EVENTS),
            "purchase_events": list(EVENT_ROLES["purchase"]),
            "tracked_names": list(TRACKED_NAMES),
            "error_pattern": ERROR_PATTERN,
            "dwell_seconds": 60.0,
        }
        # the filtered events are read once into a narrow copy with their session and visitor keys and integer
        # ids of their name, page path, device, channel and country (fr_keyed), summarised into the sessions
        # (fr_sessions, which keep the ids and which TRACKED_NAMES they contain, one bit each), whose distinct sets
        # of tracked names are spelt out once (fr_name_sets); the detectors read them and small aggregates of them,
        # and spell the ids out after grouping
        for name, table in (
            ("friction_visitors.sql", "fr_visitors"),
            ("friction_names.sql", "fr_names"),
            ("friction_paths.sql", "fr_paths"),
            ("friction_dims.sql", "fr_dims"),
            ("friction_keyed.sql", "fr_keyed"),
        ):
            self.run(name, prefix=f"create or replace temp table {table} as ")
        self.run("friction_sessions.sql", prefix="create or replace temp table fr_sessions as ")
        self.run("friction_name_sets.sql", prefix="create or replace temp table fr_name_sets as ")
        self.sessions, names = self.run("friction_overview.sql").fetchall()[0]
        names = set(names or ())
        self.steps = tuple(
            next(n for n in row if n in names) for row in FUNNEL_CANDIDATES if any(n in names for n in row)
        )
        self.purchase = next((n for n in EVENT_ROLES["purchase"] if n in names), None)
        value = self.run("friction_value.sql").fetchall()[0]
        web_n, web_rev, priced_web_n, priced_web_rev, orders, order_rev, priced_orders, priced_rev = value
        if priced_orders:  # orders of no currency beside orders with one: set apart (cx.money)
            orders, order_rev = priced_orders, priced_rev
        # web revenue of no currency beside money with one (web or orders): set apart too, as every other sum of
        # money does (cx.money); the value then comes from the sessions whose revenue has a currency
        web_source = "web"
        if (priced_orders or priced_web_n) and (web_n, web_rev) != (priced_web_n, priced_web_rev):
            web_n, web_rev, web_source = priced_web_n, priced_web_rev, "web_priced"
        self.currency = currency_in_scope(cur, filters)
        if self.currency.mixed:  # amounts in several currencies: a value per conversion would add them up
            self.value, self.value_source = None, None
        elif web_n and web_n >= 10:
            self.value, self.value_source = float(web_rev) / web_n, web_source
        elif orders:
            self.value, self.value_source = float(order_rev) / orders, "orders"
        else:
            self.value, self.value_source = None, None

    def run(self, name: str, extra: dict | None = None, prefix: str = ""):
        sql = sql_file(name)
        return self.cur.execute(prefix + sql, bind_params(sql, {**self.params, **(extra or {})}))

    def df(self, name: str, extra: dict | None = None) -> pd.DataFrame:
        return self.run(name, extra).df()

    def once(self, name: str, compute):
        """compute(), computed once per run and shared by the detectors that need it."""
        if name not in self._cache:
            self._cache[name] = compute()
        return self._cache[name]

    def step_daily(self, step_from: str, step_to: str, dim: str) -> pd.DataFrame:
        """Per day and group of `dim`, the sessions containing step_from (n) and those also containing step_to
        (x), ordered by group and day (friction_step_daily.sql, one query for every step and dimension)."""
        # the query's rows split once by (step_from, step_to, dim), each part in the query's order: the detectors
        # ask for 20 to 30 slices, and masking the whole frame for each cost more than the query at 5M events
        parts = self.once("step_daily", self._step_daily_parts)
        return parts.get((step_from, step_to, dim), parts[None]).copy()

    def _step_daily_parts(self) -> dict:
        every = self.df(
            "friction_step_daily.sql", {"steps_from": list(self.steps[:-1]), "steps_to": list(self.steps[1:])}
        )
        columns = ["day", "g", "n", "x"]
        parts = {
            key: part[columns].reset_index(drop=True)
            for key, part in every.groupby(["step_from", "step_to", "dim"], sort=False)
        }
        parts[None] = every[columns].iloc[0:0].reset_index(drop=True)  # a slice nothing falls in
        return parts

    def downstream(self, step: str) -> float:
        """Share of sessions containing `step` that also contain the purchase (1 for the purchase itself)."""
        if self.purchase is None or step == self.purchase:
            return 1.0
        n, x = self.run("friction_conversion.sql", {"step": step, "purchase": self.purchase}).fetchall()[0]
        return x / n if n else 0.0

    def affected(self, kind: str, **values) -> pd.DataFrame:
        """The visitors behind a finding (friction_affected.sql: `kind` and its values); their ids are spelt out
        through fr_visitor_ids, built on the first call of the run."""
        self.once(
            "visitor_ids",
            lambda: self.run("friction_visitor_ids.sql", prefix="create or replace temp table fr_visitor_ids as "),
        )
        extra = {
            "kind": kind,
            "dim": "all",
            "value": None,
            "from_day": None,
            "to_day": None,
            "step_from": None,
            "step_to": None,
            "name": None,
            "path": None,
            **values,
        }
        return self.df("friction_affected.sql", extra)
