-- The non-empty comments of the answers kept by the global filters, with their score and context.
with base as (
    /*@satisfaction_base.sql*/
),
final as (
    select responded_at, nps, language, touchpoint, comment
    from base
    where nullif(trim(comment), '') is not null
)
select * from final
