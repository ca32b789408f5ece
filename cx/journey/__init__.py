"""The customer journey: stage rules, sessions, stage KPIs against the previous period, workshop notes.

Five stages (CX_REFERENCE.md §1): awareness, consideration, purchase, retention, advocacy. Every event, order,
ticket and survey response is assigned to one stage by a visible, editable rule table stored in the workspace
(`journey_stage_rules`). Stages are computed at query time — the rules are bound to the SQL as a list — so
changing a rule needs no re-import, and an edited table can be previewed before it is saved.

One module per job (import from `cx.journey`, which re-exports them):

- `rules`: the stages, the rule vocabulary (`MATCH_TYPES`), the default rules and the stored rule table;
- `roles`: the event names and order statuses the figures look for (`EVENT_ROLES`, cancelled, returned);
- `sessions`: web sessions (`find_sessions`, and the SQL and parameters friction and personas reuse);
- `stages`: the stage of each (event name, page) and the touchpoints of each stage;
- `periods`: the period shown and the previous one it is compared with;
- `kpis`: the KPIs of each stage (`find_stage_kpis`);
- `notes`: the workshop note of each stage;
- `query`: running a `cx/sql/journey_*.sql` file with a sentence for a broken rule pattern.
"""

from .kpis import ENGAGED_SECONDS, FILTERED_OUT, RECORDS, Kpi, Satisfaction, StageKpis, find_stage_kpis
from .notes import journey_notes, save_journey_note
from .periods import Periods, compare_periods, journey_periods
from .roles import EVENT_ROLES, role_params
from .rules import (
    DEFAULT_RULES,
    LIST_MATCHES,
    MATCH_TYPES,
    NO_PATTERN,
    REGEX_MATCHES,
    RULE_COLUMNS,
    STAGES,
    check_stage_rules,
    default_stage_rules,
    reset_stage_rules,
    rules_key,
    save_stage_rules,
    stage_rules,
    stage_rules_param,
)
from .sessions import find_sessions, session_events_sql, session_params, sessions_sql
from .stages import assign_stages, event_stages_sql, find_touchpoints

__all__ = [
    "DEFAULT_RULES",
    "ENGAGED_SECONDS",
    "EVENT_ROLES",
    "FILTERED_OUT",
    "LIST_MATCHES",
    "MATCH_TYPES",
    "NO_PATTERN",
    "RECORDS",
    "REGEX_MATCHES",
    "RULE_COLUMNS",
    "STAGES",
    "Kpi",
    "Periods",
    "Satisfaction",
    "StageKpis",
    "assign_stages",
    "check_stage_rules",
    "compare_periods",
    "default_stage_rules",
    "event_stages_sql",
    "find_sessions",
    "find_stage_kpis",
    "find_touchpoints",
    "journey_notes",
    "journey_periods",
    "reset_stage_rules",
    "role_params",
    "rules_key",
    "save_journey_note",
    "save_stage_rules",
    "session_events_sql",
    "session_params",
    "sessions_sql",
    "stage_rules",
    "stage_rules_param",
]
