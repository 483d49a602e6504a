-- +goose Up
-- PostgreSQL's category name indexes carry the location from this version,
-- for radius walks; SQLite's radius queries read the rows in the box.
SELECT 1;

-- +goose Down
SELECT 1;
