-- +goose Up
-- An itinerary item is a listing or a transport trip, never both. trip_id has
-- no foreign key: trips belong to transport, which the plan asks about them
-- through an interface, and a trip deleted later shows as unavailable.
-- SQLite cannot drop NOT NULL in place: the table is rebuilt (nothing
-- references it).
CREATE TABLE itinerary_items_new (
    itinerary_id text    NOT NULL REFERENCES itineraries (id) ON DELETE CASCADE,
    position     integer NOT NULL CHECK (position >= 0),
    listing_id   text    REFERENCES listings (id) ON DELETE CASCADE,
    trip_id      text,
    day          integer NOT NULL CHECK (day >= 1),
    note         text    NOT NULL DEFAULT '',
    PRIMARY KEY (itinerary_id, position),
    CONSTRAINT itinerary_items_one_target CHECK ((listing_id IS NULL) <> (trip_id IS NULL))
);
INSERT INTO itinerary_items_new (itinerary_id, position, listing_id, day, note)
    SELECT itinerary_id, position, listing_id, day, note FROM itinerary_items;
DROP TABLE itinerary_items;
ALTER TABLE itinerary_items_new RENAME TO itinerary_items;
CREATE INDEX itinerary_items_listing_idx ON itinerary_items (listing_id);
CREATE INDEX itinerary_items_trip_idx ON itinerary_items (trip_id);

-- +goose Down
CREATE TABLE itinerary_items_old (
    itinerary_id text    NOT NULL REFERENCES itineraries (id) ON DELETE CASCADE,
    position     integer NOT NULL CHECK (position >= 0),
    listing_id   text    NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    day          integer NOT NULL CHECK (day >= 1),
    note         text    NOT NULL DEFAULT '',
    PRIMARY KEY (itinerary_id, position)
);
INSERT INTO itinerary_items_old (itinerary_id, position, listing_id, day, note)
    SELECT itinerary_id, position, listing_id, day, note FROM itinerary_items WHERE listing_id IS NOT NULL;
DROP TABLE itinerary_items;
ALTER TABLE itinerary_items_old RENAME TO itinerary_items;
CREATE INDEX itinerary_items_listing_idx ON itinerary_items (listing_id);
