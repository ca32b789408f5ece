-- Friction: every page of the workspace with its path (scheme, host, query and fragment removed; '/' when
-- nothing is left) and a small integer id per path (1, 2, …, in path order): fr_keyed carries the id rather than
-- the text, so that orderings, groupings and joins on pages compare integers. Kept in fr_paths.
with pages as (
    select distinct page
    from events
    where page is not null
),
paths as (
    select page, coalesce(nullif(regexp_extract(
               page, '^(?:[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*)?([^?#]*)', 1), ''), '/') as path
    from pages
),
final as (
    select page, path, dense_rank() over (order by path)::integer as path_id
    from paths
)
select * from final
