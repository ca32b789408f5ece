-- Erasing one person (cx/ingest/forget.py) holds when their file is loaded again: the keyed hash of every key that
-- named an erased person (their customer id, e-mail, pseudonyms, the value typed), never the key itself. The hash is
-- an HMAC-SHA256 with a key derived from the workspace's key for this purpose alone (`cx_erased_key`,
-- Workspace.signing_key("erased_keys")): without the key file nobody can tell whom a row names. An import leaves out
-- the rows keyed by one of them and counts them in its report (cx/ingest/load.py).
create table if not exists erased_keys (
    key_hash varchar not null,
    erased_at timestamp not null
);
