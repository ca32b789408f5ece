-- How many survey answers are loaded, and how many of them the global filters keep: an empty page says
-- "filtered out" rather than "load a survey" when answers exist.
with base as (
    /*@satisfaction_base.sql*/
),
final as (
    select (select count(*) from responses) as loaded, count(*) as kept
    from base
)
select * from final
