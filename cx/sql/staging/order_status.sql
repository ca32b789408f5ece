-- Staging: what an order's status says, read one way by every analysis (the Journey's orders, Retention's
-- purchases, the personas' orders, the money in scope, the friction orders): `cancelled` — never a purchase
-- (cancelled, abandoned, voided, payment failed, a deal lost or still open, a payment awaited) —, `waiting` — of
-- those, a deal still open or a payment awaited: no failure — and `returned` — bought, then sent back or refunded. Matched on the beginning of
-- the status, French and English, any case ("Cancelled by customer", "Remboursée", "refund pending"); a missing
-- status is neither. A payment that failed or was never completed is never a purchase either, so it is read as
-- `cancelled`: Stripe's "Failed" and "requires_payment_method" / "Incomplete", WooCommerce's "failed", PrestaShop's
-- "Erreur de paiement", "Paiement refusé", "Declined", "Expired" — whole statuses, not their beginnings: a pending
-- or authorised payment stands (Shopify counts it; Stripe's "requires_capture", "requires_action"), and so does an
-- order whose delivery failed ("Failed delivery", "Échec de livraison": a paid order). WooCommerce writes its
-- statuses with a `wc-` prefix in plugin and database exports (`wc-cancelled`, `wc-refunded`, `wc-failed`; its own
-- Analytics CSV writes "Cancelled", its REST API "cancelled"): the prefix is read away; its `checkout-draft` is a
-- checkout left before ordering, never a purchase. WooCommerce's pending payment (`wc-pending`, as the importer stores
-- it from a WooCommerce file, whatever label the file wrote) is no purchase either: WooCommerce Analytics leaves pending,
-- failed and cancelled orders out by default and counts processing and on-hold ones; Shopify's "pending" stands. PrestaShop's
-- states that wait for the money are no purchase either (its statistics leave them out: not "validated"), in French and
-- English, whole statuses: "En attente du paiement par chèque" / "Awaiting check payment", "En attente de virement
-- bancaire" / "Awaiting bank wire payment", "En attente de paiement à la livraison" / "Awaiting Cash On Delivery
-- validation", "En attente de réapprovisionnement (non payé)" / "On backorder (not paid)", a module's "En attente de
-- paiement PayPal"; its paid states stand ("Paiement accepté", "Paiement à distance accepté", "En cours de préparation",
-- "Expédié", "Livré", "En attente de réapprovisionnement (payé)"), "Annulé" and "Erreur de paiement" are `cancelled`,
-- "Remboursé" `returned`, "Remboursement partiel" neither. An order refunded in full (`refunded`, the amount given back,
-- at least its amount) is `returned` whatever its status says. Reads the including query's CTE `status_of` (any
-- columns, among them `status`, `amount` and `refunded`: null when the export says nothing of refunds) and adds the three
-- columns to its rows.
-- A status that only asks, or says no, or is partial is not the final word: "Return requested", "Refund declined",
-- "Cancellation rejected", "Retour refusé", "Remboursement partiel" are neither (the order stands), nor is a
-- return that was itself cancelled ("Return cancelled", "Retour annulé").
-- A CRM's deal is a purchase once won: a HubSpot deal stage (its deals export's status) that is lost or still open
-- is never a purchase, so it is read as `cancelled` — the default pipeline's stages, as labelled in English and in
-- French or by their internal names ("Closed lost", "closedlost", "Conclue perdue", "Appointment scheduled",
-- "Qualified to buy", "Presentation scheduled", "Decision maker bought-in", "Contract sent", "Contrat envoyé"…);
-- "Closed won" / "Conclue gagnée" stands. A deal still open, or an order awaiting its payment, is no failure either:
-- `waiting` says so, and what counts failed orders (Friction's checkout trouble, the personas' cancelled orders)
-- leaves those rows out.
-- Each distinct status is read once (a shop writes a handful of them; its orders, hundreds of thousands), then joined
-- back to the rows: the patterns cost ~0.2 CPU s a query at 345k orders when matched on every row.
with statuses as (
    select distinct status
    from status_of
),
spelt as (
    select status, regexp_replace(lower(trim(coalesce(status, ''))), '^wc-', '') as status_text,
           lower(trim(coalesce(status, ''))) = 'wc-pending' as unpaid
    from statuses
),
read as (
    select *,
           regexp_matches(status_text, 'request|demand|reject|refus|declin|denied|deny|fail|échou|echou|partial|partiel')
               as not_final,
           -- a payment that did not go through, said of the order itself: the statuses spelt out (not prefixes, which
           -- took "Failed delivery", Stripe's "requires_capture" or a bare "Refused" for a failed payment)
           regexp_matches(status_text, '^((payment|paiement)[ _-]+)?(failed|failure|declined|échoué|échouée|echoue|echouee'
                                       || '|expired|expiré|expirée|incomplete|incomplet|incomplète)$'
                                       || '|^(payment|paiement)[ _-]+(refused|rejected|error|échec|echec|refusé|refusée'
                                       || '|refuse|refusee|rejeté|rejetée)$'
                                       || '|^(failed|declined|expired)[ _-]+(payment|paiement)$'
                                       || '|^(erreur de paiement|échec de paiement|echec de paiement|paiement en erreur'
                                       || '|requires_payment_method|payment_failed|card declined|carte refusée)$')
               as payment_failed,
           -- waiting for the money (PrestaShop's states, the whole status)
           regexp_matches(status_text, '^(en attente (du |de |d'')?(paiement|règlement|reglement|virement)( .*)?'
                                       || '|en attente de (réapprovisionnement|reapprovisionnement) \(non (payé|paye)\)'
                                       || '|awaiting (.* )?payment|awaiting cash on delivery validation'
                                       || '|on backorder \(not paid\))$')
               as awaiting_payment,
           regexp_matches(status_text, '^(closed[ _-]?lost|conclue?[ _-]perdue?)$') as deal_lost,
           regexp_matches(status_text, '^(appointment[ _-]?scheduled|qualified[ _-]?to[ _-]?buy'
                                       || '|presentation[ _-]?scheduled|decision[ _-]?maker[ _-]?bought[ _-]?in'
                                       || '|contract[ _-]?sent|rendez-vous (programmé|planifié)'
                                       || '|qualifié pour (l[''’] ?|)achat|qualifié pour acheter'
                                       || '|présentation (programmée|planifiée)|décideur (impliqué|convaincu|partant)'
                                       || '|contrat envoyé)$')
               as open_deal
    from spelt
),
said as (
    select status, open_deal or awaiting_payment as waiting,
           (status_text like 'cancel%' or status_text like 'annul%' or status_text like 'abandon%'
            or status_text in ('void', 'voided', 'checkout-draft')) and not not_final or payment_failed or unpaid
           or deal_lost or open_deal or awaiting_payment
               as cancelled,
           (status_text like 'return%' or status_text like 'retour%' or status_text like 'refund%'
            or status_text like 'rembours%')
               and not not_final and not regexp_matches(status_text, 'cancel|annul') as status_returned
    from read
),
final as (
    -- refunded in full: the amount given back covers the order's (to the cent)
    select o.*, s.cancelled, s.waiting,
           s.status_returned or not s.cancelled and coalesce(o.amount > 0 and o.refunded >= o.amount - 0.005, false)
               as returned
    from status_of o
    join said s on s.status is not distinct from o.status
)
select * from final
