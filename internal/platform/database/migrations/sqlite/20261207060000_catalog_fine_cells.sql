-- +goose Up
-- PostgreSQL's facets index gained a finer grid of location lexemes in
-- this version; SQLite pages searches with its FTS5 table and needs none.
SELECT 1;

-- +goose Down
SELECT 1;
