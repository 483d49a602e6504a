-- +goose Up
-- PostgreSQL's list of search words, for its facets queries; SQLite's FTS5
-- table needs none.
SELECT 1;

-- +goose Down
SELECT 1;
