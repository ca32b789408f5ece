-- Workspace (cx/workspace.py Workspace.table_counts): rows of each data table.
with counts as (
    select 'events' as table_name, count(*) as n from events
    union all select 'customers', count(*) from customers
    union all select 'orders', count(*) from orders
    union all select 'tickets', count(*) from tickets
    union all select 'responses', count(*) from responses
),
final as (
    select table_name, n from counts
)
select * from final
