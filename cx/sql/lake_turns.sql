-- DuckLake only (cx/keys.py take_turn): one one-row table per kind of writer that must not commit beside another
-- of its kind; each such transaction updates its row, so DuckLake commits only the first and the other runs again.
-- A table each: DuckLake on a PostgreSQL catalog finds conflicts per table, so writers of different kinds
-- (a settings edit, the mapping of an attached folder, a stored result) do not make each other run again.
create table if not exists cx_turn_settings (turns integer not null);
insert into cx_turn_settings select 0 where not exists (select 1 from cx_turn_settings);
create table if not exists cx_turn_attached (turns integer not null);
insert into cx_turn_attached select 0 where not exists (select 1 from cx_turn_attached);
create table if not exists cx_turn_results (turns integer not null);
insert into cx_turn_results select 0 where not exists (select 1 from cx_turn_results);
