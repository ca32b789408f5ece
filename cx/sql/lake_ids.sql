-- DuckLake only (a lake has no sequence): the last import id handed out, in one row that every import
-- updates in its own transaction (cx/keys.py next_import_id), so two imports at once conflict and one retries.
create table if not exists cx_import_ids (last_id integer not null);
insert into cx_import_ids select 0 where not exists (select 1 from cx_import_ids);
