-- +goose Up
-- PostgreSQL's spatial indexes carry each listing's opening hours as
-- minutes of the week in this version; SQLite probes listing_hours.
SELECT 1;

-- +goose Down
SELECT 1;
