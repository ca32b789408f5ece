-- Staging: what an order's status says, read one way by every analysis (the Journey's orders, Retention's
-- purchases, the personas' orders, the money in scope, the friction orders): `cancelled` — never a purchase
-- (cancelled, abandoned, voided) — and `returned` — bought, then sent back or refunded. Matched on the beginning of
-- the status, French and English, any case ("Cancelled by customer", "Remboursée", "refund pending"); a missing
-- status is neither. Reads the including query's CTE `status_of` (any columns, one of them `status`) and adds the
-- two columns to its rows.
with spelt as (
    select *, lower(trim(coalesce(status, ''))) as status_text
    from status_of
),
final as (
    select * exclude (status_text),
           (status_text like 'cancel%' or status_text like 'annul%' or status_text like 'abandon%'
            or status_text in ('void', 'voided')) as cancelled,
           (status_text like 'return%' or status_text like 'retour%' or status_text like 'refund%'
            or status_text like 'rembours%') as returned
    from spelt
)
select * from final
