"""Données / Data: drop exports, check what was found, correct kind and mapping, load, read the report."""

import streamlit as st

from cx.errors import CxError, unexpected
from cx.format import number
from cx.ingest import erase_import, import_file, list_imports
from cx.ui import lang, show_error, tr, workspace
from cx.ui.cache import uncached
from cx.ui.confirm import confirmed, flash, show_flash
from cx.ui.forget import erase_one_person
from cx.ui.importer import (
    detection_for,
    file_card,
    forget_removed,
    history_rejects,
    import_removal_text,
    left_out_text,
    not_loaded,
    readable_imports,
    report_card,
    twin_of,
    upload_copy,
    uploaded_files,
)

ws = workspace()
st.title(tr("data.title"))
st.caption(tr("data.subtitle"))
show_flash()  # "demo removed", "import deleted": said after the rerun that follows them

round_ = st.session_state.setdefault("upload_round", 0)
uploads = st.file_uploader(
    tr("data.drop"), accept_multiple_files=True, key=f"uploader_{round_}", help=tr("data.drop_help")
)
uploaded_files(uploads)
pseudonymise = st.toggle(tr("data.pseudonymise"), value=True, help=tr("data.pseudonymise_help"))

forget_removed(uploads)
loaded = st.session_state.setdefault("loaded_uploads", set())  # loaded in this round: their cards are done
pending = [u for u in uploads or [] if u.file_id not in loaded]
cards = [(u, file_card(u, mask=pseudonymise, twin=twin_of(u, pending))) for u in pending]
plans = [p for _u, p in cards if p]
left_out = [not_loaded(u.name, detection_for(u, st.session_state.get(f"sheet_{u.file_id}"))) for u, p in cards if not p]
if pending:
    ready = bool(plans) and all(p["ready"] for p in plans)
    label = tr("data.load", n=len(plans)) if plans else tr("data.load_none")  # no "Load 0 files"
    if left_out:  # said before the click: these files stay here, not loaded with the others
        st.warning(left_out_text(left_out), icon=":material/pending:")
    if st.button(label, type="primary", disabled=not ready, key="load"):
        reports = []
        bar = st.progress(0.0)
        for i, plan in enumerate(plans):
            name = plan["upload"].name
            bar.progress(i / len(plans), text=tr("data.loading", file=name))
            try:
                with upload_copy(plan["upload"]) as path:
                    reports.append(
                        (
                            name,
                            import_file(
                                ws,
                                path,
                                name,
                                kind=plan["kind"],
                                mapping=plan["mapping"],
                                constants=plan["constants"] or None,
                                sheet=plan["sheet"],
                                on_duplicate=plan["on_duplicate"],
                                pseudonymise=pseudonymise,
                            ),
                        )
                    )
            except CxError as e:
                reports.append((name, e))
            except Exception as e:  # never a traceback on screen; the workspace is unchanged
                reports.append((name, unexpected(e, name)))
        bar.empty()
        st.session_state["reports"] = reports + [(n.file, n) for n in left_out]
        if left_out or any(isinstance(r, CxError) for _, r in reports):
            # the files not loaded and the user's choices stay, to be corrected and loaded; those loaded are done
            loaded.update(p["upload"].file_id for p, (_n, r) in zip(plans, reports) if not isinstance(r, CxError))
        else:
            st.session_state["upload_round"] = round_ + 1  # a clean slate for the next files
            st.session_state.pop("detections", None)
            loaded.clear()
        st.rerun()

if st.session_state.get("reports"):
    st.subheader(tr("data.report"))
    for name, report in st.session_state["reports"]:
        report_card(report, name)

st.subheader(tr("data.history"))
history = uncached(list_imports)  # on a lake, read again if another replica's erasure deleted a file under it
if history.empty:
    st.info(tr("data.history_empty"))
else:
    st.dataframe(
        readable_imports(history),
        hide_index=True,
        width="stretch",
        column_config={
            "import_id": st.column_config.TextColumn(tr("col.import_id"), help=tr("col.import_id_help")),
            "file_name": tr("col.file"),
            "kind": tr("col.kind"),
            "file_type": tr("col.file_type"),
            "encoding": tr("col.encoding"),
            "delimiter": tr("col.delimiter"),
            "sheet": tr("col.sheet"),
            "rows_read": tr("col.rows_read"),
            "rows_loaded": tr("col.rows_loaded"),
            "rows_rejected": tr("col.rows_rejected"),
            "status": tr("col.status"),
            "is_demo": tr("col.is_demo"),
            "started_at": tr("col.started_at"),
            "finished_at": tr("col.finished_at"),
            "constants": tr("col.constants"),
        },
    )
    # the number is an id, as a database's (Metabase, datasette show it as it is): never renumbered, so the command
    # line's `delete N` and `rejects --import N` keep naming the same import; the count is said apart
    st.caption(tr("data.history_count", n=number(len(history), lang()), count=len(history)))
    with st.expander(tr("rejects.history_title"), icon=":material/rule:"):
        history_rejects()
    with st.expander(tr("data.delete_title")):
        chosen = st.selectbox(
            tr("data.delete_pick"),
            history["import_id"].tolist(),
            key="delete_pick",
            format_func=lambda i: f"#{i} — {history.set_index('import_id').at[i, 'file_name']}",
        )
        if confirmed(
            "delete",
            tr("data.delete"),
            lambda: import_removal_text(history, chosen),
            tr("data.delete_confirm"),
            subject=chosen,
        ):
            try:
                with st.spinner(tr("data.deleting")):
                    erased = erase_import(ws, int(chosen))
                st.session_state["reports"] = []
                removed = sum(n for table, n in erased["rows"].items() if table != "rejects")
                flash(tr("data.deleted", import_id=chosen, n=number(removed, lang()), count=removed))
                st.rerun()
            except CxError as e:
                show_error(e)
            except Exception as e:  # never a traceback on screen
                show_error(unexpected(e))

erase_one_person(ws)  # a right-to-erasure request: one person out of every table
