-- Real exports (issue 11): every source column has a recorded fate, money has a currency, the data has an
-- "as of" date. Released migrations are never edited: later changes go in schema_v8 and after.

-- Source columns that feed no canonical column are kept here (events keep theirs in `properties`), as a
-- JSON object {source header: text}; personal-looking values are pseudonymised like loaded data.
alter table customers add column if not exists extra json;
alter table orders add column if not exists extra json;
alter table tickets add column if not exists extra json;
alter table responses add column if not exists extra json;

-- ISO 4217 code of an order's amount (from a currency column, a symbol or a code in the amount, or the
-- import's currency); events carry GA4's `currency` beside their revenue.
alter table orders add column if not exists currency varchar;
alter table events add column if not exists currency varchar;

-- Per import: the currency found (null when none or several), what each source column became
-- ({header: {"fate": "mapped"|"kept"|"ignored", "column": canonical column or null}}), and notes on what
-- was reshaped (line items rolled up, nested actions unnested, header rows merged).
alter table imports add column if not exists currency varchar;
alter table imports add column if not exists column_fates json;
alter table imports add column if not exists notes json;

-- A guest order (no customer account, no e-mail) is still an order: its customer_id may be null.
alter table orders alter column customer_id drop not null;
