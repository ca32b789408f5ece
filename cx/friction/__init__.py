"""Friction findings: where customers struggle, what it costs, what to do (CX_REFERENCE §3).

Each detector is a small function with a stable code (`DETECTORS`) that reads what the user uploaded and
returns `Finding` records, or says which data it lacks. `find_friction(ws, filters)` runs them all and ranks
the findings, most costly first (revenue at risk, then strength of evidence).

Honest statistics, so that data with no problem yields no finding:

* every comparison is one-sided (worse only) and uses an **exact binomial tail** (the rate of the rest taken as
  the expected rate), not a normal approximation, because windows and groups can be small;
* within a detector, **Bonferroni** over every comparison it made (each window × group × step scanned, each
  group × dimension, each page, theme…): a finding needs p < ALPHA / m (ALPHA = 1 %, family-wise);
* a minimum sample (MIN_SAMPLE observations in the group or window) and a minimum effect (the observed rate at
  least MIN_RELATIVE_GAP = 25 % worse than expected, relative) so a tiny but "significant" gap on big data is
  not a finding.

Incidents are found without being told the dates: for each step of the e-commerce funnel and each device
(and all devices together), every run of 3 to 28 consecutive days is compared with the other days of the period;
the most significant run is the incident window. Step conversion is per session, "sessions containing step k-1
that also contain step k" (the definition of GROUND_TRUTH).

Revenue at risk = (expected − observed conversion) × affected users × value per conversion; the value of one
conversion comes from the data (revenue per converting web session, else AOV of the orders) and, for a step
before the purchase, is multiplied by the share of sessions past that step that go on to buy. Findings about
satisfaction or support measure no conversion: their revenue at risk is None (not estimated), said as such.

The package, one job per module (a new detector goes in web.py or customers.py and is listed in run.DETECTORS):

* models.py: Finding, DetectorRun, FrictionReport, NoData, the remedy of each code;
* stats.py: exact tests, Bonferroni, minimum effect, the scan of runs of days, revenue at risk;
* context.py: what the detectors of one run share; the filtered events are read once into a narrow temp
  table of integers (fr_keyed: session and visitor keys, time, ids of the event name, page path, device,
  channel and country from the small fr_names, fr_paths and fr_dims), summarised into the sessions
  (fr_sessions: the same ids, and one bit per event name the detectors ask about, TRACKED_NAMES, whose distinct
  sets are spelt out once in fr_name_sets);
  the detectors read small aggregates of them, spelling the ids out after grouping (cx/sql/friction_*.sql);
* web.py, customers.py: the detectors on web events, and on orders, tickets and survey answers;
* run.py: find_friction (run and rank) and top_findings;
* status.py: open / in progress / dismissed, kept in the workspace;
* wording.py: a finding's sentence in a language, the export table.
"""

from .models import REMEDIES, DetectorRun, Finding, FrictionReport, NoData
from .run import DETECTORS, find_friction, top_findings
from .stats import (
    ALPHA,
    MIN_SAMPLE,
    Window,
    binom_tail,
    fisher_tail,
    revenue_at_risk,
    scan_counts,
    scan_rates,
    severity_of,
    significant,
    two_proportion_z,
)
from .status import STATUSES, apply_statuses, load_statuses, set_finding_status, status_of
from .wording import (
    finding_title,
    findings_table,
    how_bad_text,
    measure,
    money,
    revenue_formula,
    segment_label,
    title_values,
    touched_label,
    touched_text,
)

__all__ = [
    "ALPHA",
    "DETECTORS",
    "MIN_SAMPLE",
    "REMEDIES",
    "STATUSES",
    "DetectorRun",
    "Finding",
    "FrictionReport",
    "NoData",
    "Window",
    "apply_statuses",
    "binom_tail",
    "find_friction",
    "finding_title",
    "findings_table",
    "fisher_tail",
    "how_bad_text",
    "load_statuses",
    "measure",
    "money",
    "revenue_at_risk",
    "revenue_formula",
    "scan_counts",
    "scan_rates",
    "segment_label",
    "set_finding_status",
    "severity_of",
    "significant",
    "status_of",
    "title_values",
    "top_findings",
    "touched_label",
    "touched_text",
    "two_proportion_z",
]
