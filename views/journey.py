"""Parcours / Journey: the five stages side by side — touchpoints, KPIs vs the previous period, satisfaction,
workshop notes — and, below, the stage rules that decide what belongs to each stage."""

import streamlit as st

from cx.charts_journey import (
    delta_arrow,
    delta_color,
    format_delta,
    format_value,
    nps_text,
    period_caption_key,
    period_labels,
    reach_chart,
    reach_frame,
    touchpoint_lines,
    unassigned_view,
)
from cx.format import number
from cx.journey import (
    MATCH_TYPES,
    STAGES,
    assign_stages,
    find_stage_kpis,
    find_touchpoints,
    journey_notes,
    journey_periods,
    reset_stage_rules,
    rules_key,
    save_journey_note,
    save_stage_rules,
    stage_rules,
)
from cx.money import with_previous_period
from cx.ui import CxError, lang, show_error, tr, workspace
from cx.ui.asof import as_of_caption
from cx.ui.cache import analysis
from cx.ui.filters import current_filters
from cx.ui.layout import journey_layout, projector_layout
from cx.ui.money import currency_notes, page_currency

ws = workspace()
filters = current_filters()
if "workshop" not in st.session_state:  # kept in the URL, so the projector's link opens in workshop mode
    st.session_state["workshop"] = st.query_params.get("workshop") == "1"
workshop = st.toggle(tr("journey.workshop"), key="workshop", help=tr("journey.workshop_help"))
journey_layout()  # five narrow columns: nothing cut
if workshop:
    st.query_params["workshop"] = "1"
    projector_layout()
    st.markdown(f"### {tr('journey.title')}")
else:
    st.query_params.pop("workshop", None)
    st.title(tr("journey.title"))
    st.caption(tr("journey.subtitle"))
if not sum(ws.table_counts().values()):
    st.info(tr("journey.empty"), icon=":material/upload_file:")
    st.stop()

if not workshop:
    as_of_caption()  # the period ends there when the filters leave it open
periods = journey_periods(ws, filters)
rules = stage_rules(ws)
key = rules_key(rules)
try:
    stages = analysis(find_stage_kpis, filters, rules=key)
    touchpoints = analysis(find_touchpoints, filters, rules=key)
    unassigned, unassigned_top = unassigned_view(analysis(assign_stages, filters, rules=key))
except CxError as e:
    show_error(e)
    st.stop()
st.caption(tr(period_caption_key(periods), **period_labels(periods, lang())))
if filters.segment or filters.device or filters.channel:
    st.caption(tr("journey.scope_note"))
currency = page_currency(with_previous_period(filters, periods))  # this period and the previous one
currency_notes(currency)

if not workshop:
    st.subheader(tr("journey.reach_title"), help=tr("journey.reach_help"))
    st.altair_chart(reach_chart(reach_frame(stages, lang()), lang()), width="stretch")


def save_note(stage: str) -> None:
    save_journey_note(ws, stage, st.session_state[f"note_{stage}"])
    st.toast(tr("journey.notes_saved"), icon=":material/check:")


def workshop_stage(stage, note: str) -> None:
    """One stage for a room: its name whole, each KPI as one line of text that wraps (no cut values), the notes."""
    st.markdown(f"#### {tr(f'journey.stage.{stage.stage}')}")
    lines = []
    for kpi in stage.kpis:
        if kpi.value is None or (kpi.unit == "currency" and currency.mixed):
            continue
        delta = format_delta(kpi, lang(), currency)
        label = tr(kpi.label)
        label = label[0].lower() + label[1:] if label[1:2].islower() else label  # "NPS", "CSAT…" stay as written
        lines.append(f"**{format_value(kpi, lang(), currency=currency)}** {label}" + (f" ({delta})" if delta else ""))
    st.markdown("  \n".join(lines) or tr("journey.workshop_no_kpi"))
    st.text_area(
        tr("journey.notes"), value=note, key=f"note_{stage.stage}", height=110, on_change=save_note, args=(stage.stage,)
    )


notes = journey_notes(ws)
if workshop:
    for column, stage in zip(st.columns(len(STAGES), border=True, gap="small"), stages):
        with column:
            workshop_stage(stage, notes[stage.stage])
    st.stop()
for column, stage in zip(st.columns(len(STAGES), border=True), stages):
    with column:
        st.markdown(f"**{tr(f'journey.stage.{stage.stage}').upper()}**")
        st.caption(tr(f"journey.stage_desc.{stage.stage}"))
        missing = []
        for kpi in stage.kpis:
            if kpi.value is None or (kpi.unit == "currency" and currency.mixed):
                missing.append(kpi)
                continue
            st.metric(
                tr(kpi.label),
                format_value(kpi, lang(), currency=currency),
                format_delta(kpi, lang(), currency),
                delta_color=delta_color(kpi),
                delta_arrow=delta_arrow(kpi),
                help=tr(f"journey.kpi_help.{kpi.key}"),
            )
        for kpi in missing:
            reason = tr(kpi.reason) if kpi.value is None else tr("money.several_currencies")
            st.caption(tr("journey.missing", label=tr(kpi.label), reason=reason))
        st.markdown(f"**{tr('journey.touchpoints')}**")
        lines = touchpoint_lines(touchpoints, stage.stage, lang())
        st.caption(
            "  \n".join(
                tr("journey.touchpoint_line", kind=tr(f"journey.kind.{kind}"), items=text) for kind, text in lines
            )
            if lines
            else tr("journey.touchpoints_none")
        )
        st.markdown(f"**{tr('journey.satisfaction')}**", help=tr("journey.sat_help"))
        sat = stage.satisfaction
        if sat is None:
            st.caption(tr("journey.no_survey"))
        else:
            if sat.csat is not None:
                st.metric(tr("journey.sat_csat", n=sat.csat_n), number(sat.csat, lang(), unit="%"))
            if sat.nps is not None:
                st.metric(tr("journey.sat_nps", n=sat.nps_n), nps_text(sat.nps, lang()))  # as the NPS KPI
            if sat.low_sample:
                st.caption(tr("journey.low_sample"))
        st.text_area(
            tr("journey.notes"),
            value=notes[stage.stage],
            key=f"note_{stage.stage}",
            height=120,
            help=tr("journey.notes_help"),
            on_change=save_note,
            args=(stage.stage,),
        )

st.subheader(tr("journey.rules_title"))
st.caption(tr("journey.rules_help"))
version = st.session_state.setdefault("rules_version", 0)
edited = st.data_editor(
    rules,
    key=f"rules_editor_{version}",
    num_rows="dynamic",
    hide_index=True,
    width="stretch",
    column_config={
        "rule_order": st.column_config.NumberColumn(tr("journey.col.rule_order"), step=1, format="%d", width="small"),
        "match_type": st.column_config.SelectboxColumn(
            tr("journey.col.match_type"),
            options=list(MATCH_TYPES),
            format_func=lambda m: tr(f"journey.match.{m}"),
            required=True,
            width="medium",
        ),
        # 300 and 125 px: with the others, the table fits the 818 px of a 1280 px screen ("Recommandati…" and the
        # "active" boxes were behind a horizontal scroll); a long list of values is read whole in its cell's editor
        "pattern": st.column_config.TextColumn(tr("journey.col.pattern"), width=300),
        "stage": st.column_config.SelectboxColumn(
            tr("journey.col.stage"),
            options=list(STAGES),
            required=True,
            format_func=lambda s: tr(f"journey.stage.{s}"),
            width=125,
        ),
        "enabled": st.column_config.CheckboxColumn(tr("journey.col.enabled"), default=True, width="small"),
    },
)
save, reset = st.columns([1, 3])
if save.button(tr("journey.rules_save"), type="primary", key="rules_save", icon=":material/save:"):
    try:
        save_stage_rules(ws, edited)
        st.session_state["rules_version"] = version + 1
        st.session_state["rules_message"] = "journey.rules_saved"
        st.rerun()
    except CxError as e:
        show_error(e)
if reset.button(tr("journey.rules_reset"), key="rules_reset", icon=":material/restart_alt:"):
    reset_stage_rules(ws)
    st.session_state["rules_version"] = version + 1
    st.session_state["rules_message"] = "journey.rules_reset_done"
    st.rerun()
if st.session_state.get("rules_message"):
    st.success(tr(st.session_state.pop("rules_message")), icon=":material/check_circle:")
if not unassigned:
    st.caption(tr("journey.all_assigned"))
else:
    st.caption(tr("journey.unassigned", n=number(unassigned, lang()), count=unassigned))
    st.dataframe(
        unassigned_top,
        hide_index=True,
        width="stretch",
        column_config={
            "event_name": tr("journey.col.event_name"),
            "path": tr("journey.col.path"),
            "events": st.column_config.NumberColumn(tr("journey.col.events"), format="%d"),
        },
    )
