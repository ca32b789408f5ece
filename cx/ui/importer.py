"""Widgets of the Data page: one card per uploaded file (detection, kind, sheet, mapping), the report of
a load, the import history."""

from __future__ import annotations

import json
from contextlib import contextmanager
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ..errors import CxError, unexpected
from ..format import date, escape_markdown, file_size, missing, number, percent
from ..ingest import detect_file, earlier_import, suggest_mapping
from ..ingest.erase import removal_counts
from ..ingest.mapping import missing_columns
from ..models import Detection, ImportReport, Note
from ..privacy import mask_text, readable
from ..rejects import reject_counts, rejected_rows, rejects_table
from ..schema import KINDS, TABLES, fixable_columns
from ..tempfiles import private_copy
from . import lang, show_error, tr, workspace
from .cache import uncached
from .download import download_table

KEEP, IGNORE = "__keep__", "__ignore__"  # dropdown choices beside the canonical columns


@contextmanager
def upload_copy(upload):
    """The uploaded bytes in a private temporary file, for the length of the block only (detection and
    loading read a path); removed whatever the outcome, so no raw copy of an upload stays on disk."""
    with private_copy(upload.getvalue()) as path:
        yield path


def uploaded_files(uploads) -> None:
    """The dropped files, listed in the page's language with their sizes ("1,2 Ko"): Streamlit's own list under
    the drop zone writes "1.2KB" and shows two rows of files, the others behind a scroll (a tester missed the
    11th of 11)."""
    if not uploads:
        return
    st.caption(tr("data.uploaded", n=number(len(uploads), lang()), count=len(uploads)))
    st.dataframe(
        pd.DataFrame({"file": [u.name for u in uploads], "size": [file_size(u.size, lang()) for u in uploads]}),
        hide_index=True,
        height="content",  # every file, none behind a scroll
        column_config={"file": tr("col.file"), "size": tr("col.size")},
    )


def forget_removed(uploads) -> None:
    """Drop what was detected in files no longer in the uploader (previews hold their first rows)."""
    present = {u.file_id for u in uploads or []}
    cache = st.session_state.get("detections", {})
    for key in [k for k in cache if k[0] not in present]:
        del cache[key]


def detection_for(upload, sheet: str | None) -> Detection | CxError:
    cache = st.session_state.setdefault("detections", {})
    key = (upload.file_id, sheet)
    if key not in cache:
        try:
            with upload_copy(upload) as path:
                cache[key] = detect_file(workspace(), path, upload.name, sheet=sheet)
        except CxError as e:
            cache[key] = e
        except Exception as e:  # never a traceback on screen
            cache[key] = unexpected(e, upload.name)
    return cache[key]


def shown_preview(preview: pd.DataFrame, mask: bool, personal: tuple = ()) -> pd.DataFrame:
    """The first rows as the Data page shows them: an empty cell empty (never "None"), and, when personal data
    is pseudonymised, the e-mail addresses and phone numbers masked as the import will mask them, and the columns
    the import pseudonymises (`personal`: names, addresses, e-mails) shown as such (a tester saw names in clear)."""
    out = preview.astype(object).where(preview.notna(), "")
    if not mask:
        return out
    out = out.map(lambda v: readable(mask_text(v), lang()) if isinstance(v, str) else v)
    for h in set(personal) & set(out.columns):
        out[h] = out[h].map(lambda v: tr("data.preview_pseudonymised") if v != "" else v)
    return out


def file_card(upload, mask: bool = True, twin: str | None = None) -> dict | None:
    """Show what was found in one file and let the user correct it; returns the load plan or None. `mask`:
    personal data is pseudonymised, so the previews mask e-mails and phone numbers; `twin`: the name of a file
    dropped above it with the very same bytes, read at the same sheet (`twin_of`)."""
    fid = upload.file_id
    with st.container(border=True):
        sheet = st.session_state.get(f"sheet_{fid}")
        found = detection_for(upload, sheet)
        if isinstance(found, CxError):
            st.markdown(f"**:material/description: {escape_markdown(upload.name)}**")
            show_error(found)
            return None
        d = found
        found_text = tr("data.found", kind=tr(f"table.{d.kind}")) if d.kind else tr("data.kind_unknown")
        st.markdown(f"**:material/description: {escape_markdown(d.file)}** — " + found_text)
        facts = [tr("data.fact_type", value=d.file_type.upper())]
        if d.kind:
            facts.append(tr("import.sure", level=tr("import.sure_high" if _margin(d) >= 3 else "import.sure_medium")))
        if d.encoding:
            facts.append(tr("data.fact_encoding", value=d.encoding))
        if d.delimiter:
            facts.append(tr("data.fact_delimiter", value=delimiter_name(d.delimiter)))
        if d.preset:
            facts.append(tr("data.fact_preset", value=preset_label(d.preset)))
        if d.mapping_source == "saved":
            facts.append(tr("data.fact_saved"))
        facts += _option_facts(d.options)
        st.caption(" · ".join(facts))  # our own labels and detected values (encoding, one-character delimiter)
        if d.notes:
            st.caption(escape_markdown(notes_text(d.notes)))
        duplicate = already_imported(d.sha256, d.sheet, fid)
        if twin is not None:  # the first loads; this one is then skipped as its duplicate
            st.warning(tr("data.twin", file=escape_markdown(twin)), icon=":material/content_copy:")
        if d.kind is None and len(d.likeliest) == 2:
            st.warning(
                tr("import.unsure", first=tr(f"table.{d.likeliest[0]}"), second=tr(f"table.{d.likeliest[1]}")),
                icon=":material/help:",
            )
        left, right = st.columns(2)
        kinds = list(dict.fromkeys([*d.likeliest, *KINDS])) if d.kind is None else list(KINDS)
        kind_labels = {k: tr(f"table.{k}") for k in KINDS}  # labels fixed now, not when Streamlit formats
        kind = left.selectbox(
            tr("data.kind"),
            kinds,
            index=kinds.index(d.kind) if d.kind else None,
            format_func=kind_labels.get,
            key=f"kind_{fid}",
            placeholder=tr("data.kind_placeholder"),
            help=tr("data.kind_help"),
        )
        if d.sheets:
            right.selectbox(
                tr("data.sheet"),
                d.sheets,
                index=d.sheets.index(d.sheet),
                key=f"sheet_{fid}",
                help=tr("data.sheet_help"),
            )
        with st.expander(tr("data.preview"), expanded=False):
            st.dataframe(shown_preview(d.preview, mask, d.personal), hide_index=True, width="stretch", height=180)
        if kind is None:
            st.info(tr("data.choose_kind"))
            return None
        mapping = _mapping_editor(d, kind, fid, mask)
        constants = _constant_pickers(mapping, kind, fid)
        problems = _mapping_problems(mapping, kind, constants)
        for problem in problems:
            st.warning(problem, icon=":material/link_off:")
        return {
            "upload": upload,
            "kind": kind,
            "mapping": mapping,
            "constants": constants,
            "sheet": d.sheet,
            "on_duplicate": duplicate,
            "ready": not problems,
        }


def twin_of(upload, uploads) -> str | None:
    """The name of a file dropped before `upload` (in `uploads`' order) with the very same bytes, read at the same
    sheet, if any: loading both loads them once (the second is skipped as the first's duplicate). The same workbook
    dropped twice to load two of its sheets is no twin."""

    def digest(u) -> tuple[str, str | None] | None:
        found = detection_for(u, st.session_state.get(f"sheet_{u.file_id}"))
        return None if isinstance(found, CxError) else (found.sha256, found.sheet)

    mine = digest(upload)
    before = uploads[: [u.file_id for u in uploads].index(upload.file_id)] if mine else []
    return next((u.name for u in before if digest(u) == mine), None)


def already_imported(sha256: str, sheet: str | None, fid: str) -> str:
    """Said at the top of a file's card, before the load: these very bytes (this very sheet of a workbook) were
    imported already (when, which import, its rows), what loading them does — nothing, the earlier import stays — and
    the other choice: replace it. Returns the choice for `import_file(on_duplicate=…)`; "skip" for a new file (another
    session may load the same bytes meanwhile: then nothing is loaded twice). Looked up at every run: an import
    deleted meanwhile is gone."""
    earlier = uncached(earlier_import, sha256, sheet)
    if earlier is None:
        return "skip"
    st.warning(
        tr(
            "data.duplicate",
            date=date(earlier.loaded_at, lang(), time=True),
            import_id=earlier.import_id,
            file=escape_markdown(earlier.file),
            rows=number(earlier.rows_loaded, lang()),
            count=earlier.rows_loaded,
        ),
        icon=":material/content_copy:",
    )
    choices = {c: tr(f"data.duplicate_{c}", import_id=earlier.import_id) for c in ("skip", "replace")}
    return st.radio(tr("data.duplicate_choice"), list(choices), key=f"dup_{fid}", format_func=choices.get)


@dataclass(frozen=True)
class NotLoaded:
    """A dropped file left out of a load, and why (`kind`: what it holds is not chosen; `error`: it cannot be
    read, its card says why): the load report lists it, so nothing a user dropped vanishes without a word."""

    file: str
    why: str  # kind | error


def not_loaded(name: str, found) -> NotLoaded:
    """Why the card of a dropped file gave no load plan: it cannot be read, or what it holds is not chosen."""
    return NotLoaded(name, "error" if isinstance(found, CxError) else "kind")


def left_out_text(left: list[NotLoaded]) -> str:
    """Before the load: the files that will not be loaded with the others, and what to do."""
    return tr("data.left_out", n=len(left), files=", ".join(escape_markdown(n.file) for n in left))


def _margin(d: Detection) -> float:
    scores = sorted(d.kind_scores.values(), reverse=True)
    return scores[0] - scores[1] if len(scores) > 1 else scores[0]


def _option_facts(options: dict) -> list[str]:
    """How numbers, dates and survey scales will be read, so the user can check before loading."""
    facts = []
    if "," in options.get("decimal", {}).values():
        facts.append(tr("data.fact_decimal_comma"))
    orders = set(options.get("date_order", {}).values())
    if orders:
        facts.append(tr("data.fact_mdy") if orders == {"mdy"} else tr("data.fact_dmy"))
    if "csat_scale" in options:
        facts.append(tr("data.fact_csat", scale=options["csat_scale"]))
    if "ces_scale" in options:
        facts.append(
            tr(
                "data.fact_ces_easy" if options.get("ces_higher_is_better") else "data.fact_ces_effort",
                scale=options["ces_scale"],
            )
        )
    return facts


def field_label(column: str, kind: str) -> str:
    required = column in required_columns(kind)
    return tr(f"field.{column}") + (" *" if required else "")


def required_columns(kind: str) -> set[str]:
    return {c.name for c in TABLES[kind].columns if c.required}


def preset_label(name: str) -> str:
    """A known export's name in the UI's language ("Commandes Shopify"); a product's own name stays as it is."""
    label = tr(f"import.preset.{name}")
    return name if label == f"import.preset.{name}" else label


def _reason_text(reason, mapped: bool = False) -> str:
    if reason is None:  # a pair proposed without a recorded reason (another kind's mapping) is still a proposal
        return tr("import.reason.proposed" if mapped else "import.reason.kept")
    detail = (
        tr(f"import.evidence.{reason.detail}")
        if reason.code == "values"
        else preset_label(reason.detail)
        if reason.code == "preset"
        else reason.detail
    )
    return tr(f"import.reason.{reason.code}", detail=detail)


def _mapping_editor(d: Detection, kind: str, fid: str, mask: bool = True) -> dict[str, str | None]:
    """One dropdown per source column (plain-language labels, sample values, why it was chosen).
    Columns with no proposed match sit in an expander; they are kept as extra data unless ignored.
    Returns {source header: canonical column, or None when the user chose to ignore it}."""
    suggested = d.mapping if kind == d.kind else d.mappings.get(kind) or suggest_mapping(d, kind)
    reasons = d.reasons if kind == d.kind else d.kind_reasons.get(kind, {}) if suggested == d.mappings.get(kind) else {}
    names = TABLES[kind].names
    options = [KEEP, IGNORE] + names
    labels = {KEEP: tr("import.keep"), IGNORE: tr("import.ignore"), **{n: field_label(n, kind) for n in names}}
    required = ", ".join(tr(f"field.{c}") for c in names if c in required_columns(kind))
    st.markdown(f"**{tr('data.mapping')}** — " + tr("data.mapping_help", required=required))
    chosen: dict[str, str | None] = {}
    matched = [h for h in d.headers if suggested.get(h)]
    others = [h for h in d.headers if not suggested.get(h)]

    def row(h: str) -> None:
        i = d.headers.index(h)
        source, target, why = st.columns([3, 3, 3], vertical_alignment="center")
        shown = (readable(mask_text(str(v)), lang()) if mask else str(v) for v in d.examples.get(h, ())[:3])
        examples = ", ".join(v[:30] for v in shown)
        source.markdown(
            f"**{escape_markdown(h)}**" + (f"  \n{escape_markdown(examples)}" if examples else ""),
            help=tr("import.col_values"),
        )
        default = IGNORE if h in suggested and suggested[h] is None else suggested.get(h) or KEEP
        # a widget label renders markdown: the header (user data) is escaped there too
        value = target.selectbox(
            escape_markdown(h),
            options,
            index=options.index(default if default in options else KEEP),
            format_func=labels.get,
            key=f"map_{fid}_{kind}_{i}",
            label_visibility="collapsed",
        )
        why.caption(
            escape_markdown(
                _reason_text(reasons.get(h), default not in (KEEP, IGNORE))
                if value == default
                else tr("import.reason.user")
            )
        )
        if value == IGNORE:
            chosen[h] = None
        elif value != KEEP:
            chosen[h] = value

    for h in matched:
        row(h)
    if others:
        with st.expander(tr("import.more_columns", n=len(others)) + " — " + tr("import.kept_summary", n=len(others))):
            for h in others:
                row(h)
    return chosen


def constant_label(column: str, value: str) -> str:
    """A value given to every row, as the UI names it ("email" → "E-mail")."""
    label = tr(f"import.constant_value.{column}.{value}")
    return value if label == f"import.constant_value.{column}.{value}" else label


def constants_text(constants: dict) -> str:
    """The values given to every row, in words: "Canal = E-mail"."""
    return ", ".join(f"{tr(f'field.{c}')} = {constant_label(c, v)}" for c, v in constants.items())


def _constant_pickers(mapping: dict, kind: str, fid: str) -> dict[str, str]:
    """For a required column no source column feeds and that may take one value for the whole file (a ticket
    export with no channel: Freshdesk's), a dropdown of its values: "All these tickets came through the
    channel: [E-mail]". Nothing is chosen for the user; returns {column: value chosen}."""
    fed = set(mapping.values())
    chosen = {}
    for column in fixable_columns(kind):
        if column.name in fed:
            continue
        value = st.selectbox(
            tr(f"import.constant.{kind}.{column.name}"),
            list(column.fixed_choices),
            index=None,
            format_func=lambda v, c=column.name: constant_label(c, v),
            key=f"const_{fid}_{kind}_{column.name}",
            placeholder=tr("import.constant_placeholder"),
            help=tr("import.constant_help", column=tr(f"field.{column.name}")),
        )
        if value is not None:
            chosen[column.name] = value
    return chosen


def _mapping_problems(mapping: dict, kind: str, constants: dict | None = None) -> list[str]:
    """What stops a load, in the user's words: required columns not mapped (nor given one value for every
    row), a column fed twice."""
    targets = [t for t in mapping.values() if t]
    problems = []
    missing = missing_columns([*targets, *(constants or {})], kind)
    if missing:
        fixable = {c.name for c in fixable_columns(kind)}
        words = [
            tr("import.one_of", columns=" / ".join(tr(f"field.{c}") for c in m.split(" | ")))
            if " | " in m
            else tr("import.or_fixed", column=tr(f"field.{m}"))
            if m in fixable  # the dropdown above offers one value for the whole file
            else tr(f"field.{m}")
            for m in missing
        ]
        problems.append(tr("import.missing", columns=", ".join(words)))
    for t in sorted({t for t in targets if targets.count(t) > 1}):
        feeding = ", ".join(escape_markdown(s) for s, x in mapping.items() if x == t)
        problems.append(tr("import.twice", column=tr(f"field.{t}"), sources=feeding))
    return problems


NOT_RESHAPED = {
    "currencies",
    "company_list",
    "unknown_channels",
    "statuses_no_sale",
    "statuses_returned",
    "erased_person",
} | {
    f"{n}_crm_match_{t}" for n in ("no", "few") for t in ("orders", "tickets", "responses")
}  # about the values, not a reshape: said on their own


def notes_text(notes) -> str:
    """The importer's notes in the UI's language (a `cx.models.Note` by its label, another note as written)."""

    def text(n) -> str:
        return tr(f"import.note.{n.key}", **n.values) if isinstance(n, Note) else n

    reshaped = [text(n) for n in notes if getattr(n, "key", None) not in NOT_RESHAPED]
    others = [text(n) for n in notes if getattr(n, "key", None) in NOT_RESHAPED]
    return " · ".join(([tr("import.notes", notes=tr("list.semicolon").join(reshaped))] if reshaped else []) + others)


WIDTHS = {"line": "small", "column": "medium", "value": "small", "reason": "medium", "fix": "large"}


def show_rejects(rejects: pd.DataFrame, import_id: int, key: str) -> None:
    """The rejected rows of import `import_id` (`cx.rejects.rejected_rows`) as `cx.rejects.rejects_table` writes them
    — the same table on screen and in its download (CSV, XLSX) named after the import — and what was kept of them."""
    shown = rejects_table(rejects.drop(columns=["import_id", "file_name"]), lang())
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(shown), 320),
        # the reason and its fix are read whole; a long survey question as a column name is cut
        column_config={tr(f"col.{c}"): st.column_config.Column(width=w) for c, w in WIDTHS.items()},
    )
    st.caption(tr("rejects.kept_note"))
    download_table(shown, tr("data.download_rejects"), f"rejects_import_{import_id}", key=key)


def history_rejects() -> None:
    """The import history's rejected rows: pick an import that holds some (read from the rejects themselves), see
    and download them, in any later session (the demo's included)."""
    counts = uncached(reject_counts).set_index("import_id")
    if counts.empty:
        st.caption(tr("rejects.history_none"))
        return
    labels = {
        i: tr("rejects.history_count", import_id=i, file=r.file_name, n=number(r.rejects, lang()), count=r.rejects)
        for i, r in counts.iterrows()
    }
    chosen = int(st.selectbox(tr("rejects.history_pick"), list(labels), key="rejects_pick", format_func=labels.get))
    show_rejects(uncached(rejected_rows, chosen), chosen, key=f"dl_history_{chosen}")


def delimiter_name(delimiter: str) -> str:
    """';' as it is; a tab or a space in words ("tabulation", "espace")."""
    return {"\t": tr("import.delimiter.tab"), " ": tr("import.delimiter.space")}.get(delimiter, delimiter)


def readable_imports(imports: pd.DataFrame) -> pd.DataFrame:
    """An import listing (history or quality) as the UI's reader reads it: table names, statuses, yes/no,
    delimiters in words, counts and dates in the language's style, blank for a missing value (never "None")."""

    def each(column: str, show) -> None:
        if column in view:
            view[column] = [None if missing(v) else show(v) for v in view[column]]

    view = imports.copy()
    each("kind", lambda k: tr(f"table.{k}"))
    each("status", lambda s: tr(f"import.status.{s}"))
    each("is_demo", lambda d: tr("import.yes" if d else "import.no"))
    each("delimiter", delimiter_name)
    each("constants", lambda text: constants_text(json.loads(text)))
    each("file_type", str.upper)
    for column in ("rows_read", "rows_loaded", "rows_rejected"):
        each(column, lambda n: number(n, lang()))
    each("rejected_share", lambda s: percent(s, lang(), 2))
    for column in ("started_at", "finished_at"):
        each(column, lambda ts: date(ts, lang(), time=True))
    return view.fillna({c: "" for c in view.columns if view[c].dtype in (object, "string", "str")})


def report_card(report: ImportReport | CxError | NotLoaded, name: str) -> None:
    with st.container(border=True):
        if isinstance(report, NotLoaded):
            st.markdown(f"**:material/description: {escape_markdown(name)}** — {tr('data.not_loaded')}")
            st.warning(tr(f"data.not_loaded_{report.why}"), icon=":material/pending:")
            return
        if isinstance(report, CxError):
            st.markdown(f"**:material/description: {escape_markdown(name)}**")
            show_error(report)
            st.caption(tr("data.nothing_changed"))
            return
        if report.status == "skipped":
            st.info(
                tr("data.skipped", file=escape_markdown(report.file), import_id=report.import_id),
                icon=":material/content_copy:",
            )
            return
        st.markdown(
            f"**:material/description: {escape_markdown(report.file)}** → {tr(f'table.{report.kind}')} "
            f"({tr('col.import_id')} {report.import_id})"
        )
        if report.notes:
            st.caption(escape_markdown(notes_text(report.notes)))
        if report.currency:
            st.caption(tr("import.currency", currency=report.currency))
        if report.constants:
            st.caption(tr("import.constants", values=constants_text(report.constants)))
        a, b, c = st.columns(3)
        a.metric(tr("col.rows_read"), number(report.rows_read, lang()))
        b.metric(tr("col.rows_loaded"), number(report.rows_loaded, lang()))
        c.metric(tr("col.rows_rejected"), number(report.rows_rejected, lang()))
        if report.rows_rejected and not report.rows_loaded:
            st.error(tr("data.all_rejected", n=report.rows_rejected), icon=":material/block:")
        elif report.rows_rejected:
            st.warning(tr("data.rejected", n=report.rows_rejected), icon=":material/rule:")
        if report.rows_rejected:
            show_rejects(uncached(rejected_rows, report.import_id), report.import_id, key=f"dl_{report.import_id}")
        else:
            st.success(tr("data.all_loaded"), icon=":material/check_circle:")
        if report.columns:
            with st.expander(tr("import.fates")):
                st.dataframe(
                    pd.DataFrame(
                        {
                            tr("data.col_source"): list(report.columns),
                            tr("import.fates"): [
                                tr(f"import.fate.{f['fate']}", column=tr(f"field.{f['column']}"))
                                for f in report.columns.values()
                            ],
                        }
                    ),
                    hide_index=True,
                    width="stretch",
                )


def demo_removal_text(removal) -> str:
    """What "use my own data" will remove, in words (`cx.demo.DemoRemoval`): the demo's imports and rows, then
    each kind of work saved on it that there is."""
    work = [
        tr(f"overview.removes.{name}", n=number(getattr(removal, name), lang()))
        for name in ("notes", "persona_names", "statuses", "workshops", "thresholds", "keywords")
        if getattr(removal, name)
    ]
    return tr(
        "overview.removes",
        imports=removal.imports,
        rows=number(removal.rows, lang()),
        work=" · ".join(work) if work else tr("overview.removes.nothing"),
        count=removal.rows,
    )


def import_removal_text(history: pd.DataFrame, import_id: int) -> str:
    """What deleting the import `import_id` will remove, in words (its row of `list_imports`)."""
    row = history.set_index("import_id").loc[import_id]
    if row["status"] == "attached":  # a folder read in place: its files stay where they are
        return tr("data.detach_removes", import_id=import_id, file=escape_markdown(str(row["file_name"])))
    held = uncached(removal_counts, import_id)  # counted now: a person erased since took their rows away
    return tr(
        "data.delete_removes_cells" if held["cells"] else "data.delete_removes",
        import_id=import_id,
        file=escape_markdown(str(row["file_name"])),
        rows=number(held["rows"], lang()),
        kind=tr(f"table.{row['kind']}"),
        rejected=number(held["rejected"], lang()),
        cells=number(held["cells"], lang()),
    )
