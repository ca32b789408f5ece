"""Personas: data-driven customer portraits (cards), two personas side by side, each persona's funnel, rename,
members download, and how the groups and RFM segments are made."""

import pandas as pd
import streamlit as st

from cx import charts_personas as charts
from cx.format import number
from cx.funnel import list_step_options, propose_funnel
from cx.models import Filters
from cx.personas import (
    RFM_RULES,
    find_personas,
    member_table,
    persona_funnel,
    personas_key,
    rename_persona,
    reset_personas,
)
from cx.text import theme_label
from cx.ui import CxError, lang, show_error, tr, workspace
from cx.ui.asof import as_of_caption
from cx.ui.cache import analysis, wait_for
from cx.ui.download import download_table
from cx.ui.filters import current_filters
from cx.ui.money import currency_notes, page_currency

ws, filters, lg = workspace(), current_filters(), lang()
st.title(tr("personas.title"))
st.caption(tr("personas.subtitle"))
try:
    with st.spinner(tr("personas.building")):
        key = personas_key(ws)
        if wait_for(find_personas, filters, key=key):  # computed in the background: its membership is stored now
            key = personas_key(ws)
        result = analysis(find_personas, filters, key=key)
except CxError as e:
    show_error(e)
    st.stop()
if not result.personas:
    st.info(
        tr("personas.too_few" if result.reason == "too_few" and result.customers else "personas.empty"),
        icon=":material/upload_file:",
    )
    st.page_link("views/data.py", label=tr("personas.go_data"), icon=":material/upload_file:")
    st.stop()
as_of_caption()  # recency and the active / lapsed status are measured from it
personas = {p.persona_id: p for p in result.personas}
titles = {pid: p.title(lg) for pid, p in personas.items()}
by_title = {title: pid for pid, title in titles.items()}  # widgets hold titles: AppTest reads options as text
theme_name = lambda th: theme_label(th, lg)  # theme labels in the page's language

m = st.columns([1, 1, 2])  # the third says in words how distinct the groups are: room for it
m[0].metric(tr("personas.customers"), number(result.customers, lg), help=tr("personas.customers_help"))
m[1].metric(tr("personas.count"), len(result.personas), help=tr("personas.count_help"))
sil = result.silhouettes.get(result.k)
separation = "unknown" if sil is None else "clear" if sil >= 0.5 else "fair" if sil >= 0.25 else "weak"
m[2].metric(
    tr("personas.silhouette"),
    tr(f"personas.separation.{separation}", value=number(sil, lg, 2)),
    help=tr("personas.silhouette_help"),
)
if result.started_from == "stored":
    m[2].caption(tr("personas.kept"))
st.caption(tr("personas.scope_note"))
currency = page_currency(Filters(segment=filters.segment))  # personas are built from all the data
currency_notes(currency)

st.subheader(tr("personas.cards_title"))
st.caption(tr("personas.money_note"))  # which orders and dates the cards' money counts: not the period's
per_row = 3
for start in range(0, len(result.personas), per_row):
    for col, p in zip(st.columns(per_row), result.personas[start : start + per_row]):
        with col.container(border=True):
            st.markdown(f"### {charts.escape_markdown(p.title(lg))}")
            st.markdown("\n\n".join(charts.card_lines(p, tr, lg, theme_name, currency, result.order_period)))
            st.markdown(charts.quote_markdown(p, tr, lg))

st.subheader(tr("personas.compare_title"))
names = [titles[pid] for pid in sorted(personas)]  # by persona, not by size: the same defaults under any filter
a, b = st.columns(2)
pa = by_title[a.selectbox(tr("personas.compare_a"), names, index=0, key="personas_a")]
pb = by_title[b.selectbox(tr("personas.compare_b"), names, index=min(1, len(names) - 1), key="personas_b")]
pair = (personas[pa], personas[pb]) if pa != pb else (personas[pa],)
st.dataframe(
    charts.compare_frame(personas[pa], personas[pb], tr, lg, currency),
    hide_index=True,
    width="stretch",
    # the measures' names are long ("Acheteurs actifs (commande dans les 180 jours avant la date des données)")
    column_config={
        "measure": st.column_config.Column(tr("personas.measure"), width=470),
        "a": titles[pa],
        "b": titles[pb],
    },
)
st.altair_chart(charts.traits_chart(charts.traits_frame(pair, tr, lg), tr), width="stretch")
st.caption(tr("personas.compare_caption"))

st.subheader(tr("personas.funnel_title"))
steps = analysis(propose_funnel)  # the Funnel page's default funnel, under any filters
if len(steps) < 2 and len(analysis(list_step_options, filters)) >= 2:  # events, none of them a known purchase step
    st.info(tr("personas.no_funnel_steps"), icon=":material/filter_alt:")
    st.page_link("views/funnel.py", label=tr("personas.go_funnel"), icon=":material/filter_alt:")
elif len(steps) < 2:
    st.info(tr("personas.no_funnel"), icon=":material/filter_alt:")
else:
    chosen = by_title[
        st.selectbox(tr("personas.funnel_pick"), names, key="personas_funnel", help=tr("personas.funnel_help"))
    ]
    funnel = analysis(persona_funnel, filters, tuple(steps), key=personas_key(ws))
    frame = charts.funnel_frame(funnel, titles, chosen, tr)
    mine = frame[frame["who"] == titles[chosen]]
    if mine.empty or not mine["users"].iloc[0]:
        st.info(tr("personas.funnel_none"))
    else:
        st.metric(
            tr("personas.funnel_metric", persona=charts.escape_markdown(titles[chosen])),
            charts.percent(mine["conversion"].iloc[-1], lg),
        )
        st.caption(
            tr(
                "personas.funnel_entered",
                n=number(mine["users"].iloc[0], lg),
                converted=number(mine["users"].iloc[-1], lg),
                count=mine["users"].iloc[0],
            )
        )
        note = charts.funnel_purchase_note(personas[chosen], mine["users"].iloc[-1], tr)
        if note:
            st.caption(note)
        st.altair_chart(charts.funnel_chart(frame, tr), width="stretch")

left, right = st.columns(2)
with left.form("personas_rename", clear_on_submit=True):
    st.markdown(f"**{tr('personas.rename_title')}**")
    target = by_title[st.selectbox(tr("personas.rename_pick"), names, key="personas_rename_pick")]
    new_name = st.text_input(tr("personas.rename_name"), key="personas_rename_name", help=tr("personas.rename_help"))
    if st.form_submit_button(tr("personas.rename_submit")):
        try:
            rename_persona(ws, target, new_name)
            st.toast(tr("personas.renamed"))
            st.rerun()
        except CxError as e:
            show_error(e)
with right:
    download_table(  # the table is made on the click: the stored result holds the cards, not 200k rows
        lambda: member_table(ws, result, lg),
        tr("personas.download", n=number(result.member_count, lg), count=result.member_count),
        "persona_members",
        key="personas_download",
        rows=result.member_count,
    )
    if st.button(tr("personas.recompute"), key="personas_recompute", help=tr("personas.recompute_help")):
        reset_personas(ws)
        st.rerun()

with st.expander(tr("personas.how_title"), icon=":material/help:"):
    st.markdown(tr("personas.how"))
    st.caption(tr("personas.features_used", features=", ".join(tr(f"personas.feature.{f}") for f in result.features)))
    st.markdown(f"**{tr('personas.rfm_title')}**")
    st.caption(tr("personas.rfm_how"))
    st.dataframe(
        pd.DataFrame([{"segment": tr(f"personas.rfm.{r.segment}"), "rule": str(r)} for r in RFM_RULES]),
        hide_index=True,
        width="stretch",
        column_config={"segment": tr("personas.rfm_segment"), "rule": tr("personas.rfm_rule")},
    )
