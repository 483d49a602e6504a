-- +goose Up
-- PostgreSQL keeps the search vector in the listing's row from this
-- version; SQLite has no out-of-line storage to choose.
SELECT 1;

-- +goose Down
SELECT 1;
