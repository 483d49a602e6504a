-- +goose Up
-- An itinerary item is a listing or a transport trip, never both. trip_id has
-- no foreign key: trips belong to transport, which the plan asks about them
-- through an interface, and a trip deleted later shows as unavailable.
ALTER TABLE itinerary_items ALTER COLUMN listing_id DROP NOT NULL;
ALTER TABLE itinerary_items ADD COLUMN trip_id uuid;
ALTER TABLE itinerary_items ADD CONSTRAINT itinerary_items_one_target
    CHECK ((listing_id IS NULL) <> (trip_id IS NULL));
CREATE INDEX itinerary_items_trip_idx ON itinerary_items (trip_id);

-- +goose Down
DELETE FROM itinerary_items WHERE trip_id IS NOT NULL;
DROP INDEX itinerary_items_trip_idx;
ALTER TABLE itinerary_items DROP CONSTRAINT itinerary_items_one_target;
ALTER TABLE itinerary_items DROP COLUMN trip_id;
ALTER TABLE itinerary_items ALTER COLUMN listing_id SET NOT NULL;
