-- The non-empty comments of the answers kept by the global filters, with their score and context, in the order they
-- were given (an answer several imports loaded is read once, staging/linked_responses.sql: the rows come back in
-- no set order).
with base as (
    /*@satisfaction_base.sql*/
),
final as (
    select responded_at, nps, language, touchpoint, comment
    from base
    where nullif(trim(comment), '') is not null
)
select * from final
order by responded_at, comment
