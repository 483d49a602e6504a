-- +goose Up
-- PostgreSQL keeps whole listing rows up to 4 kB from this version; SQLite
-- has no out-of-line storage to choose.
SELECT 1;

-- +goose Down
SELECT 1;
