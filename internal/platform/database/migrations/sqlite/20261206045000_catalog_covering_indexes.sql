-- +goose Up
-- PostgreSQL's radius strategies gained covering indexes in this version;
-- SQLite answers a radius with its R*Tree and needs none.
SELECT 1;

-- +goose Down
SELECT 1;
