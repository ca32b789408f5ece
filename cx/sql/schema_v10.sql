-- Real exports (2026-12-07): the money given back on an order (WooCommerce's "refunded total", Shopify's "Refunded
-- Amount", Stripe's "Amount Refunded"), as a positive amount in the order's currency. A partial refund is taken off
-- the order's amount where Parcours takes refunds off (the personas' spending); a refund of the whole amount makes
-- the order a returned one (staging/order_status.sql). Null when the export says nothing of refunds.
alter table orders add column if not exists refunded double;
