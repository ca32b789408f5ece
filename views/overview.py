"""Aperçu / Overview: what is loaded — tables, rows, date ranges, data quality per import."""

import streamlit as st

from cx.demo import demo_removal, has_demo_data, remove_demo
from cx.errors import CxError, unexpected
from cx.format import date, number
from cx.friction import find_friction, money, title_values, top_findings
from cx.inventory import import_quality, summarise_tables
from cx.models import Filters
from cx.ui import lang, show_error, tr, workspace
from cx.ui.asof import as_of_caption
from cx.ui.cache import analysis, draw_when_ready
from cx.ui.confirm import confirmed, flash, show_flash
from cx.ui.filters import whole_period
from cx.ui.importer import demo_removal_text, readable_imports
from cx.ui.money import currency_notes, page_currency

ws = workspace()
st.title(tr("overview.title"))
st.caption(tr("overview.subtitle"))

show_flash()
if has_demo_data(ws):
    with st.container(border=True):
        st.markdown(f"**{tr('overview.demo_title')}**")
        st.write(tr("overview.demo_body"))
        if confirmed(
            "use_my_data",
            tr("overview.use_my_data"),
            lambda: demo_removal_text(demo_removal(ws)),
            tr("overview.use_my_data_confirm"),
            type="primary",
            help=tr("overview.use_my_data_help"),
        ):
            try:
                removal = demo_removal(ws)
                with st.spinner(tr("overview.removing_demo")):
                    remove_demo(ws)
            except CxError as e:
                show_error(e)
            except Exception as e:  # never a traceback on screen
                show_error(unexpected(e))
            else:
                flash(
                    tr(
                        "overview.demo_removed",
                        imports=removal.imports,
                        rows=number(removal.rows, lang()),
                        count=removal.rows,
                    )
                )
                st.switch_page("views/data.py")

tables = analysis(summarise_tables)  # a scan of every table: once per data version, not on each run
if not tables["rows"].sum():
    st.info(tr("overview.empty"), icon=":material/upload_file:")
    st.page_link("views/data.py", label=tr("overview.go_data"), icon=":material/upload_file:")
    st.stop()

st.subheader(tr("overview.loaded"))
as_of_caption()
cols = st.columns(len(tables))
for col, row in zip(cols, tables.itertuples()):
    # the customers of the CRM files, one per customer id (a customer listed by several exports is one, as on the
    # other pages), with the rows they come from below; not every customer the pages know: the help says so
    crm = row.table == "customers"
    col.metric(
        tr("overview.customers_metric" if crm else f"table.{row.table}"),
        number(row.customers if crm else row.rows, lang()),
        help=tr(
            "overview.customers_help" if crm else "overview.metric_help",
            first=date(row.first, lang()),
            last=date(row.last, lang()),
        ),
    )
    if crm and row.rows:
        col.caption(tr("overview.customers_base", rows=number(row.rows, lang()), count=row.rows))
    if crm and row.shared_emails:  # the identity link gives their orders, tickets and answers to none of them
        shared = int(row.shared_emails)
        col.caption(tr("overview.shared_emails", emails=number(shared, lang()), count=shared))

currency = page_currency(Filters())
if currency.code and not currency.assumed:
    st.caption(tr("money.currency", currency=currency.code))
currency_notes(currency)

view = tables.drop(
    columns=["customers", "shared_emails"]
).assign(  # written out: an empty table's dates read "—", not "None"
    table=tables["table"].map(lambda t: tr(f"table.{t}")),
    rows=tables["rows"].map(lambda n: number(n, lang())),
    first=tables["first"].map(lambda d: date(d, lang())),
    last=tables["last"].map(lambda d: date(d, lang())),
)
st.dataframe(
    view,
    hide_index=True,
    width="stretch",
    column_config={
        "table": tr("col.table"),
        "rows": tr("col.rows"),
        "first": tr("col.first"),
        "last": tr("col.last"),
        "imports": tr("col.imports"),
    },
)
# the three most costly findings, under what is loaded (its table included): filled last, their search takes a moment
findings_box = st.container()

st.subheader(tr("overview.quality"))
st.caption(tr("overview.quality_help"))
quality = import_quality(ws)
st.dataframe(
    readable_imports(quality.drop(columns=["is_demo"])),
    hide_index=True,
    width="stretch",
    column_config={
        "import_id": tr("col.import_id"),
        "file_name": tr("col.file"),
        "kind": tr("col.kind"),
        "rows_read": tr("col.rows_read"),
        "rows_loaded": tr("col.rows_loaded"),
        "rows_rejected": tr("col.rows_rejected"),
        "rejected_share": tr("col.rejected_share"),
        "currency": tr("col.currency"),
    },
)


def show_findings(report) -> None:
    for f in top_findings(ws, report) or [None]:
        at_risk = (
            ""
            if f is None or f.revenue_at_risk is None
            else " — " + tr("friction.overview_at_risk", revenue=money(f.revenue_at_risk, currency, lang()))
        )
        st.markdown(
            f"- **{tr(f'friction.code.{f.code}')}** — {tr(f.title_key, **title_values(f, lang()))}{at_risk}"
            if f
            else tr("friction.overview_none")
        )


with findings_box:
    st.subheader(tr("friction.overview_title"))
    # while the background run computes them, a progress bar: the page does not wait, the findings come when ready
    with st.spinner(tr("friction.overview_searching")):
        draw_when_ready(show_findings, find_friction, whole_period(), with_status=False)
    st.page_link("views/friction.py", label=tr("friction.overview_more"), icon=":material/report:")
