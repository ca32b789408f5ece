"""Service client / Support: first-reply and resolution times per channel against what customers expect,
resolution rate, complaints by category × severity × recurrence, ticket CSAT."""

import pandas as pd
import streamlit as st

from cx import charts_voice as charts
from cx.format import number, percent, reply_time
from cx.stats import MIN_SAMPLE
from cx.support import (
    EXPECTED_RESPONSE,
    RECURRENCE_DAYS,
    complaint_breakdown,
    replies_on_time,
    summarise_support,
    support_by_channel,
)
from cx.ui import lang, short_column, text_columns, tr
from cx.ui.cache import analysis
from cx.ui.filters import current_filters

filters = current_filters()
st.title(tr("support.title"))
st.caption(tr("support.subtitle") + (" " + tr("voice.filter_note") if filters.device or filters.channel else ""))
summary = analysis(summarise_support, filters)
if not summary.tickets:
    st.info(tr("support.empty"), icon=":material/upload_file:")
    st.page_link("views/data.py", label=tr("voice.go_data"), icon=":material/upload_file:")
    st.stop()

cols = st.columns(4)
cols[0].metric(tr("support.tickets"), number(summary.tickets, lang()))
cols[1].metric(
    tr("support.resolution_rate"), percent(summary.resolution_rate, lang(), 0), help=tr("support.resolution_help")
)
if summary.resolution_rate is None:
    cols[1].caption(tr("support.resolution_na"))
cols[2].metric(
    tr("support.complaint_rate"),
    number(summary.complaint_rate, lang(), 1, unit="%"),
    help=tr("support.complaint_rate_help"),
)
if summary.complaint_rate_reason:
    cols[2].caption(tr(f"support.complaint_rate_na.{summary.complaint_rate_reason}"))
cols[3].metric(
    tr("support.csat"), number(summary.csat, lang(), unit="%"), help=tr("support.csat_help", n=summary.csat_n)
)
if summary.csat is None:
    cols[3].caption(tr("support.csat_na"))
for channel in summary.slow_channels:
    st.warning(tr("support.slow_warning", channel=tr(f"support.ch.{channel}")), icon=":material/schedule:")

st.subheader(tr("support.times_title"))
channels = charts.label_groups(analysis(support_by_channel, filters), tr, "channel_group", "support.ch")
channels["expected_label"] = channels["expected_label"].fillna(tr("support.expected_none"))
if channels["answered"].sum():
    st.altair_chart(charts.response_times(channels, tr), width="stretch")
    st.caption(
        tr(
            "support.times_caption",
            expected=" · ".join(f"{tr(f'support.ch.{e.channel}')} {e.label}" for e in EXPECTED_RESPONSE),
        )
    )
else:  # no first reply to draw: what to map, not an empty chart frame
    st.info(tr("support.no_first_reply"), icon=":material/upload_file:")
share = lambda v, lg: percent(v, lg, 0)
# the share in time with its base: "100 % (3 sur 48)" when not every ticket of the channel has a first-reply time;
# a channel of no expected time has no share: a dash alone (its column's help and the note below say why)
within = [
    "—"
    if pd.isna(limit)
    else share(s, lang())
    + ("" if a == n else " " + tr("support.within_base", timed=number(a, lang()), tickets=number(n, lang())))
    for s, a, n, limit in zip(
        channels["within_expected_share"], channels["answered"], channels["tickets"], channels["expected_max_minutes"]
    )
]
# two tables of six columns, the channel first in each: eleven columns side by side did not fit at 1280 px
# (the last ones behind a horizontal scroll) — how fast it answers, then how it ends
st.dataframe(
    text_columns(
        channels.assign(within_expected_share=within)[
            [
                "label",
                "tickets",
                "expected_label",
                "first_response_median_minutes",
                "first_response_p90_minutes",
                "within_expected_share",
            ]
        ],
        first_response_median_minutes=reply_time,  # minutes, hours beyond 2 hours ("63,8 h", not "3 825,0 min")
        first_response_p90_minutes=reply_time,
    ),
    hide_index=True,
    width="stretch",
    column_config={
        "label": tr("support.channel"),
        "tickets": tr("support.tickets"),
        "expected_label": tr("support.expected"),
        "first_response_median_minutes": short_column("support.col.median", "support.median_col"),
        "first_response_p90_minutes": short_column("support.col.p90", "support.p90_col"),
        "within_expected_share": short_column("support.within", "support.within_help"),
    },
)
st.dataframe(
    text_columns(
        channels[["label", "resolution_rate", "resolution_median_hours", "complaints", "csat", "csat_mean"]],
        resolution_rate=share,
        resolution_median_hours=lambda v, lg: number(v, lg, 1, unit="h"),
        csat=lambda v, lg: number(v, lg, unit="%"),
        csat_mean=lambda v, lg: "—" if pd.isna(v) else number(v, lg, 2) + " / 5",  # a dash alone, never "— / 5"
    ),
    hide_index=True,
    width="stretch",
    column_config={
        "label": tr("support.channel"),
        "resolution_rate": short_column("support.col.resolution_rate", "support.resolution_help"),
        "resolution_median_hours": short_column("support.col.resolution_median", "support.resolution_median"),
        "complaints": tr("support.complaints"),
        "csat": short_column("support.col.csat", "support.csat"),
        "csat_mean": tr("support.csat_mean"),
    },
)

on_time = replies_on_time(channels)
if 0 < on_time.timed < on_time.tickets:  # none timed: said above
    st.caption(
        tr(
            "support.within_caption",
            timed=number(on_time.timed, lang()),
            tickets=number(on_time.tickets, lang()),
            count=on_time.timed,
        )
        + ("" if on_time.enough else " " + tr("support.within_too_few", min=MIN_SAMPLE))
    )

unknown = channels.loc[channels["expected_max_minutes"].isna(), "label"]
if len(unknown):  # a channel no expectation recognises: said, with how to give it one
    known = ", ".join(tr(f"support.ch.{e.channel}").lower() for e in EXPECTED_RESPONSE)
    channels_named = ", ".join(f"« {c} »" if lang() == "fr" else f"“{c}”" for c in unknown)
    st.info(tr("support.expected_none_help", channels=channels_named, known=known), icon=":material/help:")

st.subheader(tr("support.complaints_title"))
complaints = analysis(complaint_breakdown, filters)
if complaints.empty:  # "none" only when the tickets say which are complaints; else that they do not say it
    st.info(
        tr(
            "support.no_complaint_flag"
            if summary.complaint_rate_reason == "no_complaint_flag"
            else "support.no_complaints"
        )
    )
else:
    st.altair_chart(charts.complaints_heatmap(complaints, tr), width="stretch")
    st.caption(
        tr("support.recurrence_caption", days=RECURRENCE_DAYS, share=percent(summary.recurrent_share, lang(), 0))
    )
    st.dataframe(
        charts.label_groups(complaints, tr, "severity", "support.sev")
        .assign(
            severity=lambda d: d["label"],
            recurrent=complaints["recurrent"].map(
                {True: tr("support.recurrent_yes"), False: tr("support.recurrent_no")}
            ),
        )[["category", "severity", "recurrent", "complaints", "share", "per_100_orders"]]
        .pipe(text_columns, share=lambda v, lg: percent(v, lg, 1), per_100_orders=lambda v, lg: number(v, lg, 2)),
        hide_index=True,
        width="stretch",
        column_config={
            "category": tr("support.category"),
            "severity": tr("support.severity"),
            "recurrent": tr("support.recurrent"),
            "complaints": tr("support.complaints"),
            "share": tr("support.share"),
            "per_100_orders": tr("support.per_100_orders"),
        },
    )
