"""The customer journey: stage rules, sessions, stage KPIs against the previous period, workshop notes.

Five stages (CX_REFERENCE.md §1): awareness, consideration, purchase, retention, advocacy. Every event, order,
ticket and survey response is assigned to one stage by a visible, editable rule table stored in the workspace
(`journey_stage_rules`). Stages are computed at query time — the rules are bound to the SQL as a list — so
changing a rule needs no re-import, and an edited table can be previewed before it is saved.

Rule semantics (`MATCH_TYPES`): rules are tried by `rule_order`, lowest first, and the first enabled rule that
matches a record gives its stage; a record no rule matches has no stage ("unassigned"). Event names and page
patterns are compared lower-case; the list rules (`event`, `page_equals`, `page_prefix`, `page_contains`) hold
comma-separated alternatives; page rules look at the page *path* (no scheme, host, query or trailing slash, so
`https://www.shop.fr/Panier?x=1` is `/panier`). Regex rules use RE2 syntax, case-insensitive, and search
anywhere in the text (a plain word works as "contains"); for ticket and response rules an empty pattern
matches every record of that kind.

Sessions (`find_sessions`): when the export has a session id the session is (visitor_id, session_id) — GA4's
ga_session_id is unique per visitor only; otherwise a new session starts after more than `gap_minutes` (30)
of inactivity; exactly 30 minutes still continues the session.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from . import keys
from .asof import as_of_date
from .coverage import filled
from .errors import CxError
from .models import Filters
from .stats import MIN_SAMPLE
from .workspace import Workspace, bind_params, sql_file

STAGES = ("awareness", "consideration", "purchase", "retention", "advocacy")

#: match_type → the kind of record it looks at.
MATCH_TYPES = {
    "event": "events",             # the event name is one of the comma-separated names
    "page_equals": "events",       # the page path is one of the comma-separated paths ("/" = home page)
    "page_prefix": "events",       # the page path starts with one of the comma-separated prefixes
    "page_contains": "events",     # the page path contains one of the comma-separated fragments
    "page_regex": "events",        # the page path matches the regular expression
    "order_first": "orders",       # a customer's first order (no pattern)
    "order_repeat": "orders",      # any later order of the customer (no pattern)
    "ticket_category": "tickets",  # the ticket category matches the regex (empty: every ticket)
    "response_stage": "responses",       # the response's own stage column matches the regex
    "response_touchpoint": "responses",  # the response's touchpoint matches the regex (empty: every response)
    "response_nps": "responses",   # a response with an NPS answer (no pattern)
}
LIST_MATCHES = ("event", "page_equals", "page_prefix", "page_contains")
REGEX_MATCHES = ("page_regex", "ticket_category", "response_stage", "response_touchpoint")
NO_PATTERN = ("order_first", "order_repeat", "response_nps")
RULE_COLUMNS = ["rule_order", "match_type", "pattern", "stage", "enabled"]

# GA4 recommended/automatic events, Universal Analytics and Matomo names, common French custom events.
DEFAULT_RULES = (
    ("event", "purchase, add_to_cart, remove_from_cart, view_cart, begin_checkout, add_shipping_info, "
              "add_payment_info, payment_error, checkout_progress, ecommerceorder, ecommerceabandonedcart, "
              "ajout_panier, ajout_au_panier, achat, paiement, erreur_paiement", "purchase"),
    ("event", "share, review, write_review, submit_review, referral, refer_a_friend, invite, avis, partage, "
              "parrainage, recommandation", "advocacy"),
    ("event", "login, refund, connexion, remboursement", "retention"),
    ("event", "view_item, view_item_list, select_item, search, view_search_results, add_to_wishlist, "
              "generate_lead, sign_up, file_download, download, recherche, vue_produit, inscription, ajout_favoris",
     "consideration"),
    ("event", "first_visit, session_start, view_promotion, select_promotion, ad_impression, ad_click",
     "awareness"),
    ("page_equals", "/, /fr, /en, /accueil, /home, /index.html", "awareness"),
    ("page_contains", "/compte, /account, /aide, /help, /faq, /support, /contact, /sav, /suivi, /retour, "
                      "/returns, /connexion, /login", "retention"),
    ("page_contains", "/avis, /review, /parrainage, /referral, /temoignage, /testimonial", "advocacy"),
    ("page_contains", "/panier, /cart, /basket, /commande, /checkout, /paiement, /payment", "purchase"),
    ("page_contains", "/produit, /product, /categorie, /category, /collection, /recherche, /search, /catalogue, "
                      "/boutique, /shop, /compar, /guide", "consideration"),
    ("page_contains", "/blog, /magazine, /inspiration, /actualite, /news, /journal, /landing, /lp/",
     "awareness"),
    ("order_first", None, "purchase"),
    ("order_repeat", None, "retention"),
    ("ticket_category", "paiement|payment|commande|checkout|panier|cart", "purchase"),
    ("ticket_category", None, "retention"),
    ("response_stage", "avant[- ]achat|pr[ée][- ]achat|sensibilisation|awareness|notori|d[ée]couverte",
     "awareness"),
    ("response_stage", "post[- ]achat|fid[ée]li|retention|r[ée]tention|retour|loyal|sav|support", "retention"),
    ("response_stage", "recommand|advocacy|ambassad|avis|review", "advocacy"),
    ("response_stage", "[ée]valuation|consid[ée]ration|comparaison", "consideration"),
    ("response_stage", "achat|purchase|conversion|commande|checkout", "purchase"),
    ("response_touchpoint", "sav|support|service client|customer service|livraison|delivery|retour|return",
     "retention"),
    ("response_touchpoint", "achat|purchase|commande|order|checkout|paiement|payment|caisse", "purchase"),
    ("response_touchpoint", "site|web|produit|product|catalogue", "consideration"),
    ("response_touchpoint", r"\bpub|\bads?\b|campagne|campaign|newsletter|blog|social", "awareness"),
    ("response_nps", None, "advocacy"),
)

#: Lower-case event names that play a role in the KPIs (GA4 first, then UA, Matomo and French custom names).
#: Matomo's visit log names its action types: 'action' is a page view, 'ecommerceOrder' an order.
EVENT_ROLES = {
    "page_view": ("page_view", "pageview", "screen_view", "vue_page", "page_vue", "action"),
    "product_view": ("view_item", "view_product", "product_view", "vue_produit"),
    "cart": ("add_to_cart", "addtocart", "ajout_panier", "ajout_au_panier"),
    "checkout": ("begin_checkout", "checkout", "debut_commande"),
    "payment_info": ("add_payment_info", "paiement"),
    "payment_error": ("payment_error", "payment_failed", "erreur_paiement", "paiement_refuse"),
    "purchase": ("purchase", "ecommerce_purchase", "transaction", "order_completed", "ecommerceorder", "achat"),
    "lead": ("generate_lead", "sign_up", "lead", "inscription", "demande_devis"),
    "ad_impression": ("ad_impression", "ad_view"),
    "ad_click": ("ad_click", "click_ad"),
}
CANCELLED_STATUSES = ("cancelled", "canceled", "annulée", "annulee", "annulé", "annule", "abandoned",
                      "abandonnée", "abandonnee", "voided", "void")
RETURNED_STATUSES = ("returned", "retournée", "retournee", "retourné", "retourne", "refunded", "remboursée",
                     "remboursee", "remboursé", "rembourse", "retour")
#: The count in each KPI query's row saying the source has records in the period (after the filters): a figure
#: without value whose source is loaded but has no such record in either period was filtered out.
RECORDS = {"events": "sessions", "orders": "records", "tickets": "tickets", "responses": "responses"}
FILTERED_OUT = "journey.reason.filtered_out"
ENGAGED_SECONDS = 10


# --- SQL ------------------------------------------------------------------------------------------------

#: The name friction and personas load their queries by; `cx.workspace.sql_file` is the one loader.
journey_sql = sql_file


def _query(ws: Workspace, name: str, params: dict, cur=None) -> pd.DataFrame:
    sql = sql_file(name)
    try:
        if cur is not None:
            return cur.execute(sql, bind_params(sql, params)).df()
        with ws.cursor() as own:
            return own.execute(sql, bind_params(sql, params)).df()
    except duckdb.InvalidInputException as e:
        # rules are checked when saved; a pattern written to the table some other way still gets a sentence
        if "regex" in str(e).lower() or "regular expression" in str(e).lower() or "missing" in str(e).lower():
            raise CxError("a stage rule has a pattern that is not a valid regular expression",
                          fix="correct it in the stage rules table of the Journey page, or reset the rules") from None
        raise


def role_params() -> dict:
    """The event-role lists bound by the session and KPI queries: `$page_view_events`, `$cart_events`…"""
    return {f"{role}_events": list(names) for role, names in EVENT_ROLES.items()}


def session_params(filters: Filters | None = None, gap_minutes: float = 30, split: dt.date | None = None) -> dict:
    """Everything `sessions_sql()` and `session_events_sql()` may bind: the filters' values, `$gap_seconds`,
    `$split` and the role lists; pass them through `bind_params(sql, …)` (with your own values added)."""
    if gap_minutes <= 0:
        raise CxError("the session timeout must be a positive number of minutes", fix="use e.g. 30")
    return {**(filters or Filters()).params(), "gap_seconds": float(gap_minutes) * 60, "split": split,
            **role_params()}


def session_events_sql() -> str:
    """SQL of the filtered events (every column of `events` but import_id and properties) with `current` and
    `session_no`: (visitor_id, current, session_id, session_no) identifies the session (session_no numbers the
    inactivity sessions of a visitor and is null when the export gave a session id). Bind
    `session_params(filters)`. For queries that need event-level detail per session."""
    return sql_file("journey_session_events.sql")


def sessions_sql() -> str:
    """SQL of one row per session (the columns of `find_sessions`); bind `session_params(filters)`."""
    return sql_file("journey_sessions.sql")


def find_sessions(ws: Workspace, filters: Filters | None = None, gap_minutes: float = 30) -> pd.DataFrame:
    """Sessions of the web events kept by the filters (date range, device, channel).

    The session is (visitor_id, session_id) when the export has a session id, else a new one starts after
    more than `gap_minutes` of inactivity (exactly `gap_minutes` continues it). Sessions are cut at the
    period's edges.

    Returns
    -------
    DataFrame, one row per session, by visitor then start: visitor_id, session_id (the export's id, or
    '~n' for the visitor's n-th inactivity session), session_start, session_end, duration_s, events,
    page_views (page_view-like events, `EVENT_ROLES`), pages (distinct pages), bounced (at most one page
    view), device and channel (of the first event that has one), customer_id, entry_page, exit_page
    (first and last page seen), revenue (sum).
    """
    with ws.cursor() as cur:
        df = _query(ws, "journey_sessions.sql", session_params(filters, gap_minutes), cur)
    return df.drop(columns="current").sort_values(["visitor_id", "session_start"], ignore_index=True)


# --- stage rules ----------------------------------------------------------------------------------------

def default_stage_rules() -> pd.DataFrame:
    """The FR/EN default rules (GA4, Matomo and French/English page names), with rule_order 10, 20, …"""
    return pd.DataFrame([{"rule_order": 10 * (i + 1), "match_type": m, "pattern": p, "stage": s, "enabled": True}
                         for i, (m, p, s) in enumerate(DEFAULT_RULES)], columns=RULE_COLUMNS)


def stage_rules(ws: Workspace) -> pd.DataFrame:
    """The workspace's stage rules (seeded with the defaults on first use).

    Returns
    -------
    DataFrame: rule_order (int), match_type (see `MATCH_TYPES`), pattern (text or None), stage (one of
    `STAGES`), enabled (bool); sorted by rule_order.
    """
    with ws.cursor() as cur:
        seeded = cur.execute("select count(*) from cx_meta where key = 'journey_rules_seeded'").fetchall()[0][0]
    if not seeded:
        _write_rules(ws, default_stage_rules())
    with ws.cursor() as cur:
        df = cur.execute("select rule_order, match_type, pattern, stage, enabled from journey_stage_rules "
                         "order by rule_order, rowid").df()
    return df.astype({"rule_order": "int64", "enabled": "bool"})


def _write_rules(ws: Workspace, rules: pd.DataFrame) -> None:
    rows = [(int(r.rule_order), r.match_type, None if pd.isna(r.pattern) else str(r.pattern), r.stage,
             bool(r.enabled)) for r in rules.itertuples()]
    with ws.transaction() as cur:
        cur.execute("delete from journey_stage_rules")
        if rows:
            cur.executemany("insert into journey_stage_rules values (?, ?, ?, ?, ?)", rows)
        keys.upsert(cur, "cx_meta", {"key": "journey_rules_seeded", "value": "1"}, ("key",))


def check_stage_rules(ws: Workspace, rules: pd.DataFrame) -> pd.DataFrame:
    """Validate an edited rule table and return it clean: blank rows dropped, patterns trimmed (None when
    empty), rule_order renumbered 10, 20, … in the given order (ties keep their row order), enabled a bool.
    Raises CxError listing every problem (row number, what is wrong) so the user fixes them in one go."""
    frame = rules.reindex(columns=RULE_COLUMNS).copy()
    frame = frame[~frame[["match_type", "pattern", "stage"]].isna().all(axis=1)]
    problems = []
    clean = []
    for n, row in enumerate(frame.itertuples(index=False), start=1):
        pattern = None if pd.isna(row.pattern) or not str(row.pattern).strip() else str(row.pattern).strip()
        if row.match_type not in MATCH_TYPES:
            problems.append(f"row {n}: unknown match type {row.match_type!r}")
        elif row.match_type in LIST_MATCHES + ("page_regex",) and pattern is None:
            problems.append(f"row {n}: {row.match_type} needs a pattern")
        elif row.match_type in REGEX_MATCHES and pattern is not None and not _valid_regex(ws, pattern):
            problems.append(f"row {n}: {pattern!r} is not a valid regular expression")
        if row.stage not in STAGES:
            problems.append(f"row {n}: unknown stage {row.stage!r} (expected one of {', '.join(STAGES)})")
        order = pd.to_numeric(row.rule_order, errors="coerce")
        clean.append({"rule_order": float("inf") if pd.isna(order) else float(order), "position": n,
                      "match_type": row.match_type, "pattern": None if row.match_type in NO_PATTERN else pattern,
                      "stage": row.stage, "enabled": bool(True if pd.isna(row.enabled) else row.enabled)})
    if problems:
        raise CxError("the stage rules were not saved: " + "; ".join(problems),
                      fix="correct these rows, or reset the rules to the defaults")
    out = pd.DataFrame(clean, columns=["rule_order", "position", *RULE_COLUMNS[1:]])
    out = out.sort_values(["rule_order", "position"], kind="stable").drop(columns="position")
    out["rule_order"] = range(10, 10 * len(out) + 1, 10)
    return out.reset_index(drop=True).astype({"rule_order": "int64", "enabled": "bool"})


def _valid_regex(ws: Workspace, pattern: str) -> bool:
    with ws.cursor() as cur:
        try:
            cur.execute("select regexp_matches('', '(?i)' || $p)", {"p": pattern}).fetchall()
            return True
        except duckdb.Error:  # DuckDB's RE2 refused it
            return False


def save_stage_rules(ws: Workspace, rules: pd.DataFrame) -> pd.DataFrame:
    """Check (`check_stage_rules`) and store an edited rule table; returns what was stored."""
    clean = check_stage_rules(ws, rules)
    _write_rules(ws, clean)
    return clean


def reset_stage_rules(ws: Workspace) -> pd.DataFrame:
    """Replace the rules by the defaults; returns them."""
    rules = default_stage_rules()
    _write_rules(ws, rules)
    return rules


def rules_key(rules: pd.DataFrame) -> tuple:
    """The enabled rules as a hashable tuple of (rule_order, match_type, pattern, stage): the `rules`
    argument of the analyses below, so a cached result follows the rule table."""
    enabled = rules[rules["enabled"].astype(bool)]
    return tuple((int(r.rule_order), str(r.match_type), None if pd.isna(r.pattern) else str(r.pattern), str(r.stage))
                 for r in enabled.itertuples())


def _rules_param(ws: Workspace, rules: tuple | None) -> list[dict]:
    if rules is None:
        rules = rules_key(stage_rules(ws))
    bound = [{"rule_order": o, "match_type": m, "pattern": p, "stage": s} for o, m, p, s in rules]
    # a rule that never matches keeps the list's type known when the table is empty (text, not NULL: DuckDB 1.5
    # types a NULL-only struct field INTEGER)
    return bound or [{"rule_order": 0, "match_type": "none", "pattern": "", "stage": ""}]


def assign_stages(ws: Workspace, filters: Filters | None = None, rules: tuple | None = None) -> pd.DataFrame:
    """The stage of each distinct (event name, page) of the filtered web events under the rules (the stored
    ones when `rules` is None).

    Returns
    -------
    DataFrame: event_name, page (None when the event has none), path (page without scheme, host, query or
    trailing slash, lower-case), stage (None: no rule matches), rule_order (of the matching rule), events
    (count); most frequent first. Join it to `events` on event_name and coalesce(page, '').
    """
    params = {**(filters or Filters()).params(), "rules": _rules_param(ws, rules)}
    df = _query(ws, "journey_event_keys.sql", params)
    df = df.rename(columns={"page_key": "page"})
    df["page"] = df["page"].replace("", None)
    return df.sort_values(["events", "event_name"], ascending=[False, True], ignore_index=True)


def event_stages_sql() -> str:
    """SQL of `assign_stages` (with `page_key` = coalesce(page, '')), to join inside another query; bind
    `$rules` (`stage_rules_param(ws)`) and the filters' values."""
    return sql_file("journey_event_keys.sql")


def stage_rules_param(ws: Workspace, rules: tuple | None = None) -> list[dict]:
    """The `$rules` value for `event_stages_sql()` (the stored rules when `rules` is None)."""
    return _rules_param(ws, rules)


def find_touchpoints(ws: Workspace, filters: Filters | None = None, rules: tuple | None = None,
                     top: int = 3) -> pd.DataFrame:
    """What each stage is made of: the most frequent touchpoints of each kind the rules assign to it.

    Returns
    -------
    DataFrame: stage (None: records no rule assigns), kind ('event' name, 'page' section such as
    '/produit/…', 'order' channel, 'ticket' channel, 'survey' touchpoint), touchpoint, n (records); at most
    `top` per (stage, kind), by stage order, kind, then n descending. Page-view events are left out of
    'event' (their pages say more).
    """
    params = {**(filters or Filters()).params(), "rules": _rules_param(ws, rules)}
    df = _query(ws, "journey_touchpoints.sql", params)
    df = df[df["touchpoint"].notna() & ~((df["kind"] == "event")
                                        & df["touchpoint"].str.lower().isin(EVENT_ROLES["page_view"]))]
    df = df.assign(order=df["stage"].map({s: i for i, s in enumerate(STAGES)}).fillna(len(STAGES)),
                   kind_order=df["kind"].map({k: i for i, k in enumerate(("event", "page", "order", "ticket",
                                                                              "survey"))}))
    df = df.sort_values(["order", "kind_order", "n", "touchpoint"], ascending=[True, True, False, True])
    df = df.groupby(["order", "kind_order"], dropna=False).head(top)
    return df[["stage", "kind", "touchpoint", "n"]].astype({"n": "int64"}).reset_index(drop=True)


# --- stage KPIs -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Kpi:
    """One figure of the journey map. `value` is None when the data cannot give it, and `reason` is then
    the i18n key saying why (e.g. "journey.reason.no_orders"). `unit`: count | percent (0–100) | ratio |
    seconds | hours | currency | nps (−100…+100). `better`: which way a change is good (higher | lower |
    neutral). `previous` is the same figure over the previous period of equal length (None: no data then)."""
    key: str
    label: str
    value: float | None
    unit: str
    previous: float | None = None
    reason: str | None = None
    better: str = "higher"

    def as_dict(self) -> dict:
        return {"key": self.key, "label": self.label, "value": self.value, "unit": self.unit,
                "previous": self.previous, "reason": self.reason}


@dataclass(frozen=True)
class Satisfaction:
    """Survey satisfaction of the responses the rules assign to a stage (current period)."""
    responses: int
    csat: float | None  # share of top-2-box answers × 100
    csat_n: int
    nps: float | None   # %promoters − %detractors
    nps_n: int

    @property
    def low_sample(self) -> bool:
        return self.responses < MIN_SAMPLE


@dataclass(frozen=True)
class StageKpis:
    stage: str
    kpis: tuple[Kpi, ...]
    satisfaction: Satisfaction | None = None

    def kpi(self, key: str) -> Kpi:
        return next(k for k in self.kpis if k.key == key)


@dataclass(frozen=True)
class Periods:
    """The period shown and the previous one of equal length just before it (e.g. 1–30 Sept vs 2–31 Aug)."""
    start: dt.date | None
    end: dt.date | None
    previous_start: dt.date | None
    previous_end: dt.date | None


def compare_periods(start: dt.date, end: dt.date) -> Periods:
    """`start`..`end` (inclusive) and the previous period of the same number of days."""
    days = (end - start).days + 1
    return Periods(start, end, start - dt.timedelta(days=days), start - dt.timedelta(days=1))


def journey_periods(ws: Workspace, filters: Filters | None = None) -> Periods:
    """The filters' period (an open start closed by the first day with data, an open end by the data's as-of
    day, `cx.asof`) and the previous one."""
    with ws.cursor() as cur:
        return _periods(ws, cur, filters or Filters())[0]


def _periods(ws: Workspace, cur, filters: Filters) -> tuple[Periods, pd.DataFrame]:
    span = _query(ws, "journey_span.sql", {}, cur)
    start = filters.start or span["first"].dropna().min()
    end = filters.end or as_of_date(cur)  # the data's as-of day (cx.asof), never today
    if pd.isna(start) or pd.isna(end):
        return Periods(None, None, None, None), span
    return compare_periods(pd.Timestamp(start).date(), pd.Timestamp(end).date()), span


def _ratio(num, den, scale: float = 100.0):
    if num is None or den is None or pd.isna(num) or pd.isna(den) or den == 0:
        return None
    return float(num) / float(den) * scale


class _NoRows(dict):
    """The row of a period without any record: every count is 0, a median has no value."""

    def __missing__(self, key):
        return None if key == "resolution_hours" else 0


def _rows(df: pd.DataFrame) -> dict:
    """{True: current row, False: previous row} as dicts (a period without records → zeros)."""
    return {flag: (df[df["current"] == flag].iloc[0].to_dict() if (df["current"] == flag).any() else _NoRows())
            for flag in (True, False)}


def find_stage_kpis(ws: Workspace, filters: Filters | None = None, rules: tuple | None = None,
                    gap_minutes: float = 30) -> list[StageKpis]:
    """The KPIs of each journey stage (CX_REFERENCE.md §1) over the filtered period, each with its value over
    the previous period of equal length (`journey_periods`).

    Web figures honour date, device and channel (events are anonymous: the segment does not filter them);
    order, ticket and survey figures honour date and segment. A figure the data cannot give is None with the
    i18n key of the reason. Definitions (sessions from `find_sessions`):

    - every stage: stage_visitors = visitors with at least one event the rules assign to the stage;
    - awareness: visits (sessions), unique_visitors, new_visitor_share (first event of the whole log in the
      period), bounce_rate (sessions with at most one page view), ad_impressions, ctr (ad clicks /
      impressions) — the last two only when ad events exist (`EVENT_ROLES`);
    - consideration: pages_per_session (page views / sessions), time_on_site (mean session duration, s),
      engagement_rate (sessions ≥ 10 s, ≥ 2 page views or with a purchase), view_to_cart_rate (sessions with
      a product view and an add-to-cart / sessions with a product view), lead_rate (visitors with a lead
      event / visitors);
    - purchase: cart_abandonment (1 − sessions with a cart and a purchase / sessions with a cart),
      checkout_completion (sessions with a checkout and a purchase / sessions with a checkout),
      conversion_rate (visitors with a purchase / visitors), aov (order revenue / orders, cancelled ones
      excluded), payment_error_rate (sessions with a payment error / sessions with a payment attempt: payment
      info, an error or a purchase; only when the log has both errors and successful attempts);
    - retention: repeat_purchase_rate (customers with ≥ 2 orders in the period / with ≥ 1), return_rate
      (returned / delivered orders), complaint_rate (complaint tickets / orders), resolution_time (median
      hours from creation to resolution), ticket_csat (top-2-box share of rated tickets);
    - advocacy: nps (%promoters − %detractors), nps_responses, advocacy_events (events the rules assign to
      advocacy: reviews, shares, referrals).

    Returns
    -------
    list of StageKpis, in `STAGES` order; each has kpis (Kpi: key, label, value, unit, previous, reason,
    better) and satisfaction (survey responses the rules assign to the stage, current period; None if none).
    """
    filters = filters or Filters()
    bound_rules = _rules_param(ws, rules)
    with ws.cursor() as cur:
        periods, span = _periods(ws, cur, filters)
        if periods.start is None:
            return _empty_kpis(span)
        current_params = dataclasses.replace(filters, start=periods.start, end=periods.end).params()
        params = {**current_params, "start": periods.previous_start, "split": periods.start,
                  "gap_seconds": float(gap_minutes) * 60, "engaged_seconds": ENGAGED_SECONDS,
                  "rules": bound_rules, "cancelled_statuses": list(CANCELLED_STATUSES),
                  "returned_statuses": list(RETURNED_STATUSES), **role_params()}
        web = _rows(_query(ws, "journey_kpis_web.sql", params, cur))
        orders = _rows(_query(ws, "journey_kpis_orders.sql", params, cur))
        tickets = _rows(_query(ws, "journey_kpis_tickets.sql", params, cur))
        answers = _rows(_query(ws, "journey_kpis_responses.sql", params, cur))
        satisfaction = _query(ws, "journey_satisfaction.sql", {**current_params, "rules": bound_rules}, cur)
    loaded = {r.source: not pd.isna(r.first) for r in span.itertuples()}
    # optional columns judged on the whole table: "the orders have no status" must not depend on the filters
    filled_columns = {f"{table}.{column}": filled(ws, table, column)
                      for table, column in (("orders", "status"), ("tickets", "is_complaint"), ("tickets", "csat"))}
    # the previous period has a value only when the table reaches back before the period
    covered = {r.source: not pd.isna(r.first) and pd.Timestamp(r.first).date() < periods.start
               for r in span.itertuples()}
    build = _KpiBuilder(loaded, covered, filled_columns)
    stages = [
        ("awareness", build.awareness(web)),
        ("consideration", build.consideration(web)),
        ("purchase", build.purchase(web, orders)),
        ("retention", build.retention(web, orders, tickets)),
        ("advocacy", build.advocacy(web, answers)),
    ]
    sat = {r.stage: Satisfaction(int(r.responses), _ratio(r.csat_satisfied, r.csat_n), int(r.csat_n),
                                 _nps(r.promoters, r.detractors, r.nps_n), int(r.nps_n))
           for r in satisfaction.itertuples()}
    return [StageKpis(stage, tuple(kpis), sat.get(stage)) for stage, kpis in stages]


def _nps(promoters, detractors, n):
    if not n:
        return None
    return (float(promoters) - float(detractors)) / float(n) * 100


def _empty_kpis(span: pd.DataFrame) -> list[StageKpis]:
    build = _KpiBuilder({s: False for s in span["source"]}, {}, {})
    empty = {True: _NoRows(), False: _NoRows()}
    stages = [("awareness", build.awareness(empty)), ("consideration", build.consideration(empty)),
              ("purchase", build.purchase(empty, empty)), ("retention", build.retention(empty, empty, empty)),
              ("advocacy", build.advocacy(empty, empty))]
    return [StageKpis(stage, tuple(kpis)) for stage, kpis in stages]


class _KpiBuilder:
    """Turns the per-period rows of the KPI queries into Kpi records, with the reason when a value is missing."""

    def __init__(self, loaded: dict, covered: dict, filled_columns: dict):
        self.loaded, self.covered, self.filled = loaded, covered, filled_columns

    def kpi(self, key, source, rows, compute, unit, better="higher", needs=None, missing=None):
        """`compute(row)` gives the value of one period; `needs(rows)` says whether the data can give it at all
        (else `missing` is the reason). Loaded records that the filters leave out of both periods say so."""
        if not self.loaded.get(source):
            return Kpi(key, f"journey.kpi.{key}", None, unit, None, f"journey.reason.no_{source}", better)
        present = any(r.get(RECORDS[source]) for r in rows.values())
        if needs is not None and not needs(rows):
            return Kpi(key, f"journey.kpi.{key}", None, unit, None, missing if present else FILTERED_OUT, better)
        value = compute(rows[True])
        previous = compute(rows[False]) if self.covered.get(source) else None
        reason = None if value is not None else "journey.reason.empty_period" if present else FILTERED_OUT
        return Kpi(key, f"journey.kpi.{key}", value, unit, previous, reason, better)

    def reach(self, stage, web):
        column = "purchase_stage_visitors" if stage == "purchase" else f"{stage}_visitors"
        return self.kpi("stage_visitors", "events", web, lambda r: float(r[column]), "count")

    @staticmethod
    def _any(rows, column):
        return any(r.get(column) for r in rows.values())

    def awareness(self, web):
        page_views = lambda rows: self._any(rows, "page_views")
        return [
            self.reach("awareness", web),
            self.kpi("visits", "events", web, lambda r: float(r["sessions"]), "count"),
            self.kpi("unique_visitors", "events", web, lambda r: float(r["visitors"]), "count"),
            self.kpi("new_visitor_share", "events", web, lambda r: _ratio(r["new_visitors"], r["visitors"]),
                     "percent", "neutral"),
            self.kpi("bounce_rate", "events", web, lambda r: _ratio(r["bounced_sessions"], r["sessions"]),
                     "percent", "lower", page_views, "journey.reason.no_page_views"),
            self.kpi("ad_impressions", "events", web, lambda r: float(r["ad_impressions"]), "count", "higher",
                     lambda rows: self._any(rows, "ad_impressions"), "journey.reason.no_ad_events"),
            self.kpi("ctr", "events", web, lambda r: _ratio(r["ad_clicks"], r["ad_impressions"]), "percent",
                     "higher", lambda rows: self._any(rows, "ad_impressions"), "journey.reason.no_ad_events"),
        ]

    def consideration(self, web):
        return [
            self.reach("consideration", web),
            self.kpi("pages_per_session", "events", web, lambda r: _ratio(r["page_views"], r["sessions"], 1),
                     "ratio", "higher", lambda rows: self._any(rows, "page_views"), "journey.reason.no_page_views"),
            self.kpi("time_on_site", "events", web, lambda r: _ratio(r["duration_s"], r["sessions"], 1),
                     "seconds"),
            self.kpi("engagement_rate", "events", web, lambda r: _ratio(r["engaged_sessions"], r["sessions"]),
                     "percent"),
            self.kpi("view_to_cart_rate", "events", web,
                     lambda r: _ratio(r["product_cart_sessions"], r["product_view_sessions"]), "percent", "higher",
                     lambda rows: self._any(rows, "product_view_sessions"), "journey.reason.no_product_views"),
            self.kpi("lead_rate", "events", web, lambda r: _ratio(r["lead_visitors"], r["visitors"]), "percent",
                     "higher", lambda rows: self._any(rows, "lead_visitors"), "journey.reason.no_lead_events"),
        ]

    def purchase(self, web, orders):
        return [
            self.reach("purchase", web),
            self.kpi("cart_abandonment", "events", web,
                     lambda r: _complement(_ratio(r["cart_purchase_sessions"], r["cart_sessions"])), "percent",
                     "lower", lambda rows: self._any(rows, "cart_sessions"), "journey.reason.no_cart_events"),
            self.kpi("checkout_completion", "events", web,
                     lambda r: _ratio(r["checkout_purchase_sessions"], r["checkout_sessions"]), "percent", "higher",
                     lambda rows: self._any(rows, "checkout_sessions"), "journey.reason.no_checkout_events"),
            self.kpi("conversion_rate", "events", web, lambda r: _ratio(r["purchase_visitors"], r["visitors"]),
                     "percent", "higher", lambda rows: self._any(rows, "purchase_visitors"),
                     "journey.reason.no_purchase_events"),
            self.kpi("aov", "orders", orders, lambda r: _ratio(r["revenue"], r["orders"], 1), "currency"),
            self.kpi("payment_error_rate", "events", web,
                     lambda r: _ratio(r["payment_error_sessions"], r["payment_sessions"]), "percent", "lower",
                     lambda rows: _payment_gap(rows) is None, _payment_gap(web)),
        ]

    def retention(self, web, orders, tickets):
        return [
            self.reach("retention", web),
            self.kpi("repeat_purchase_rate", "orders", orders, lambda r: _ratio(r["repeat_buyers"], r["buyers"]),
                     "percent"),
            self.kpi("return_rate", "orders", orders, lambda r: _ratio(r["returned_orders"], r["delivered_orders"]),
                     "percent", "lower", lambda rows: self.filled["orders.status"], "journey.reason.no_status"),
            self._complaint_rate(orders, tickets),
            self.kpi("resolution_time", "tickets", tickets, lambda r: _number(r["resolution_hours"]), "hours",
                     "lower", lambda rows: self._any(rows, "resolved"), "journey.reason.no_resolution"),
            self.kpi("ticket_csat", "tickets", tickets, lambda r: _ratio(r["csat_satisfied"], r["csat_n"]),
                     "percent", "higher", lambda rows: self.filled["tickets.csat"], "journey.reason.no_ticket_csat"),
        ]

    def _complaint_rate(self, orders, tickets):
        key = "complaint_rate"
        if not self.loaded.get("orders"):
            return Kpi(key, f"journey.kpi.{key}", None, "percent", None, "journey.reason.no_orders", "lower")
        both = {flag: _NoRows({**orders[flag], **tickets[flag]}) for flag in (True, False)}
        kpi = self.kpi(key, "tickets", both, lambda r: _ratio(r.get("complaints", 0), r["orders"]), "percent",
                       "lower", lambda rows: self.filled["tickets.is_complaint"], "journey.reason.no_complaint_flag")
        if kpi.previous is not None and not self.covered.get("orders"):
            kpi = Kpi(kpi.key, kpi.label, kpi.value, kpi.unit, None, kpi.reason, kpi.better)
        return kpi

    def advocacy(self, web, answers):
        return [
            self.reach("advocacy", web),
            self.kpi("nps", "responses", answers, lambda r: _nps(r["promoters"], r["detractors"], r["nps_n"]), "nps",
                     "higher", lambda rows: self._any(rows, "nps_n"), "journey.reason.no_nps"),
            self.kpi("nps_responses", "responses", answers, lambda r: float(r["nps_n"]), "count", "higher",
                     lambda rows: self._any(rows, "nps_n"), "journey.reason.no_nps"),
            self.kpi("advocacy_events", "events", web, lambda r: float(r["advocacy_events"]), "count", "higher",
                     lambda rows: self._any(rows, "advocacy_events"), "journey.reason.no_advocacy_events"),
        ]


def _payment_gap(web) -> str | None:
    """Why the payment error rate cannot be given (None: it can). Errors alone would always read 100 %, and
    attempts without any error event read 0 % on a site that simply does not log errors."""
    errors = any(r.get("payment_error_sessions") for r in web.values())
    attempts = any(r.get("paid_or_info_sessions") for r in web.values())
    if errors and attempts:
        return None
    if errors:
        return "journey.reason.no_payment_attempts"
    return "journey.reason.no_payment_errors" if attempts else "journey.reason.no_payment_events"


def _complement(share):
    return None if share is None else 100.0 - share


def _number(value):
    return None if value is None or pd.isna(value) else float(value)


# --- workshop notes -------------------------------------------------------------------------------------

def journey_notes(ws: Workspace) -> dict[str, str]:
    """{stage: note} for every stage ("" when nothing was written)."""
    with ws.cursor() as cur:
        saved = dict(cur.execute("select stage, note from journey_notes").fetchall())
    return {stage: saved.get(stage, "") for stage in STAGES}


def save_journey_note(ws: Workspace, stage: str, text: str) -> None:
    """Store the workshop note of a stage (an empty text removes it)."""
    if stage not in STAGES:
        raise CxError(f"unknown journey stage {stage!r}", fix=f"use one of {', '.join(STAGES)}")
    with ws.transaction() as cur:
        cur.execute("delete from journey_notes where stage = $stage", {"stage": stage})
        if text and text.strip():
            cur.execute("insert into journey_notes values ($stage, $note, current_timestamp::timestamp)",
                        {"stage": stage, "note": text})
