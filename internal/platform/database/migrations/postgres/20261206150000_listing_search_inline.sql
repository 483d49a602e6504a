-- +goose Up
-- The walks of a sort's index (catalog.walkPage, nearPage, blockIDs) check
-- the search words on each row they read. A listing's row with its
-- descriptions is about 2.3 kB, over the 2 kB at which PostgreSQL moves
-- its largest values out of line, and the search vector (about 1 kB) was
-- among them: every check read the TOAST table's index and heap. Kept in
-- the row (MAIN), it stays there while the descriptions, which only the
-- rendered page reads, go out of line first. On 200 000 attractions a walk
-- of 4 000 rows with a word check took 38 ms, and 20 ms with the vector in
-- the row. Rows written before this keep their storage until they are
-- next updated.
ALTER TABLE listings ALTER COLUMN search SET STORAGE MAIN;

-- +goose Down
ALTER TABLE listings ALTER COLUMN search SET STORAGE EXTENDED;
