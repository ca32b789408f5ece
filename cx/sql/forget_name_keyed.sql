-- Erasing one person (cx/ingest/forget.py): the imports whose customers are keyed by their names (PrestaShop's
-- orders: "Client" = "G. THOMAS", pseudonymised as names: convert.infer_options' `customer_id_names`). Their rows
-- cannot be tied to an e-mail or a CRM id, and Parcours does not guess a name from an e-mail: the erasure says so and
-- offers a search by the name as written. Bound: none.
with final as (
    select import_id, file_name, rows_loaded
    from imports
    where coalesce(try_cast(json_extract_string(options, '$.customer_id_names') as boolean), false)
)
select * from final order by import_id
