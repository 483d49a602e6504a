-- +goose Up
-- PostgreSQL gets a GiST index on the stops' points here; SQLite has no such
-- index and orders the stops of the bounding box (transport_stops_lat_idx).
SELECT 1;

-- +goose Down
SELECT 1;
