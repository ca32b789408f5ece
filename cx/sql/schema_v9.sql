-- Performance (issue 14): the results of the heavy analyses (friction findings, personas, maturity, the default
-- funnel), stored so that a page, a restarted app and the command line read them instead of computing them again
-- (cx/results.py). One row per analysis and arguments, for the current data and settings versions only: writing a
-- result deletes the rows of other versions, and every rewrite of the file (an erasure) deletes those of deleted
-- data. The payload is a pickle signed with an HMAC of the workspace key: a row whose signature does not match is
-- never unpickled. No primary key and no sequence (a DuckLake catalog refuses them): a writer deletes then inserts
-- in one transaction.
create table if not exists analysis_results (
    analysis varchar not null,          -- module.function
    args_key varchar not null,          -- sha256 of the arguments' canonical text
    args varchar not null,              -- that text, for a person reading the table
    data_version varchar not null,      -- Workspace.data_version() when it was computed
    settings_version varchar not null,  -- Workspace.settings_version() (sha256 of its text)
    computed_at timestamp not null,
    seconds double not null,            -- how long the computation took
    payload blob not null,
    signature varchar not null          -- hex HMAC-SHA256 of the key text and the payload
);
