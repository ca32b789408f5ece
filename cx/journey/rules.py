"""Journey stage rules: the five stages, the rule vocabulary, the defaults, and the rule table users edit.

Rule semantics (`MATCH_TYPES`): rules are tried by `rule_order`, lowest first, and the first enabled rule that
matches a record gives its stage; a record no rule matches has no stage ("unassigned"). Event names and page
patterns are compared lower-case; the list rules (`event`, `page_equals`, `page_prefix`, `page_contains`) hold
comma-separated alternatives; page rules look at the page *path* (no scheme, host, query or trailing slash, so
`https://www.shop.fr/Panier?x=1` is `/panier`). Regex rules use RE2 syntax, case-insensitive, and search
anywhere in the text (a plain word works as "contains"); for ticket and response rules an empty pattern
matches every record of that kind. The rules are stored in `journey_stage_rules` and bound to the SQL as a list
(`stage_rules_param`), so an edited table applies at once, with no re-import.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from .. import keys
from ..errors import CxError
from ..workspace import Workspace, edit, run_sql

STAGES = ("awareness", "consideration", "purchase", "retention", "advocacy")

#: match_type → the kind of record it looks at.
MATCH_TYPES = {
    "event": "events",  # the event name is one of the comma-separated names
    "page_equals": "events",  # the page path is one of the comma-separated paths ("/" = home page)
    "page_prefix": "events",  # the page path starts with one of the comma-separated prefixes
    "page_contains": "events",  # the page path contains one of the comma-separated fragments
    "page_regex": "events",  # the page path matches the regular expression
    "order_first": "orders",  # a customer's first order (no pattern)
    "order_repeat": "orders",  # any later order of the customer (no pattern)
    "ticket_category": "tickets",  # the ticket category matches the regex (empty: every ticket)
    "response_stage": "responses",  # the response's own stage column matches the regex
    "response_touchpoint": "responses",  # the response's touchpoint matches the regex (empty: every response)
    "response_nps": "responses",  # a response with an NPS answer (no pattern)
}
LIST_MATCHES = ("event", "page_equals", "page_prefix", "page_contains")
REGEX_MATCHES = ("page_regex", "ticket_category", "response_stage", "response_touchpoint")
NO_PATTERN = ("order_first", "order_repeat", "response_nps")
RULE_COLUMNS = ["rule_order", "match_type", "pattern", "stage", "enabled"]

# GA4 recommended/automatic events, Universal Analytics and Matomo names, common French custom events.
DEFAULT_RULES = (
    (
        "event",
        "purchase, add_to_cart, remove_from_cart, view_cart, begin_checkout, add_shipping_info, "
        "add_payment_info, payment_error, checkout_progress, ecommerceorder, ecommerceabandonedcart, "
        "ajout_panier, ajout_au_panier, achat, paiement, erreur_paiement",
        "purchase",
    ),
    (
        "event",
        "share, review, write_review, submit_review, referral, refer_a_friend, invite, avis, partage, "
        "parrainage, recommandation",
        "advocacy",
    ),
    ("event", "login, refund, connexion, remboursement", "retention"),
    (
        "event",
        "view_item, view_item_list, select_item, search, view_search_results, add_to_wishlist, "
        "generate_lead, sign_up, file_download, download, recherche, vue_produit, inscription, ajout_favoris",
        "consideration",
    ),
    # "visit": a Matomo visits log exported without its actions (one event per visit, cx/ingest)
    (
        "event",
        "first_visit, session_start, visit, view_promotion, select_promotion, ad_impression, ad_click",
        "awareness",
    ),
    ("page_equals", "/, /fr, /en, /accueil, /home, /index.html", "awareness"),
    (
        "page_contains",
        "/compte, /account, /aide, /help, /faq, /support, /contact, /sav, /suivi, /retour, "
        "/returns, /connexion, /login",
        "retention",
    ),
    ("page_contains", "/avis, /review, /parrainage, /referral, /temoignage, /testimonial", "advocacy"),
    ("page_contains", "/panier, /cart, /basket, /commande, /checkout, /paiement, /payment", "purchase"),
    (
        "page_contains",
        "/produit, /product, /categorie, /category, /collection, /recherche, /search, /catalogue, "
        "/boutique, /shop, /compar, /guide",
        "consideration",
    ),
    ("page_contains", "/blog, /magazine, /inspiration, /actualite, /news, /journal, /landing, /lp/", "awareness"),
    ("order_first", None, "purchase"),
    ("order_repeat", None, "retention"),
    ("ticket_category", "paiement|payment|commande|checkout|panier|cart", "purchase"),
    ("ticket_category", None, "retention"),
    ("response_stage", "avant[- ]achat|pr[ée][- ]achat|sensibilisation|awareness|notori|d[ée]couverte", "awareness"),
    ("response_stage", "post[- ]achat|fid[ée]li|retention|r[ée]tention|retour|loyal|sav|support", "retention"),
    ("response_stage", "recommand|advocacy|ambassad|avis|review", "advocacy"),
    ("response_stage", "[ée]valuation|consid[ée]ration|comparaison", "consideration"),
    ("response_stage", "achat|purchase|conversion|commande|checkout", "purchase"),
    (
        "response_touchpoint",
        "sav|support|service client|customer service|livraison|delivery|retour|return",
        "retention",
    ),
    ("response_touchpoint", "achat|purchase|commande|order|checkout|paiement|payment|caisse", "purchase"),
    ("response_touchpoint", "site|web|produit|product|catalogue", "consideration"),
    ("response_touchpoint", r"\bpub|\bads?\b|campagne|campaign|newsletter|blog|social", "awareness"),
    ("response_nps", None, "advocacy"),
)


def default_stage_rules() -> pd.DataFrame:
    """The FR/EN default rules (GA4, Matomo and French/English page names), with rule_order 10, 20, …"""
    return pd.DataFrame(
        [
            {"rule_order": 10 * (i + 1), "match_type": m, "pattern": p, "stage": s, "enabled": True}
            for i, (m, p, s) in enumerate(DEFAULT_RULES)
        ],
        columns=RULE_COLUMNS,
    )


def stage_rules(ws: Workspace, cur=None) -> pd.DataFrame:
    """The workspace's stage rules (seeded with the defaults on first use), read on `cur` when given (an
    analysis reads them on the cursor of its other statements), else on a cursor of its own.

    Returns
    -------
    DataFrame: rule_order (int), match_type (see `MATCH_TYPES`), pattern (text or None), stage (one of
    `STAGES`), enabled (bool); sorted by rule_order.
    """
    if cur is None:
        with ws.cursor() as own:
            return stage_rules(ws, own)
    seeded = cur.execute("select count(*) from cx_meta where key = 'journey_rules_seeded'").fetchall()[0][0]
    if not seeded:
        _write_rules(ws, default_stage_rules())  # its own transaction, committed before the read below
    df = run_sql(cur, "journey_stage_rules.sql", {}).df().drop(columns="position")
    return df.astype({"rule_order": "int64", "enabled": "bool"})


@edit
def _write_rules(ws: Workspace, rules: pd.DataFrame) -> None:
    rows = [
        (int(r.rule_order), r.match_type, None if pd.isna(r.pattern) else str(r.pattern), r.stage, bool(r.enabled))
        for r in rules.itertuples()
    ]
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
        clean.append(
            {
                "rule_order": float("inf") if pd.isna(order) else float(order),
                "position": n,
                "match_type": row.match_type,
                "pattern": None if row.match_type in NO_PATTERN else pattern,
                "stage": row.stage,
                "enabled": bool(True if pd.isna(row.enabled) else row.enabled),
            }
        )
    if problems:
        raise CxError(
            "the stage rules were not saved: " + "; ".join(problems),
            fix="correct these rows, or reset the rules to the defaults",
        )
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
    argument of the stage analyses (`cx.journey.stages`, `cx.journey.kpis`), so a cached result follows the rule
    table."""
    enabled = rules[rules["enabled"].astype(bool)]
    return tuple(
        (int(r.rule_order), str(r.match_type), None if pd.isna(r.pattern) else str(r.pattern), str(r.stage))
        for r in enabled.itertuples()
    )


def stage_rules_param(ws: Workspace, rules: tuple | None = None, cur=None) -> list[dict]:
    """The `$rules` value the stage queries bind (`journey_event_keys.sql`…): the enabled rules as a list of
    {rule_order, match_type, pattern, stage}; the stored rules when `rules` is None (read on `cur` when given)."""
    if rules is None:
        rules = rules_key(stage_rules(ws, cur))
    bound = [{"rule_order": o, "match_type": m, "pattern": p, "stage": s} for o, m, p, s in rules]
    # a rule that never matches keeps the list's type known when the table is empty
    # (text, not NULL: DuckDB 1.5 types a NULL-only struct field INTEGER)
    return bound or [{"rule_order": 0, "match_type": "none", "pattern": "", "stage": ""}]
