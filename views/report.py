"""Rapport / Report: download a self-contained HTML or PDF report for the filters in force (with progress while
it builds), and a demo mode: a guided five-minute tour of the sample data for a stakeholder presentation."""

import streamlit as st

from cx.demo import has_demo_data
from cx.format import date, escape_markdown, number
from cx.i18n import LANGUAGES
from cx.ui import CxError, lang, show_error, tr, workspace
from cx.ui.cache import uncached
from cx.ui.filters import current_filters
from cx.ui.report_button import STATE, built_for, findings_summary, tour_link

ws, filters = workspace(), current_filters()
st.title(tr("report.page_title"))
st.caption(tr("report.subtitle"))
chosen = st.selectbox(
    tr("report.language"),
    list(LANGUAGES),
    format_func=LANGUAGES.get,
    index=list(LANGUAGES).index(lang()),
    key="report_lang",
)
day = lambda d: date(d, lang()) if d else "…"
scope = [f"{day(filters.start)} → {day(filters.end)}"] + [
    tr("report.filter_value", name=tr(f"report.filter.{k}"), value=getattr(filters, k))
    for k in ("device", "channel", "segment")
    if getattr(filters, k)
]
st.caption(escape_markdown(tr("report.scope", filters=" · ".join(scope))))
key = (filters, chosen, ws.data_version())

if st.button(tr("report.build"), type="primary", icon=":material/summarize:", key="report_build"):
    # imported on the click: the analyses and the PDF writer (~0.7 s of CPU) are not the page's first view
    from cx.report import gather_report, render_html, render_pdf

    with st.status(tr("report.building"), expanded=True) as status:
        bar = st.progress(0.0)
        try:
            report = uncached(  # on a lake, gathered again if another replica's erasure deleted a file under it
                gather_report,
                filters,
                chosen,
                progress=lambda i, n, step: bar.progress(i / (n + 1), text=tr(f"report.step.{step}")),
                timezone=st.context.timezone,  # "generated on" in the reader's zone (their browser's), zone written
            )
            html, pdf = render_html(report), render_pdf(report)
        except CxError as e:
            status.update(state="error")
            show_error(e)
            st.stop()
        bar.progress(1.0)
        stamp = report.generated.strftime("%Y%m%d_%H%M")
        st.session_state[STATE] = {
            "key": key,
            "html": html,
            "pdf": pdf,
            "html_name": f"parcours_report_{chosen}_{stamp}.html",
            "pdf_name": f"parcours_report_{chosen}_{stamp}.pdf",
            "summary": tr(
                "report.summary",
                findings=findings_summary(len(report.findings), report.findings_open),
                personas=tr("report.summary_personas", n=len(report.personas.personas)),
                nps=number(report.satisfaction.nps.nps, lang(), 1, signed=True),
            ),
        }
        status.update(label=tr("report.ready"), state="complete", expanded=False)

files = built_for(key)
if files:
    st.success(files["summary"], icon=":material/check_circle:")
    cols = st.columns(2)
    cols[0].download_button(
        tr("report.download_html"),
        files["html"].encode("utf-8"),
        file_name=files["html_name"],
        mime="text/html",
        icon=":material/download:",
        key="report_html",
        on_click="ignore",  # a download needs no rerun: a rerun redrew the other button under the next click
    )
    cols[1].download_button(
        tr("report.download_pdf"),
        files["pdf"],
        file_name=files["pdf_name"],
        mime="application/pdf",
        icon=":material/picture_as_pdf:",
        key="report_pdf",
        on_click="ignore",
    )

if not has_demo_data(ws):  # the guided tour is of the sample data: only while it is loaded
    st.stop()
st.divider()
st.subheader(tr("report.demo.title"))
st.caption(tr("report.demo.intro"))
tour = [
    ("overview", "home"),
    ("journey", "route"),
    ("funnel", "filter_alt"),
    ("voice", "record_voice_over"),
    ("friction", "report"),
    ("personas", "groups"),
]
for i, tab in enumerate(st.tabs([tr(f"report.demo.step{n}") for n in range(1, len(tour) + 1)]), start=1):
    page, icon = tour[i - 1]
    with tab:
        st.markdown(tr(f"report.demo.step{i}_text"))
        tour_link(f"views/{page}.py", tr("report.demo.go"), f":material/{icon}:")
