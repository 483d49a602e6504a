-- +goose Up
-- Reviews of listings. An author's delete is soft (status 'deleted' with
-- deleted_at) so the one-review-per-user rule can be a partial unique index;
-- staff moderation hides (status 'hidden'). Only 'visible' reviews count in
-- listings.rating_*.
CREATE TABLE reviews (
    id         text PRIMARY KEY,
    listing_id text     NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    author_id  text     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    rating     integer  NOT NULL CHECK (rating BETWEEN 1 AND 5),
    body       text     NOT NULL DEFAULT '',
    status     text     NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'hidden', 'deleted')),
    hidden_by  text,
    hidden_at  datetime,
    deleted_at datetime,
    created_at datetime NOT NULL,
    updated_at datetime NOT NULL,
    CONSTRAINT reviews_deleted_at CHECK ((status = 'deleted') = (deleted_at IS NOT NULL))
);
CREATE UNIQUE INDEX reviews_listing_author_key ON reviews (listing_id, author_id) WHERE deleted_at IS NULL;
CREATE INDEX reviews_listing_visible_idx ON reviews (listing_id, id DESC) WHERE status = 'visible';
CREATE INDEX reviews_author_idx ON reviews (author_id);

-- The id is UUIDv7, so it orders favourites by when they were added.
CREATE TABLE favorites (
    id         text PRIMARY KEY,
    user_id    text     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    listing_id text     NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    created_at datetime NOT NULL
);
CREATE UNIQUE INDEX favorites_user_listing_key ON favorites (user_id, listing_id);
CREATE INDEX favorites_user_idx ON favorites (user_id, id DESC);
CREATE INDEX favorites_listing_idx ON favorites (listing_id);

-- start_date is text (YYYY-MM-DD): SQLite has no date type.
CREATE TABLE itineraries (
    id         text PRIMARY KEY,
    owner_id   text     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       text     NOT NULL,
    start_date text     CHECK (start_date IS NULL OR start_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
    created_at datetime NOT NULL,
    updated_at datetime NOT NULL
);
CREATE INDEX itineraries_owner_idx ON itineraries (owner_id, id DESC);

-- Items are replaced as a whole on every change; position is the index in
-- the list the owner sent.
CREATE TABLE itinerary_items (
    itinerary_id text    NOT NULL REFERENCES itineraries (id) ON DELETE CASCADE,
    position     integer NOT NULL CHECK (position >= 0),
    listing_id   text    NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    day          integer NOT NULL CHECK (day >= 1),
    note         text    NOT NULL DEFAULT '',
    PRIMARY KEY (itinerary_id, position)
);
CREATE INDEX itinerary_items_listing_idx ON itinerary_items (listing_id);

-- +goose Down
DROP TABLE itinerary_items;
DROP TABLE itineraries;
DROP TABLE favorites;
DROP TABLE reviews;
