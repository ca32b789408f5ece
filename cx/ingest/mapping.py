"""Guess what a file holds (its kind) and which source header feeds which canonical column.

Order of precedence: a mapping saved for a file of the same shape (same headers) → a preset for a known
export (GA4, Matomo, Shopify, HubSpot, Typeform, Google Forms, SurveyMonkey) → header aliases (FR/EN) →
survey question wording (e.g. "…recommanderiez…" → nps). The user can correct every choice in the UI.
"""
from __future__ import annotations

import hashlib
import json
import re

from ..errors import MappingError
from ..schema import KINDS, PRESETS, QUESTION_PATTERNS, TABLES, normalise_header


def header_signature(headers: list[str]) -> str:
    """Same headers (in any order, any case or accents) → same signature."""
    names = sorted(normalise_header(h) for h in headers)
    return hashlib.sha256(json.dumps(names).encode()).hexdigest()[:32]


def find_preset(headers: list[str]) -> str | None:
    normal = {normalise_header(h) for h in headers}
    for name, preset in PRESETS.items():
        if all(s in normal for s in preset["signature"]):
            return name
    return None


def map_headers(headers: list[str], kind: str, preset: str | None = None) -> dict[str, str]:
    """Source header → canonical column for one kind; each canonical column is fed by one header."""
    table = TABLES[kind]
    mapping: dict[str, str] = {}
    used: set[str] = set()
    if preset and PRESETS[preset]["kind"] == kind:
        for h in headers:
            target = PRESETS[preset]["mapping"].get(normalise_header(h))
            if target and target not in used:
                mapping[h], used = target, used | {target}
    # exact alias matches first, in the schema's order of preference, then question wording
    for column in table.columns:
        if column.name in used:
            continue
        for alias in column.aliases:
            match = next((h for h in headers if h not in mapping and normalise_header(h) == alias), None)
            if match:
                mapping[match], used = column.name, used | {column.name}
                break
    if kind in ("responses", "tickets"):
        for h in headers:
            if h in mapping:
                continue
            normal = normalise_header(h).replace("_", " ")
            for target, pattern in QUESTION_PATTERNS.items():
                if target in used or target not in table.names:
                    continue
                if re.search(pattern, normal) and (target != "comment" or not _has_scale(h)):
                    mapping[h], used = target, used | {target}
                    break
    return mapping


def _has_scale(header: str) -> bool:
    return bool(re.search(r"\(\s*\d+\s*[-–à/]\s*\d+\s*\)", header))


def score_kinds(headers: list[str]) -> dict[str, float]:
    """How well the headers fit each kind: required columns found weigh most."""
    preset = find_preset(headers)
    scores = {}
    for kind in KINDS:
        table = TABLES[kind]
        mapping = map_headers(headers, kind, preset)
        found = set(mapping.values())
        required = [c.name for c in table.columns if c.required]
        score = 3 * sum(r in found for r in required) / len(required) + len(found) / len(table.columns)
        if all(r in found for r in required):
            score += 2
        if table.one_of and not found & set(table.one_of):
            score -= 3
        if preset and PRESETS[preset]["kind"] == kind:
            score += 4
        scores[kind] = round(score, 3)
    return scores


def guess_kind(headers: list[str]) -> tuple[str | None, dict[str, float]]:
    scores = score_kinds(headers)
    best = max(scores, key=scores.get)
    return (best if scores[best] >= 3 else None), scores


def check_mapping(mapping: dict[str, str], kind: str, headers: list[str], file: str) -> None:
    """Raise MappingError listing every problem: unknown header or column, a column fed twice, a
    required column missing."""
    table = TABLES[kind]
    problems = []
    for source, target in mapping.items():
        if source not in headers:
            problems.append(f"the file has no column {source!r}")
        if target not in table.names:
            problems.append(f"{target!r} is not a column of {kind} (columns: {', '.join(table.names)})")
    targets = [t for t in mapping.values()]
    for t in sorted({t for t in targets if targets.count(t) > 1}):
        feeding = [s for s, x in mapping.items() if x == t]
        problems.append(f"{t!r} is fed by several columns ({', '.join(map(repr, feeding))})")
    missing = [c.name for c in table.columns if c.required and c.name not in targets]
    if missing:
        problems.append(f"required column(s) not mapped: {', '.join(missing)}")
    if table.one_of and not set(targets) & set(table.one_of):
        problems.append(f"map at least one of: {', '.join(table.one_of)}")
    if problems:
        raise MappingError("; ".join(problems), file=file,
                           fix="correct the column mapping (source header → column) and load again")
