-- +goose Up
-- The first page of stops near a point walks this index nearest-first
-- instead of reading every stop in the radius's bounding box.
CREATE INDEX transport_stops_geo_idx ON transport_stops USING gist (point(lng, lat));

-- +goose Down
DROP INDEX transport_stops_geo_idx;
