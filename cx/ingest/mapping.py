"""Guess what a file holds (its kind) and which source column feeds which canonical column, from the
headers *and* the values, and say why.

Every (source column, canonical column) pair gets a score in 0…1: how well the header names the column
(`header_score`: the FR/EN aliases of cx/schema.py, after folding case, accents, camelCase, plurals and
vendor prefixes) times how well the values fit it (`value_fit`: a date column holds dates, a 0–10 score
holds whole numbers from 0 to 10, a comment is longer than its title). A column whose header says nothing
can still be chosen by its values alone (an unnamed column of instants for the event time). Pairs are
taken best first, each source and each canonical column once. A kind is chosen only when it beats the
runner-up by a clear margin; otherwise the two likeliest are named and the user is asked.

Order of precedence: a mapping saved for a file of the same shape → a preset for a known export → the
scores. The user can correct every choice; a source column mapped to None is ignored by their choice.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field

from ..errors import MappingError
from ..schema import KINDS, PRESETS, QUESTION_PATTERNS, TABLES, Column, fixable_columns, normalise_header
from .profile import Profile, blank

MIN_PAIR = 0.3  # a weaker pair is not proposed
MIN_KIND = 4.0  # a weaker kind is not proposed
KIND_MARGIN = 1.0  # the best kind must beat the runner-up by this much
TYPED = ("timestamp", "date", "number", "integer", "score", "bool")
# a leading word that names the export rather than the column ("Lineitem quantity", "Billing Name")
VENDOR_PREFIXES = (
    "lineitem",
    "line_item",
    "billing",
    "shipping",
    "order",
    "customer",
    "user",
    "event",
    "review",
    "ticket",
    "contact",
    "deal",
    "visit",
    "session",
    "submission",
    "ga",
    "wc",
    "hs",
    "properties",
    "property",
    "param",
    "meta",
    "cf",
    "response",
    "survey",
    "client",
    "commande",
    "statistics",
    "stats",
    "metric_set",
    "metrics",
    "conversation_rating",
    "conversation",
    "via",
    "custom_fields",
    "fields",
    "attributes",
    "data",
)
SUFFIXES = ("utc", "gmt", "local", "iso", "fr", "en", "txt", "text", "value")
# aliases too common to count when only found inside a longer header
GENERIC = {
    "id",
    "name",
    "type",
    "source",
    "value",
    "note",
    "date",
    "time",
    "order",
    "ticket",
    "commande",
    "session",
    "page",
    "event",
    "action",
    "status",
    "client",
    "customer",
    "visitor",
    "url",
    "text",
    "total",
    "nom",
    "e",
    "via",
    "score",
    "rating",
    "review",
    "body",
    "content",
    "message",
    "mail",
    "user",
    "contact",
    "member",
    "identifiant",
}


@dataclass(frozen=True)
class Reason:
    """Why a source column was mapped: code (preset, saved, header, header_part, values, question) and the
    alias or evidence behind it."""

    code: str
    detail: str = ""
    score: float = 1.0


@dataclass(frozen=True)
class Inference:
    kind: str | None  # None: not sure, ask (see `likeliest`)
    mapping: dict[str, str]  # source header → canonical column
    reasons: dict[str, Reason]
    scores: dict[str, float]  # kind → score
    preset: str | None = None
    likeliest: tuple[str, ...] = ()  # the two best kinds, best first
    mappings: dict[str, dict] = field(default_factory=dict)  # kind → its best mapping (to switch kinds)
    kind_reasons: dict[str, dict] = field(default_factory=dict)  # kind → why each of its pairs was made


def header_signature(headers: list[str]) -> str:
    """Same headers (in any order, any case or accents) → same signature."""
    names = sorted(normalise_header(h) for h in headers)
    return hashlib.sha256(json.dumps(names).encode()).hexdigest()[:32]


# one spelling of the e-mail, however a header writes it ("E-mail client", "Courriel", "Adresse mail")
EMAIL_SPELLINGS = re.compile(r"(?:^|(?<=_))(?:adresse_)?(?:e_mail|email|courriel|mail)(?=_|$)")
# French (and English) little words that a header may or may not write ("Date de la commande", "N° de commande")
LITTLE_WORDS = {"de", "du", "des", "d", "la", "le", "l", "les", "of", "the"}


def spelled(form: str) -> str:
    """A normalised header in one spelling: every way of writing the e-mail becomes `email`, and the
    little words go ("e_mail_du_client" → "email_client", "date_de_la_commande" → "date_commande")."""
    form = EMAIL_SPELLINGS.sub("email", form)
    tokens = [t for t in form.split("_") if t not in LITTLE_WORDS]
    return "_".join(tokens) or form


def header_forms(header: str) -> tuple[list[str], list[str]]:
    """(exact forms, looser forms) of a header: as written folded, camelCase split; then singular, without
    a vendor prefix or a time-zone/language suffix."""
    camel = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", str(header or ""))
    # a typographic apostrophe ("Nombre d’articles") is dropped by the ASCII folding: read it as a straight one
    apostrophe = str(header or "").replace("\u2019", "'")
    exact = list(dict.fromkeys([normalise_header(header), normalise_header(camel), normalise_header(apostrophe)]))
    exact = list(dict.fromkeys(exact + [spelled(form) for form in exact]))
    loose = []
    for form in exact:
        tokens = form.split("_")
        singular = "_".join(
            t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith(("ss", "us")) else t for t in tokens
        )
        loose.append(singular)
        for prefix in VENDOR_PREFIXES:
            if form.startswith(prefix + "_") and len(form) > len(prefix) + 1:
                loose.append(form[len(prefix) + 1 :])
        if len(tokens) > 1 and tokens[-1] in SUFFIXES:
            loose.append("_".join(tokens[:-1]))
    return exact, [f for f in dict.fromkeys(loose) if f and f not in exact]


DATE_WORDS = frozenset({"date", "time", "datetime", "timestamp", "heure", "horodateur"})


def header_score(col: Column, exact: list[str], loose: list[str]) -> tuple[float, str]:
    """How well a header names a canonical column, and the alias that matched."""
    aliases = col.aliases
    for form in exact:
        if form in aliases:
            return 1.0 - 0.01 * aliases.index(form) / max(len(aliases), 1), form
    for form in loose:
        if form in aliases:
            return 0.8, form
    if col.minutes_into:  # a duration by its whole name: "… in minutes within business hours" is not calendar time
        return 0.0, ""
    best, match = 0.0, ""
    tokens = exact[-1].split("_")
    names_an_id = tokens[-1] == "id" and not col.name.endswith("_id")
    if col.type not in TYPED and (DATE_WORDS & set(tokens) or names_an_id):
        # "Stage Date (UTC)" names a date, not the stage; "Collector ID" an id, not the collector (a channel): a part
        # of a header is no text column's name; "Stripe Customer ID" is still the customer id
        return 0.0, ""
    for alias in aliases:
        if not alias or (col.type not in TYPED and (alias in GENERIC or len(alias) < 4)):
            continue
        parts = alias.split("_")
        if _contains(tokens, parts):
            score = 0.45 + 0.3 * len(parts) / len(tokens)
            if score > best:
                best, match = score, alias
    return min(best, 0.75), match


def _contains(tokens: list[str], parts: list[str]) -> bool:
    n = len(parts)
    return any(tokens[i : i + n] == parts for i in range(len(tokens) - n + 1))


def value_fit(col: Column, p: Profile) -> float:
    """How well the values fit a canonical column, 0…1 (0.6 when the column is empty: nothing to say)."""
    if p.empty:
        return 0.6
    if col.type in ("timestamp", "date"):
        return max(p.instant, p.epoch if col.type == "timestamp" else 0.0)
    if col.type == "bool":
        return p.yes_no
    if col.type in ("number", "integer", "score"):
        fit = max(0.0, p.number - p.instant)
        if col.type in ("integer", "score"):
            fit = min(fit, p.whole + (0.5 if col.type == "integer" else 0.0))
        if col.type == "score":  # the share of values on the scale (a CSAT may be asked 1–7 or 1–10)
            fit = min(fit, p.in_0_10 if col.name != "ces" or p.high is None or p.high > 7 else p.in_1_7)
        elif col.low is not None and p.low is not None and (p.low < col.low or p.high > col.high):
            fit *= 0.3
        if col.name == "nps" and p.high is not None and p.high <= 5:
            fit *= 0.5  # a 1–5 scale is more likely a satisfaction score
        if col.name == "csat":
            fit = max(fit, p.yes_no)  # "satisfied? yes/no"
        if col.type == "number" and p.unique > 0.98 and p.whole == 1 and (p.low or 0) > 1e5:
            fit *= 0.3  # large distinct integers are ids
        return fit
    if col.type == "id":
        if p.long_text or p.instant > 0.8:
            return 0.2
        return 1.0
    # text
    if col.name == "email":
        return p.email
    if col.name == "device":
        return 0.5 + 0.5 * p.device
    if col.name == "channel":
        return 0.4 + 0.6 * p.channel
    if col.name in ("category", "segment") and p.distinct == 1 and p.filled >= 5:
        return 0.3  # one value on every row says nothing
    if col.name in ("comment", "text"):
        return 0.4 + 0.6 * min(1.0, p.mean_length / 40)
    if p.instant > 0.8:
        return 0.1  # a text column is not fed by dates
    if p.number > 0.95 and col.name not in ("country", "segment", "region"):
        return 0.3
    return 0.7 if p.long_text else 1.0


def values_alone(col: Column, p: Profile) -> tuple[float, str]:
    """A canonical column some values point to even when the header says nothing."""
    if p.empty:
        return 0.0, ""
    if col.type == "timestamp" and col.required and (p.instant >= 0.95 or p.epoch >= 0.95) and p.unique > 0.3:
        return 0.35, "dates and times"
    if col.name == "email" and p.email >= 0.9:
        return 0.5, "e-mail addresses"
    if col.name == "device" and p.device >= 0.8:
        return 0.5, "device types"
    if col.name == "channel" and p.channel >= 0.8 and p.distinct <= 40:
        return 0.35, "channels"
    return 0.0, ""


def pair_scores(headers: list[str], profiles: list[Profile], kind: str) -> list[tuple[float, str, str, Reason]]:
    """Every (score, source, canonical column, reason) worth proposing for one kind."""
    table = TABLES[kind]
    out = []
    for h, p in zip(headers, profiles):
        exact, loose = header_forms(h)
        question = normalise_header(h).replace("_", " ")
        for col in table.columns:
            if col.required and col.type == "id" and mostly_empty(p):
                continue  # a key empty on most rows would reject them ("ID de contact fusionnés", filled once)
            hs, alias = header_score(col, exact, loose)
            reason = Reason("header" if hs >= 0.8 else "header_part", alias)
            if (
                hs < 0.7
                and kind in ("responses", "tickets")
                and col.name in QUESTION_PATTERNS
                and re.search(QUESTION_PATTERNS[col.name], question)
                and (col.name != "comment" or not _has_scale(h))
                and (col.name != "csat" or not re.search(QUESTION_PATTERNS["ces"], question))  # ease: the CES
            ):
                hs, reason = 0.7, Reason("question")
            fit = value_fit(col, p)
            if col.name == "csat":  # Zendesk's good / bad, Freshdesk's Very happy…, a survey's "Très satisfait"
                fit = max(fit, p.rating)
            score = hs * (fit if col.type in TYPED or fit < 0.35 else 0.6 + 0.4 * fit)
            alone, evidence = values_alone(col, p)
            if alone > score:
                score, reason = alone, Reason("values", evidence)
            # between two candidates for a required column, the one filled on every row (a review's date,
            # not the date of the shop's reply); the kind's score keeps the unweighted one, since line-item
            # exports fill an order's columns on its first line only
            rank = score * (0.6 + 0.4 * p.fill) if col.required and not p.empty else score
            if score >= MIN_PAIR:
                out.append((round(rank, 4), h, col.name, Reason(reason.code, reason.detail, round(score, 2))))
    return out


def mostly_empty(p: Profile) -> bool:
    """Whether a column is empty on most of (at least 3) profiled rows: never a required key."""
    return p.rows >= 3 and p.fill < 0.5


def _has_scale(header: str) -> bool:
    return bool(re.search(r"\(\s*\d+\s*[-–à/]\s*\d+\s*\)", header))


def find_preset(headers: list[str]) -> str | None:
    """The known export whose signature columns are all there. An export of records with their associated
    records names its own id after the object (HubSpot's `Record ID - Contact` beside `Record ID - Company`):
    the first `<signature>_<object>` header stands for the signature column."""
    normal = [normalise_header(h) for h in headers]
    for name, preset in PRESETS.items():
        if all(
            s in normal or any(n.startswith(s + "_") and n[len(s) + 1 :].isalpha() for n in normal)
            for s in preset["signature"]
        ):
            return name
    return None


def _preset_key(header: str, preset: dict) -> str:
    """The preset's own name for a header (`record_id_contact` → `record_id` when the preset has it)."""
    n = normalise_header(header)
    if n in preset["mapping"]:
        return n
    base, _, rest = n.rpartition("_")
    return base if base in preset["signature"] and rest.isalpha() else n


def assign(
    headers: list[str], profiles: list[Profile], kind: str, preset: str | None = None
) -> tuple[dict[str, str], dict[str, Reason]]:
    """The best mapping for one kind: preset pairs first, then the best-scored pairs, each source and each
    canonical column used once (ties: the column that comes first in the file)."""
    mapping: dict[str, str] = {}
    reasons: dict[str, Reason] = {}
    if preset and PRESETS[preset]["kind"] == kind:
        for h in headers:
            key = _preset_key(h, PRESETS[preset])
            target = PRESETS[preset]["mapping"].get(key)
            left_out = key in PRESETS[preset]["mapping"] and target is None  # a column the export means otherwise
            if left_out or (target and target not in mapping.values()):
                mapping[h], reasons[h] = target, Reason("preset", preset)
    order = {h: i for i, h in enumerate(headers)}
    for score, h, target, reason in sorted(pair_scores(headers, profiles, kind), key=lambda x: (-x[0], order[x[1]])):
        if h not in mapping and target not in mapping.values():
            mapping[h], reasons[h] = target, reason
    if kind == "customers" and "customer_id" not in mapping.values() and "email" in mapping.values():
        # a mailing list has no customer number: the e-mail (pseudonymised) is the key
        source = next(h for h, t in mapping.items() if t == "email")
        mapping[source] = "customer_id"
    return mapping, reasons


def score_kind(
    kind: str, mapping: dict[str, str], reasons: dict[str, Reason], profiles: list[Profile], preset: str | None
) -> float:
    """Required columns found weigh most, then the share of the file's columns explained; values that
    contradict the kind (a customer list whose ids repeat) cost points."""
    table = TABLES[kind]
    found = {t: reasons[s].score for s, t in mapping.items() if t}
    required = [found.get(c.name, 0) for c in table.columns if c.required]
    if table.one_of:
        required.append(max(found.get(c, 0) for c in table.one_of))
    # squared: one strong match says more than several weak ones
    score = 3 * sum(r * r for r in required) + (2 if all(required) else 0)
    if kind == "customers":  # what only a customer list describes: the person
        score += 1.5 * max(
            (
                found.get(c, 0)
                for c in ("email", "name", "first_name", "last_name", "gender", "birth_year", "age", "signup_date")
            ),
            default=0,
        )
    filled = [p for p in profiles if not p.empty] or profiles
    score += 4 * sum(found.values()) / max(len(filled), 1)
    if preset and PRESETS[preset]["kind"] == kind:
        score += 4
    by_header = {p.header: p for p in profiles}
    key = {"customers": "customer_id", "tickets": "ticket_id"}.get(kind)
    source = next((s for s, t in mapping.items() if t == key), None)
    if source and by_header[source].filled >= 5 and by_header[source].unique < 0.8:
        score -= 4  # a list of customers (tickets) names each once…
    if source and by_header[source].rows >= 3 and by_header[source].fill < 0.8:
        score -= 3  # … and on every row
    if kind == "tickets" and not set(found) & {
        "text",
        "category",
        "severity",
        "first_response_at",
        "resolved_at",
        "is_complaint",
    }:
        score -= 2  # an id, a date and a channel are not yet a support ticket
    if kind == "responses" and "csat" in found and "comment" not in found and "nps" not in found and "ces" not in found:
        score -= 1
    return round(score, 3)


METRIC = re.compile(
    r"^(nb|sum|avg|count|total|new|active|engaged|unique)_|_(rate|count|visits|views|users|"
    r"sessions|hits|per_\w+|time_spent|duration|percentage|pct)$|^(sessions|users|views|pageviews|"
    r"bounces?|bounce_rate|conversions|visits|hits|engagement_rate|event_count|key_events|"
    r"impressions|clicks|ctr|transactions|exits|entrances)$"
)


def aggregated_columns(headers: list[str]) -> list[str]:
    """Headers that name totals or rates (sessions, nb_visits, bounce_rate): a report, not raw rows."""
    return [h for h in headers if METRIC.search(normalise_header(h))]


def names_a_row(header: str) -> bool:
    """A header that identifies one row's person, visit, order or event (an id, an e-mail): raw rows, not totals."""
    form = normalise_header(header)
    return form in {"id", "email", "e_mail"} or form.endswith(("_id", "_email")) or form.startswith(("id_", "email_"))


def is_totals_report(headers: list[str]) -> bool:
    """Half of the headers or more name totals or rates and none identifies a row: a report of totals whatever kind
    its other headers suggest (Plausible's "date, visitors, pageviews, bounce_rate, visit_duration" looked like
    events keyed by their visitor count)."""
    metrics = aggregated_columns(headers)
    return len(metrics) >= 2 and 2 * len(metrics) >= len(headers) and not any(map(names_a_row, headers))


# a list of companies (a CRM's companies export): their headers, without one that names a person
COMPANY_HEADERS = {"company_name", "company_domain_name", "company_owner", "company_type", "industry", "annual_revenue"}
PERSON_HEADERS = {"email", "e_mail", "first_name", "last_name", "full_name", "firstname", "lastname", "prenom", "nom"}


def is_company_list(headers: list[str]) -> bool:
    """Whether the file lists companies rather than people (HubSpot's companies export: "Company name",
    "Industry", "Annual Revenue", no e-mail nor name of a person): its rows are not customers unless the user
    says so, so its kind is asked, never guessed."""
    forms = {normalise_header(h) for h in headers}
    return len(forms & COMPANY_HEADERS) >= 2 and not forms & PERSON_HEADERS


def infer(headers: list[str], profiles: list[Profile] | None = None) -> Inference:
    """Kind, mapping and reasons for a file's headers and value profiles; a list of companies is asked about."""
    profiles = profiles or [blank(h) for h in headers]
    preset = find_preset(headers)
    scores, mappings, all_reasons = {}, {}, {}
    for kind in KINDS:
        mapping, reasons = assign(headers, profiles, kind, preset)
        mappings[kind], all_reasons[kind] = mapping, reasons
        scores[kind] = score_kind(kind, mapping, reasons, profiles, preset)
    ranked = sorted(KINDS, key=lambda k: -scores[k])
    best, second = ranked[0], ranked[1]
    sure = scores[best] >= MIN_KIND and scores[best] - scores[second] >= KIND_MARGIN and not is_company_list(headers)
    kind = best if sure else None
    return Inference(
        kind,
        mappings[best] if sure else {},
        all_reasons[best] if sure else {},
        scores,
        preset,
        (best, second),
        mappings,
        all_reasons,
    )


def map_headers(
    headers: list[str], kind: str, preset: str | None = None, profiles: list[Profile] | None = None
) -> dict[str, str]:
    """Source header → canonical column for one kind."""
    return assign(headers, profiles or [blank(h) for h in headers], kind, preset)[0]


def score_kinds(headers: list[str], profiles: list[Profile] | None = None) -> dict[str, float]:
    return infer(headers, profiles).scores


def guess_kind(headers: list[str], profiles: list[Profile] | None = None) -> tuple[str | None, dict[str, float]]:
    result = infer(headers, profiles)
    return result.kind, result.scores


def check_mapping(
    mapping: dict[str, str | None], kind: str, headers: list[str], file: str, constants: dict | None = None
) -> None:
    """Raise MappingError listing every problem: unknown header or column, a column fed twice, a
    required column missing, a fixed value that cannot be (`check_constants`). A source mapped to None is
    ignored by the user's choice; a required column may be fed by a constant instead of a source."""
    table = TABLES[kind]
    constants = constants or {}
    problems = constant_problems(constants, kind, mapping)
    for source, target in mapping.items():
        if source not in headers:
            problems.append(f"the file has no column {source!r}")
        if target is not None and target not in table.names:
            problems.append(f"{target!r} is not a column of {kind} (columns: {', '.join(table.names)})")
    targets = [t for t in mapping.values() if t is not None]
    for t in sorted({t for t in targets if targets.count(t) > 1}):
        feeding = [s for s, x in mapping.items() if x == t]
        problems.append(f"{t!r} is fed by several columns ({', '.join(map(repr, feeding))})")
    missing = missing_columns([*targets, *constants], kind)
    if missing:
        problems.append(f"required column(s) not mapped: {', '.join(missing)}")
        for column in fixable_columns(kind):
            if column.name in missing:  # an export that has no such column at all (Freshdesk: no channel)
                problems.append(
                    f"if the file has no {column.name}, give every row one: --constant {column.name}=VALUE "
                    f"({', '.join(column.fixed_choices)})"
                )
    if problems:
        raise MappingError(
            "; ".join(problems), file=file, fix="correct the column mapping (source header → column) and load again"
        )


def constant_problems(constants: dict, kind: str, mapping: dict[str, str | None]) -> list[str]:
    """What is wrong with the fixed values asked for (column → one value for every row): only a required
    column that has a list of choices may take one (`cx.schema.fixable_columns`), with one of its choices, and
    only when no source column feeds it."""
    fixable = {c.name: c.fixed_choices for c in fixable_columns(kind)}
    problems = []
    for column, value in constants.items():
        if column not in fixable:
            allowed = ", ".join(fixable) or "none"
            problems.append(f"{column!r} cannot be given a fixed value in {kind} (columns that can: {allowed})")
        elif value not in fixable[column]:
            problems.append(f"{value!r} is not a {column} (one of: {', '.join(fixable[column])})")
        elif column in mapping.values():
            problems.append(f"{column!r} is fed by a column of the file and by a fixed value: keep one")
    return problems


def missing_columns(targets, kind: str) -> list[str]:
    """Required columns not fed yet (a `one_of` group shows as 'a | b')."""
    table = TABLES[kind]
    missing = [c.name for c in table.columns if c.required and c.name not in targets]
    if table.one_of and not set(targets) & set(table.one_of):
        missing.append(" | ".join(table.one_of))
    return missing
