-- Trust (issue 12): one import per file content, even when two sessions load the same file at the same
-- moment. An import (unless the user asked for a second copy) claims its file's sha256 inside its own
-- transaction; a second transaction claiming the same content conflicts and is told it was just imported.
-- Deleting an import removes its claim.
create table if not exists import_claims (
    sha256 varchar primary key,
    import_id integer not null
);
insert or ignore into import_claims
    select sha256, max(import_id) from imports where status = 'loaded' group by sha256;
