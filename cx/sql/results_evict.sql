-- Before storing one analysis result (cx/results.py), in the writer's transaction: the rows of every other data or
-- settings version go (they can no longer be served), so does the former row of this call.
delete from analysis_results
where data_version <> $data_version or settings_version <> $settings_version
   or (analysis = $analysis and args_key = $args_key);
