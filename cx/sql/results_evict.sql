-- Before storing one analysis result (cx/results.py), in the writer's transaction: the rows of every other data
-- version go (they can no longer be served), so do the rows of this analysis stored for other settings of the same
-- scope (the text before ':' of settings_version names the settings tables it covers), the former row of this
-- call, and rows of the release before settings scopes (no ':' in their settings_version: never served again).
delete from analysis_results
where data_version <> $data_version
   or (analysis = $analysis and settings_version <> $settings_version
       and split_part(settings_version, ':', 1) = split_part($settings_version, ':', 1))
   or (analysis = $analysis and args_key = $args_key)
   or not contains(settings_version, ':');
