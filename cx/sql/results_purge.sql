-- Before every rewrite of the workspace file (an erasure: deleted imports, a replaced import, the demo removed):
-- the stored analysis results (cx/results.py) were computed on data that is no longer all there, so none is
-- copied into the new file. They are computed again for the data that remains.
delete from analysis_results;
