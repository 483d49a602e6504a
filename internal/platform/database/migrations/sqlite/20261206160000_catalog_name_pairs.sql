-- +goose Up
-- PostgreSQL's facets index gained the first two words of each name in
-- this version; SQLite pages searches with its FTS5 table and needs none.
SELECT 1;

-- +goose Down
SELECT 1;
