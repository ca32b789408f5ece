-- Staging: what an order's status says, read one way by every analysis (the Journey's orders, Retention's
-- purchases, the personas' orders, the money in scope, the friction orders): `cancelled` — never a purchase
-- (cancelled, abandoned, voided, payment failed) — and `returned` — bought, then sent back or refunded. Matched on the beginning of
-- the status, French and English, any case ("Cancelled by customer", "Remboursée", "refund pending"); a missing
-- status is neither. A payment that failed or was never completed is never a purchase either, so it is read as
-- `cancelled`: Stripe's "Failed" and "requires_payment_method" / "Incomplete", WooCommerce's "failed", PrestaShop's
-- "Erreur de paiement", "Paiement refusé", "Declined", "Expired" (a pending payment stands, as Shopify counts it). Reads the including query's CTE `status_of` (any columns, one of them `status`) and adds the
-- two columns to its rows.
-- A status that only asks, or says no, or is partial is not the final word: "Return requested", "Refund declined",
-- "Cancellation rejected", "Retour refusé", "Remboursement partiel" are neither (the order stands), nor is a
-- return that was itself cancelled ("Return cancelled", "Retour annulé").
with spelt as (
    select *, lower(trim(coalesce(status, ''))) as status_text
    from status_of
),
read as (
    select *,
           regexp_matches(status_text, 'request|demand|reject|refus|declin|denied|deny|fail|échou|echou|partial|partiel')
               as not_final,
           -- a payment that did not go through, said of the order itself (not of its return, refund or cancellation)
           not regexp_matches(status_text, 'refund|rembours|return|retour|cancel|annul')
               and regexp_matches(status_text, '^((payment|paiement)[ _-]+)?(fail|declin|denied|refus|reject|rejet'
                                               || '|échou|echou|échec|echec|error|erreur|expired|expiré|incomplete'
                                               || '|requires_)|^erreur de paiement|^(payment|paiement) '
                                               || '(fail|declin|refus|rejet|reject|échou|echou|erreur|error)')
               as payment_failed
    from spelt
),
final as (
    select * exclude (status_text, not_final, payment_failed),
           (status_text like 'cancel%' or status_text like 'annul%' or status_text like 'abandon%'
            or status_text in ('void', 'voided')) and not not_final or payment_failed as cancelled,
           (status_text like 'return%' or status_text like 'retour%' or status_text like 'refund%'
            or status_text like 'rembours%')
               and not not_final and not regexp_matches(status_text, 'cancel|annul') as returned
    from read
)
select * from final
