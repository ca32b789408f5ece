"""Maturité / Maturity: the six-level CX pyramid placed from the data, why it stops, the six pillars with their
evidence, a workshop questionnaire compared with the data, and the editable thresholds."""

import datetime as dt

import streamlit as st

from cx import charts_maturity as charts, maturity as m
from cx.format import escape_markdown
from cx.friction import find_friction
from cx.ui import CxError, lang, short_column, show_error, tr, workspace
from cx.ui.cache import analysis
from cx.ui.filters import current_filters

# Streamlit wraps a cell's text only in rows taller than 4rem (64 px): three lines of linked findings ("Incident
# dans le tunnel, Événements d’erreur…" was cut at 1280 px)
CRITERIA_ROW_HEIGHT = 66

filters, ws = current_filters(), workspace()
st.title(tr("maturity.title"))
st.caption(tr("maturity.subtitle") + " " + tr("maturity.help"))
values, counts = analysis(m.measure_maturity, filters)
if all(v is None for v in values.values()):
    st.info(tr("maturity.empty"), icon=":material/upload_file:")
    st.page_link("views/data.py", label=tr("maturity.go_data"), icon=":material/upload_file:")
    st.stop()

with st.spinner(tr("friction.overview_searching")):
    findings = analysis(find_friction, filters, with_status=False).findings
placement = m.place_maturity(ws, filters, measured=(values, counts), findings=findings)
shops = m.list_workshops(ws)
chosen = shops.set_index("workshop_id").loc[placement.workshop] if placement.workshop else None
answers = m.workshop_answers(ws, placement.workshop) if placement.workshop else {}

# keyed and stateful: saving a workshop or thresholds reruns the page, which must come back on the same tab
data_tab, workshop_tab, thresholds_tab = st.tabs(
    [tr("maturity.tab.data"), tr("maturity.tab.workshop"), tr("maturity.tab.thresholds")],
    key="maturity_tab",
    on_change="rerun",
)
with data_tab:
    left, right = st.columns([3, 2])
    left.altair_chart(charts.pyramid(charts.pyramid_frame(placement, tr), tr), width="stretch")
    with right:
        st.subheader(tr("maturity.placed", level=placement.level) if placement.level else tr("maturity.placed_none"))
        st.markdown("**" + tr("maturity.why_title") + "**")
        if placement.next_level is None:
            st.success(tr("maturity.top"))
        else:
            st.write(
                tr(
                    "maturity.why_intro",
                    level=placement.next_level,
                    name=tr(f"maturity.level.{m.LEVEL_KEYS[placement.next_level]}"),
                )
            )
            st.markdown("\n".join("- " + escape_markdown(line) for line in charts.why_lines(placement, tr, lang())))
            if placement.findings:
                st.warning(
                    tr("maturity.why_findings", codes=charts.finding_names(placement.findings, tr)),
                    icon=":material/report:",
                )
    st.subheader(tr("maturity.criteria_title"))
    st.dataframe(
        charts.criteria_frame(placement, tr, lang()),
        hide_index=True,
        width="stretch",
        height="content",  # every criterion, none behind a scroll
        row_height=CRITERIA_ROW_HEIGHT,
        column_config={  # 775 px in all, within the 818 px of a 1280 px screen (wider screens stretch them)
            "level": st.column_config.Column(tr("maturity.col.level"), width=95),
            "criterion": st.column_config.Column(tr("maturity.col.criterion"), width=245),
            "value": short_column("maturity.col.value_short", "maturity.col.value", width=55),
            "rule": st.column_config.Column(tr("maturity.col.threshold"), width=65),
            "met": st.column_config.Column(tr("maturity.col.met"), width=80),
            "findings": st.column_config.Column(tr("maturity.col.findings"), width=235),
        },
    )
    st.altair_chart(charts.pillars_chart(charts.pillars_frame(placement.pillars, tr), tr), width="stretch")
    st.markdown("**" + tr("maturity.evidence_title") + "**")
    st.dataframe(
        charts.evidence_frame(placement.pillars, tr, lang()),
        hide_index=True,
        width="stretch",
        column_config={
            "pillar": tr("maturity.col.pillar"),
            "score": tr("maturity.col.score"),
            "evidence": tr("maturity.col.evidence"),
        },
    )

with workshop_tab:
    st.caption(tr("maturity.workshop_intro"))
    with st.form("workshop"):
        name = st.text_input(tr("maturity.workshop_name"), key="mat_name")
        held_on = st.date_input(tr("maturity.workshop_date"), value=dt.date.today(), key="mat_date")
        given = {}
        yes_no = {tr("maturity.yes"): 1, tr("maturity.no"): 0}
        for q in m.QUESTIONS:
            options = list(yes_no) if q.kind == "yesno" else [1, 2, 3, 4, 5]
            picked = st.radio(
                f"{q.id[1:]}. {tr(f'maturity.q.{q.id}')}", options, index=None, horizontal=True, key=f"mat_{q.id}"
            )
            given[q.id] = yes_no.get(picked) if q.kind == "yesno" else picked
        if st.form_submit_button(tr("maturity.save_workshop"), type="primary"):
            try:
                m.save_workshop(ws, name, held_on, {k: v for k, v in given.items() if v is not None})
                st.session_state["mat_saved"] = name
                st.rerun()
            except CxError as e:
                show_error(e)
    saved = st.session_state.pop("mat_saved", None)
    if saved is not None:  # the workshop just saved, whatever its date
        st.success(tr("maturity.saved", name=escape_markdown(saved)))
    if chosen is not None:
        st.subheader(tr("maturity.compare_title") + " — " + escape_markdown(chosen["name"]))
        compare = m.compare_assessment(placement, answers)
        st.write(tr("maturity.compare_intro", self_level=m.assess_answers(answers).level, data_level=placement.level))
        if compare["disagree"].any():
            st.warning(tr("maturity.disagreements", n=int(compare["disagree"].sum())), icon=":material/warning:")
        st.dataframe(
            charts.comparison_frame(compare, tr, lang()).style.apply(
                lambda row: ["background-color: #fde7c8" if row["disagree"] else ""] * len(row), axis=1
            ),
            hide_index=True,
            width="stretch",
            column_config={
                "item": tr("maturity.col.item"),
                "data": tr("maturity.col.data"),
                "workshop": tr("maturity.col.workshop"),
                "disagree": tr("maturity.col.disagree"),
            },
        )
        st.altair_chart(
            charts.pillars_chart(charts.pillars_frame(placement.pillars, tr, m.assess_answers(answers).pillars), tr),
            width="stretch",
        )
    st.subheader(tr("maturity.history_title"))
    if shops.empty:
        st.caption(tr("maturity.history_empty"))
    else:
        st.dataframe(charts.history_frame(shops, tr), hide_index=True, width="stretch")

with thresholds_tab:
    st.caption(tr("maturity.thresholds_intro"))
    criteria = m.maturity_criteria(ws)
    edited = st.data_editor(
        charts.thresholds_frame(criteria, tr),
        hide_index=True,
        width="stretch",
        disabled=["level", "criterion", "comparison", "default"],
        key="mat_thresholds",
        column_config={
            "level": tr("maturity.col.level"),
            "criterion": tr("maturity.col.criterion"),
            "comparison": tr("maturity.col.comparison"),
            "threshold": tr("maturity.col.threshold"),
            "default": tr("maturity.col.default"),
        },
    )
    if st.button(tr("maturity.save_thresholds"), type="primary"):
        try:
            for key, threshold in zip(criteria["key"], edited["threshold"]):
                m.save_threshold(ws, key, threshold)
            st.toast(tr("maturity.thresholds_saved"))
            st.rerun()
        except CxError as e:
            show_error(e)
    if st.button(tr("maturity.reset_thresholds")):
        m.reset_thresholds(ws)
        st.rerun()
