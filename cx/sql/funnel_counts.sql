-- Funnel: visitors per (breakdown group, furthest step reached); the caller accumulates them into
-- "reached step k or further".
with final as (
    select g, reached, count(*) as users
    from fx_users
    group by g, reached
)
select * from final
