"""Frictions: ranked findings from all the data — what is wrong and where, how bad, how sure, whom it touches,
the revenue at risk with its inputs, the evidence, a remedy; dismiss or mark in progress; export."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from cx import charts_friction as charts
from cx.format import escape_markdown, number
from cx.friction import (
    apply_statuses,
    find_friction,
    findings_table,
    how_bad_text,
    load_statuses,
    measure,
    money,
    revenue_formula,
    segment_label,
    set_finding_status,
    title_values,
    touched_label,
)
from cx.report.document import evidence_table, named_groups, step_label
from cx.ui import lang, text_columns, tr, workspace
from cx.ui.cache import analysis
from cx.ui.download import download_table
from cx.ui.filters import current_filters
from cx.ui.layout import findings_layout
from cx.ui.money import currency_notes, page_currency

ws, filters = workspace(), current_filters()
findings_layout()  # a finding's four figures: never cut
st.title(tr("friction.page_title"))
st.caption(tr("friction.subtitle"))
with st.spinner(tr("friction.overview_searching")):
    report = analysis(find_friction, filters, with_status=False)
if not any(d.status == "ran" for d in report.detectors):
    st.info(tr("friction.empty"), icon=":material/upload_file:")
    st.page_link("views/data.py", label=tr("friction.go_data"), icon=":material/upload_file:")
    st.stop()
findings = apply_statuses(report.findings, load_statuses(ws))  # statuses are edited here: never cached
show_dismissed = st.toggle(tr("friction.show_dismissed"), key="friction_show_dismissed")
shown = [f for f in findings if show_dismissed or f.status != "dismissed"]
total = sum(f.revenue_at_risk or 0 for f in shown)
currency = page_currency(filters)
currency_notes(currency)
st.markdown(tr("friction.count", n=len(shown), revenue=money(total, currency, lang())))
if not shown:
    st.success(tr("friction.none"), icon=":material/check_circle:")

for rank, f in enumerate(shown, start=1):
    with st.container(border=True):
        status = "" if f.status == "open" else f" · *{tr(f'friction.status.{f.status}')}*"
        st.markdown(f"**{rank}. {tr(f'friction.code.{f.code}')}** · {tr(f'friction.severity.{f.severity}')}{status}")
        st.markdown(tr(f.title_key, **title_values(f, lang())))
        cols = st.columns(4)
        cols[0].metric(tr("friction.how_bad"), measure(f.observed, f.unit, lang()))
        cols[0].caption(how_bad_text(f, lang()))  # what is measured: a caption wraps, a metric's delta was cut
        # plain words first: every finding shown passed the test; how far below the bar its chance of error is
        chance = min(1.0, f.p_value * max(f.tests, 1))
        cols[1].metric(
            tr("friction.confidence"),
            tr("friction.sure.certain" if chance < 0.001 else "friction.sure.likely"),
            help=tr("friction.sure_help"),
        )
        cols[2].metric(
            touched_label(f, lang()), number(f.affected_users, lang(), 0), help=tr("friction.touched_help")
        )  # visits, answers, customers…: the label says what the count counts
        cols[3].metric(tr("friction.revenue"), money(f.revenue_at_risk, currency, lang()))
        where = " · ".join(
            x
            for x in (
                tr(f"journey.stage.{f.stage}") if f.stage else None,
                step_label(f.step, lang()) if f.step else None,
                segment_label(f.segment, lang()),
            )
            if x
        )
        when = (
            f"{title_values(f, lang()).get('start', '')} → {title_values(f, lang()).get('end', '')}"
            if f.window_start
            else tr("friction.whole_period")
        )
        st.caption(f"{tr('friction.where')} {escape_markdown(where)} · {tr('friction.when')} {when}")
        if f.revenue_at_risk is not None:  # the formula with the numbers it uses, each named
            st.caption(revenue_formula(f, currency, lang()))
        else:
            st.caption(tr("friction.revenue_mixed" if currency.mixed else "friction.revenue_none"))
        st.markdown(f"**{tr('friction.remedy_label')}** {tr(f.remedy_key)}")
        with st.expander(tr("friction.evidence")):
            chart = charts.evidence_chart(replace(f, evidence=named_groups(f.evidence, lang())), tr)
            if chart is not None:
                st.altair_chart(chart, width="stretch")
            evidence = evidence_table(f.evidence, lang(), rows=len(f.evidence)) if f.evidence is not None else None
            if evidence is not None:  # headers and groups in the UI's language, numbers written its way
                rows = pd.DataFrame(evidence.rows, columns=evidence.headers)
                # a dot marks the rows of the problem: a dot heads its column (the word in its tooltip), room for the rest
                rows.insert(0, "●", ["●" if i in evidence.bold else "" for i in range(len(rows))])
                marker = st.column_config.Column("●", width=40, help=tr("friction.in_problem"))
                st.dataframe(rows, hide_index=True, width="stretch", column_config={"●": marker})
        with st.expander(tr("friction.analyst")):  # the statistics, for those who want them
            st.caption(
                tr(
                    "friction.analyst_text",
                    code=f.code,
                    p=f"{f.p_value:.1e}",
                    tests=number(f.tests, lang(), 0),
                    z="—" if f.z is None else number(f.z, lang(), 2),
                )
            )
        with st.expander(tr("friction.customers")):
            if f.customers is None or f.customers.empty:
                st.caption(tr("friction.customers_none"))
            else:
                minutes = (
                    {"first_response_minutes": lambda v, lg: number(v, lg, 0)}
                    if "first_response_minutes" in f.customers
                    else {}
                )
                st.dataframe(  # headers in the page's words, minutes written its way (3 549, not 3548.8667)
                    text_columns(f.customers, **minutes),
                    hide_index=True,
                    width="stretch",
                    column_config={c: tr(f"friction.customer_col.{c}") for c in f.customers.columns},
                )
                download_table(
                    f.customers, tr("friction.download_customers"), f"{f.code.lower()}_{rank}", key=f"dl_{f.key}_{rank}"
                )
        buttons = st.columns(3)
        if f.status != "in_progress" and buttons[0].button(tr("friction.mark_in_progress"), key=f"wip_{f.key}"):
            set_finding_status(ws, f, "in_progress")
            st.rerun()
        if f.status != "dismissed" and buttons[1].button(tr("friction.dismiss"), key=f"dismiss_{f.key}"):
            set_finding_status(ws, f, "dismissed")
            st.rerun()
        if f.status != "open" and buttons[2].button(tr("friction.reopen"), key=f"reopen_{f.key}"):
            set_finding_status(ws, f, "open")
            st.rerun()

table = findings_table(shown, lang(), currency)
download_table(table, tr("friction.export"), "frictions", key="export_findings")
with st.expander(tr("friction.detectors")):
    st.dataframe(
        [
            {
                tr("friction.detector_col"): tr(f"friction.code.{d.code}"),
                tr("friction.detector_status"): tr("friction.ran") if d.status == "ran" else tr(d.reason),
                tr("friction.detector_findings"): d.findings,
                tr("friction.detector_tests"): d.tests,
            }
            for d in report.detectors
        ],
        hide_index=True,
        width="stretch",
    )
