-- Store one analysis result (cx/results.py), after results_evict.sql in the same transaction.
insert into analysis_results
values ($analysis, $args_key, $args, $data_version, $settings_version, $computed_at, $seconds, $payload, $signature);
