"""Widgets of the Data page: one card per uploaded file (detection, kind, sheet, mapping), the report of
a load, the import history."""
from __future__ import annotations

from contextlib import contextmanager

import pandas as pd
import streamlit as st

from ..errors import CxError, unexpected
from ..export import to_csv_bytes
from ..format import escape_markdown
from ..ingest import detect_file, rejects_of, suggest_mapping
from ..models import Detection, ImportReport
from ..tempfiles import private_copy
from ..schema import KINDS, TABLES
from . import show_error, tr, workspace

IGNORE = "—"


@contextmanager
def upload_copy(upload):
    """The uploaded bytes in a private temporary file, for the length of the block only (detection and
    loading read a path); removed whatever the outcome, so no raw copy of an upload stays on disk."""
    with private_copy(upload.getvalue()) as path:
        yield path


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


def file_card(upload) -> dict | None:
    """Show what was found in one file and let the user correct it; returns the load plan or None."""
    fid = upload.file_id
    with st.container(border=True):
        sheet = st.session_state.get(f"sheet_{fid}")
        found = detection_for(upload, sheet)
        if isinstance(found, CxError):
            st.markdown(f"**:material/description: {escape_markdown(upload.name)}**")
            show_error(found)
            return None
        d = found
        st.markdown(f"**:material/description: {escape_markdown(d.file)}** — " + tr("data.found", kind=tr(f"table.{d.kind}") if d.kind
                                                          else tr("data.kind_unknown")))
        facts = [tr("data.fact_type", value=d.file_type.upper())]
        if d.encoding:
            facts.append(tr("data.fact_encoding", value=d.encoding))
        if d.delimiter:
            facts.append(tr("data.fact_delimiter", value={"\t": "tab", " ": "space"}.get(d.delimiter, d.delimiter)))
        if d.preset:
            facts.append(tr("data.fact_preset", value=d.preset))
        if d.mapping_source == "saved":
            facts.append(tr("data.fact_saved"))
        facts += _option_facts(d.options)
        st.caption(" · ".join(facts))
        left, right = st.columns(2)
        kind_labels = {k: tr(f"table.{k}") for k in KINDS}  # labels fixed now, not when Streamlit formats
        kind = left.selectbox(tr("data.kind"), KINDS, index=KINDS.index(d.kind) if d.kind else None,
                              format_func=kind_labels.get, key=f"kind_{fid}",
                              placeholder=tr("data.kind_placeholder"), help=tr("data.kind_help"))
        if d.sheets:
            right.selectbox(tr("data.sheet"), d.sheets, index=d.sheets.index(d.sheet), key=f"sheet_{fid}",
                            help=tr("data.sheet_help"))
        st.dataframe(d.preview, hide_index=True, width="stretch", height=180)
        if kind is None:
            st.info(tr("data.choose_kind"))
            return None
        mapping = _mapping_editor(d, kind, fid)
        duplicate = "keep"
        if d.duplicate_of is not None:
            st.warning(tr("data.duplicate", import_id=d.duplicate_of), icon=":material/content_copy:")
            choices = {c: tr(f"data.duplicate_{c}") for c in ("skip", "replace")}
            duplicate = st.radio(tr("data.duplicate_choice"), list(choices), key=f"dup_{fid}",
                                 format_func=choices.get, horizontal=True)
        return {"upload": upload, "kind": kind, "mapping": mapping, "sheet": d.sheet, "on_duplicate": duplicate}


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
        facts.append(tr("data.fact_ces_easy" if options.get("ces_higher_is_better") else "data.fact_ces_effort",
                        scale=options["ces_scale"]))
    return facts


def _mapping_editor(d: Detection, kind: str, fid: str) -> dict[str, str]:
    suggested = suggest_mapping(d, kind)
    examples = d.preview.iloc[0].tolist() if len(d.preview) else [None] * len(d.headers)
    frame = pd.DataFrame({"source": list(d.headers),
                          "example": [None if pd.isna(v) else str(v)[:40] for v in examples[:len(d.headers)]],
                          "column": [suggested.get(h, IGNORE) for h in d.headers]})
    required = [c.name for c in TABLES[kind].columns if c.required]
    st.markdown(f"**{tr('data.mapping')}** — " + tr("data.mapping_help", required=", ".join(required))
                + (" " + tr("data.mapping_help_events") if TABLES[kind].keeps_properties else ""))
    edited = st.data_editor(frame, hide_index=True, width="stretch", key=f"map_{fid}_{kind}", disabled=["source", "example"],
                            column_config={
                                "source": tr("data.col_source"), "example": tr("data.col_example"),
                                "column": st.column_config.SelectboxColumn(
                                    tr("data.col_target"), options=[IGNORE] + TABLES[kind].names, required=True)})
    return {r.source: r.column for r in edited.itertuples() if r.column and r.column != IGNORE}


def report_card(report: ImportReport | CxError, name: str) -> None:
    with st.container(border=True):
        if isinstance(report, CxError):
            st.markdown(f"**:material/description: {escape_markdown(name)}**")
            show_error(report)
            st.caption(tr("data.nothing_changed"))
            return
        if report.status == "skipped":
            st.info(tr("data.skipped", file=report.file, import_id=report.import_id), icon=":material/content_copy:")
            return
        st.markdown(f"**:material/description: {escape_markdown(report.file)}** → {tr(f'table.{report.kind}')} "
                    f"({tr('col.import_id')} {report.import_id})")
        a, b, c = st.columns(3)
        a.metric(tr("col.rows_read"), f"{report.rows_read:,}")
        b.metric(tr("col.rows_loaded"), f"{report.rows_loaded:,}")
        c.metric(tr("col.rows_rejected"), f"{report.rows_rejected:,}")
        if report.rows_rejected:
            rejects = rejects_of(workspace(), report.import_id)
            st.warning(tr("data.rejected", n=report.rows_rejected), icon=":material/rule:")
            st.dataframe(rejects.drop(columns=["code"]), hide_index=True, width="stretch",
                         height=min(38 + 35 * len(rejects), 320),
                         column_config={"line": tr("col.line"), "column": tr("col.column"),
                                        "value": tr("col.value"), "reason": tr("col.reason")})
            st.download_button(tr("data.download_rejects"), to_csv_bytes(rejects),
                               file_name=f"rejects_import_{report.import_id}.csv", mime="text/csv",
                               key=f"dl_{report.import_id}")
        else:
            st.success(tr("data.all_loaded"), icon=":material/check_circle:")
