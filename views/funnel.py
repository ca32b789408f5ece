"""Entonnoir / Funnel: steps picked from the user's own events or pages, window, mode, breakdown; drop-off
per step, time to convert, the paths around a drop-off and the visitors who dropped (download)."""

import streamlit as st

from cx import charts_funnel as charts
from cx.format import duration, escape_markdown, number, percent
from cx.funnel import BREAKDOWNS, MODES, find_dropped_users, find_funnel, list_step_options, propose_funnel
from cx.i18n import t
from cx.ui import CxError, lang, short_column, show_error, text_columns, tr, workspace
from cx.ui.cache import analysis
from cx.ui.download import download_table
from cx.ui.filters import current_filters, keep_choice

WINDOWS = ("30m", "1h", "6h", "1d", "3d", "7d", "14d", "30d")
ws, filters, lg = workspace(), current_filters(), lang()
tl = lambda key, **values: t(key, lg, **values)
st.title(tr("funnel.title"))
st.caption(tr("funnel.subtitle"))
options = analysis(list_step_options, filters)
if options.empty:
    st.info(tr("funnel.empty"), icon=":material/upload_file:")
    st.page_link("views/data.py", label=tr("funnel.go_data"), icon=":material/upload_file:")
    st.stop()
if len(options) < 2:  # one event name and no page: nothing to chain, a one-option dropdown would only puzzle
    st.info(tr("funnel.one_kind", step=escape_markdown(str(options["step"].iloc[0]))), icon=":material/upload_file:")
    st.page_link("views/data.py", label=tr("funnel.go_data"), icon=":material/upload_file:")
    st.stop()

counts = dict(zip(options["step"], options["events"]))
if "funnel_steps" not in st.session_state:  # proposed from all the data: the same funnel under any filters, so
    st.session_state["funnel_steps"] = list(analysis(propose_funnel))  # a shared link shows what its sender saw
keep_choice("funnel_steps", filters, lg)  # the labels carry each step's count under the filters
choices = list(dict.fromkeys(list(options["step"]) + st.session_state["funnel_steps"]))
steps = st.multiselect(
    tr("funnel.steps"),
    choices,
    key="funnel_steps",
    help=tr("funnel.steps_help"),
    placeholder=tr("funnel.steps_placeholder"),
    format_func=lambda s: charts.step_choice(s, counts.get(s, 0), tl, lg),
)
a, b, c = st.columns([1, 2, 1])
window = a.selectbox(
    tr("funnel.window"),
    WINDOWS,
    index=WINDOWS.index("7d"),
    key="funnel_window",
    format_func=lambda w: t(f"funnel.window.{w}", lg),
    help=tr("funnel.window_help"),
)
mode = b.radio(
    tr("funnel.mode"),
    MODES,
    horizontal=True,
    key="funnel_mode",
    help=tr("funnel.mode_help"),
    format_func=lambda m: t(f"funnel.mode.{m}", lg),
)
by = c.selectbox(
    tr("funnel.by"),
    BREAKDOWNS,
    index=None,
    key="funnel_by",
    placeholder=tr("funnel.by_none"),
    format_func=lambda d: t(f"funnel.by.{d}", lg),
    help=tr("funnel.by_help"),
)
with st.expander(tr("funnel.how_title"), icon=":material/help:"):
    st.markdown(tr("funnel.how"))
if len(steps) < 2:
    st.info(tr("funnel.pick_two"), icon=":material/filter_alt:")
    st.stop()
try:
    # the drop-off paths of every step come with the counts (one pass): choosing a step below computes nothing
    result = analysis(find_funnel, filters, tuple(steps), window=window, mode=mode, by=by, paths=True)
except CxError as e:
    show_error(e)
    st.stop()

s = result.steps
entered, converted = int(s["users"].iloc[0]), int(s["users"].iloc[-1])
m = st.columns(4)
m[0].metric(tr("funnel.entered"), number(entered, lg), help=tr("funnel.entered_help"))
m[1].metric(tr("funnel.converted_metric"), number(converted, lg))
m[2].metric(tr("funnel.overall"), percent(converted / entered if entered else None, lg), help=tr("funnel.overall_help"))
m[3].metric(tr("funnel.median_time"), duration(result.median_s, lg), help=tr("funnel.median_help"))
if not entered:
    st.warning(tr("funnel.nobody"), icon=":material/search_off:")
    st.stop()

st.subheader(tr("funnel.chart_title"))
frame = charts.funnel_frame(s, tr, lg)
st.altair_chart(charts.funnel_chart(frame, tr), width="stretch")
st.caption(tr(f"funnel.chart_caption_{mode}", window=tr(f"funnel.window.{window}").lower()))
# table numbers written as text in the UI's language (Streamlit's number formats write English decimals)
whole, share = (lambda v, lg: number(v, lg)), (lambda v, lg: percent(v, lg))
steps_table = frame.assign(time=frame["median_from_previous_s"].map(lambda v: duration(v, lg)))[
    ["label", "users", "conversion", "step_conversion", "dropped", "time"]
]
st.dataframe(
    text_columns(steps_table, users=whole, conversion=share, step_conversion=share, dropped=whole),
    hide_index=True,
    width="stretch",
    column_config={
        "label": tr("funnel.step"),
        "users": tr("funnel.visitors"),
        "conversion": short_column("funnel.col.conversion", "funnel.conversion"),
        "step_conversion": short_column("funnel.col.step_conversion", "funnel.step_conversion"),
        "dropped": short_column("funnel.col.dropped", "funnel.dropped"),
        "time": short_column("funnel.col.time_from_previous", "funnel.time_from_previous"),
    },
)

if by:
    st.subheader(tr("funnel.breakdown_title", by=tr(f"funnel.by.{by}").lower()))
    groups = charts.breakdown_frame(result.breakdown, tr, by)
    st.altair_chart(charts.breakdown_chart(groups, tr), width="stretch")
    st.caption(tr("funnel.breakdown_caption"))
    marked = groups[groups["significant"]]
    for row in marked.itertuples():
        st.markdown(
            tr(
                "funnel.significant_line",
                group=escape_markdown(row.label),
                step=escape_markdown(row.step_label),
                rate=percent(row.step_conversion, lg),
                z=number(row.z, lg, 1),
            )
        )
    with st.expander(tr("funnel.breakdown_table")):
        table = groups[
            ["label", "step_label", "users", "conversion", "step_conversion", "z", "significant", "low_sample"]
        ]
        st.dataframe(
            text_columns(table, users=whole, conversion=share, step_conversion=share, z=lambda v, lg: number(v, lg, 2)),
            hide_index=True,
            width="stretch",
            column_config={
                "label": tr("funnel.group"),
                "step_label": tr("funnel.step"),
                "users": tr("funnel.visitors"),
                "conversion": short_column("funnel.col.conversion", "funnel.conversion"),
                "step_conversion": short_column("funnel.col.step_conversion", "funnel.step_conversion"),
                "z": st.column_config.TextColumn(tr("funnel.z"), help=tr("funnel.z_help")),
                "significant": short_column("funnel.col.significant", "funnel.significant"),
                "low_sample": short_column("funnel.col.low_sample", "funnel.low_sample"),
            },
        )

st.subheader(tr("funnel.time_title"))
if result.converted:
    st.altair_chart(charts.time_chart(charts.histogram_frame(result.time_to_convert, tr), tr), width="stretch")
    st.caption(
        tr(
            "funnel.time_caption",
            n=number(result.converted, lg),
            count=result.converted,
            median=duration(result.median_s, lg),
            p90=duration(result.p90_s, lg),
        )
    )
else:
    st.info(tr("funnel.no_conversion"))

st.subheader(tr("funnel.drop_title"))
keep_choice("funnel_drop_step", filters, lg, tuple(steps), window, mode)  # the labels carry the drop-offs
k = st.selectbox(
    tr("funnel.drop_step"),
    list(range(1, len(steps))),
    key="funnel_drop_step",
    format_func=lambda i: tl(
        "funnel.drop_option",
        step=frame["label"].iloc[i - 1],
        n=number(int(s["dropped"].iloc[i - 1]), lg),
        count=int(s["dropped"].iloc[i - 1]),
    ),
)
paths = result.paths_at(k)
for direction in ("before", "after"):  # one under the other: side by side, a path hid its counts at 1440 px
    st.markdown(f"**{tr(f'funnel.paths_{direction}')}**")
    shown = charts.paths_frame(paths, tr, direction)
    st.dataframe(
        text_columns(shown.assign(share=100 * shown["share"]), users=whole),
        hide_index=True,
        width="stretch",
        column_config={
            "path": tr("funnel.path"),
            "users": tr("funnel.visitors"),
            # whole percentages: no decimal mark for Streamlit to write the English way
            "share": st.column_config.ProgressColumn(
                tr("funnel.share_dropped"), min_value=0, max_value=100, format="%.0f %%" if lg == "fr" else "%.0f%%"
            ),
        },
    )
st.caption(tr("funnel.paths_caption"))
n_dropped = int(s["dropped"].iloc[k - 1])  # who reached step k and went no further: the list is made on click
download_table(
    lambda: find_dropped_users(ws, filters, tuple(steps), k, window=window, mode=mode),
    tr("funnel.download", n=number(n_dropped, lg), count=n_dropped),
    f"dropped_step_{k}",
    key="funnel_download",
    rows=n_dropped,
)
