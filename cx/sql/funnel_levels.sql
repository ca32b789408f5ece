-- Funnel, ordered and strict modes: the rows of levels 2..n (step events reached within their window).
create or replace temp table fx_levels (vid bigint, k bigint, key bigint, t timestamp, t0 timestamp, g varchar,
                                        tprev timestamp);
