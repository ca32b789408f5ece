"""Fidélisation / Retention: cohort retention (first visit or first purchase, week or month, "on" or
"unbounded"), repeat purchase, customer base and churn, return rate, and a simple CLV with its inputs."""

import streamlit as st

from cx import charts_funnel as charts
from cx.cohorts import (
    BY_FIRST,
    CLV_DIGITS,
    DEFAULT_ACTIVE_DAYS,
    DEFAULT_LIFESPAN,
    MODES,
    PERIODS,
    find_cohorts,
    find_retention,
)
from cx.coverage import filled
from cx.format import number, percent
from cx.i18n import t
from cx.money import amount as money
from cx.stats import MIN_SAMPLE
from cx.ui import CxError, lang, show_error, tr, workspace
from cx.ui.asof import as_of_caption
from cx.ui.cache import analysis
from cx.ui.filters import current_filters
from cx.ui.money import currency_notes, page_currency

ws, filters, lg = workspace(), current_filters(), lang()
st.title(tr("retention.title"))
st.caption(tr("retention.subtitle"))
counts = ws.table_counts()
if not counts["events"] and not counts["orders"]:
    st.info(tr("retention.empty"), icon=":material/upload_file:")
    st.page_link("views/data.py", label=tr("retention.go_data"), icon=":material/upload_file:")
    st.stop()
as_of_caption()  # running periods, the customer base at the end and the churn are measured from it

st.subheader(tr("retention.cohorts_title"))
a, b, c = st.columns(3)
by_first = a.radio(
    tr("retention.by_first"),
    BY_FIRST,
    key="retention_by_first",
    horizontal=True,
    index=0 if counts["events"] else 1,
    format_func=lambda v: t(f"retention.by_first.{v}", lg),
)
period = b.radio(
    tr("retention.period"),
    PERIODS,
    index=1,
    key="retention_period",
    horizontal=True,
    format_func=lambda v: t(f"retention.period.{v}", lg),
)
mode = c.radio(
    tr("retention.mode"),
    MODES,
    key="retention_mode",
    horizontal=True,
    help=tr("retention.mode_help"),
    format_func=lambda v: t(f"retention.mode.{v}", lg),
)
matrix = analysis(find_cohorts, filters, period=period, mode=mode, by_first=by_first)
if matrix.empty:
    st.info(tr(f"retention.no_cohorts_{by_first}"))
else:
    st.markdown(tr(f"retention.reading_{mode}", unit=tr(f"retention.unit_{period}")))
    heat = charts.heatmap_frame(matrix, period, lg)
    st.altair_chart(charts.cohort_heatmap(heat, tr, period), width="stretch")
    st.caption(tr("retention.heatmap_caption"))
    cohorts_out, periods_out = charts.heatmap_cut(matrix)
    if cohorts_out:
        st.caption(
            tr("retention.heatmap_cut_cohorts", shown=charts.HEATMAP_MAX, cohorts=cohorts_out + charts.HEATMAP_MAX)
        )
    if periods_out:
        unit = tr(f"retention.unit_{period}")
        st.caption(
            tr(
                "retention.heatmap_cut_periods",
                shown=charts.HEATMAP_MAX,
                periods=periods_out + charts.HEATMAP_MAX,
                unit=unit,
            )
        )

st.subheader(tr("retention.loyalty_title"))
left, right = st.columns(2)
active_days = left.number_input(
    tr("retention.active_days"),
    min_value=7,
    max_value=1095,
    step=30,
    value=DEFAULT_ACTIVE_DAYS,
    key="retention_active_days",
    help=tr("retention.active_days_help"),
)
own = right.toggle(tr("retention.own_lifespan"), key="retention_own_lifespan", help=tr("retention.own_lifespan_help"))
lifespan = right.number_input(
    tr("retention.lifespan_input"),
    min_value=0.1,
    max_value=50.0,
    step=0.5,
    value=DEFAULT_LIFESPAN,
    key="retention_lifespan",
    disabled=not own,
    format="%g",
)  # "3", not "3.00" (Streamlit writes a decimal point whatever the language)
try:
    r = analysis(find_retention, filters, active_days=int(active_days), lifespan_years=lifespan if own else None)
except CxError as e:
    show_error(e)
    st.stop()
if not r.customers:
    st.info(
        tr("retention.no_purchase_kept", orders=number(counts["orders"], lg), count=counts["orders"])
        if counts["orders"]
        else tr("retention.no_orders")
    )
    st.stop()

cur = page_currency(filters)
currency_notes(cur, set_apart=False)  # Retention says it itself, over its purchases
m = st.columns(4)
m[0].metric(tr("retention.repeat_rate"), percent(r.repeat_rate, lg), help=tr("retention.repeat_help"))
m[0].caption(tr("retention.repeat_inputs", repeat=number(r.repeat_customers, lg), customers=number(r.customers, lg)))
m[1].metric(tr("retention.churn"), percent(r.churn_rate, lg), help=tr("retention.churn_help"))
m[1].caption(
    tr(
        "retention.churn_inputs",
        start=number(r.at_start, lg),
        end=number(r.at_end, lg),
        new=number(r.new_customers, lg),
        returned=number(r.returned_customers, lg),
        retention=percent(r.retention_rate, lg),
    )
    if r.enough_history
    else tr("retention.history_short", days=r.active_days)
)
if r.low_base:  # shown, not hidden: the reader sees on how few customers it rests
    m[1].caption(tr("retention.low_base_note", start=number(r.at_start, lg), min=MIN_SAMPLE, count=r.at_start))
if filled(ws, "orders", "status"):
    m[2].metric(tr("retention.return_rate"), percent(r.return_rate, lg), help=tr("retention.return_help"))
    m[2].caption(
        tr(
            f"retention.return_inputs_{r.return_basis}",
            returned=number(r.returned, lg),
            delivered=number(r.delivered, lg),
            count=r.delivered,
        )
    )
else:  # without a status no order can be seen as returned: 0 % would be a guess
    m[2].metric(tr("retention.return_rate"), "—", help=tr("retention.return_help"))
    m[2].caption(tr("retention.return_no_status"))
# a narrow column: "n/a" alone when the currencies are mixed, the reason in the help and the caption below
m[3].metric(
    tr("retention.aov"),
    money(r.aov, cur, lg, short=True),
    help=tr("retention.aov_help") + ("\n\n" + tr("money.not_available_help") if cur.mixed else ""),
)
m[3].caption(
    tr(
        "retention.aov_inputs",
        orders=number(r.revenue_orders, lg),
        revenue=money(r.revenue, cur, lg, 0),
        count=r.revenue_orders,
    )
    + (
        " "
        + tr(
            "retention.aov_unknown_currency",
            orders=number(r.unknown_currency_orders, lg),
            amount=number(r.unknown_currency_revenue, lg, 2),
            currency=cur.code,
            count=r.unknown_currency_orders,
        )
        if r.unknown_currency_orders
        else ""
    )
    if not cur.mixed
    else tr("money.several_currencies")
)

monthly = charts.monthly_frame(r.monthly, lg)
if monthly["enough_history"].any():
    st.markdown(f"**{tr('retention.monthly_title')}**")
    st.altair_chart(charts.churn_chart(monthly, tr), width="stretch")
    st.caption(
        tr("retention.monthly_caption", days=r.active_days)
        + (" " + tr("retention.monthly_low_base", min=MIN_SAMPLE) if monthly["low_base"].any() else "")
    )

st.subheader(tr("retention.clv_title"))
st.metric(tr("retention.clv"), money(r.clv, cur, lg, 0), help=tr("retention.clv_help"))
if not r.annualised:  # a few weeks of purchases turned into a year would be a guess
    st.caption(
        tr(
            "retention.clv_too_short",
            period=number(r.period_days, lg),
            days=number(r.active_days, lg),
            orders=number(r.orders, lg),
            count=r.period_days,
        )
    )
elif not cur.mixed:  # mixed: the metric says n/a and the warning above lists the amount per currency
    st.markdown(
        tr(
            "retention.clv_formula",
            aov=money(r.aov, cur, lg),
            frequency=number(r.frequency_per_year, lg, CLV_DIGITS["frequency"]),
            lifespan=number(r.lifespan_years, lg, CLV_DIGITS["lifespan"]),
            clv=money(r.clv, cur, lg, 0),
        )
    )
source = tr(f"retention.lifespan_source.{r.lifespan_source}", churn=percent(r.yearly_churn, lg), days=r.active_days)
st.caption(source + (" " + tr("retention.lifespan_capped") if r.lifespan_capped else ""))
st.caption(
    tr(
        "retention.frequency_inputs",
        orders=number(r.orders, lg),
        customers=number(r.customers, lg),
        days=number(r.period_days, lg),
    )
)
