-- +goose Up
-- Attractions, culinary spots and events share one table: they share most
-- fields, and search ranks them together. Kind-specific fields are nullable.
CREATE TABLE listings (
    id             uuid PRIMARY KEY,
    kind           text        NOT NULL CHECK (kind IN ('attraction', 'culinary', 'event')),
    slug           text        NOT NULL,
    status         text        NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    name_id        text        NOT NULL,
    name_en        text        NOT NULL DEFAULT '',
    description_id text        NOT NULL DEFAULT '',
    description_en text        NOT NULL DEFAULT '',
    category       text        NOT NULL,
    tags           text        NOT NULL DEFAULT '[]',  -- JSON array, for reading; listing_tags is for filtering
    address        text        NOT NULL DEFAULT '',
    lat            double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    lng            double precision NOT NULL CHECK (lng BETWEEN -180 AND 180),
    opening_hours  text        NOT NULL DEFAULT '[]',  -- JSON; listing_hours is for open_now
    contact        text        NOT NULL DEFAULT '{}',  -- JSON {phone, website, instagram}
    ticket_prices  text        NOT NULL DEFAULT '[]',  -- JSON, attractions
    specialties    text        NOT NULL DEFAULT '[]',  -- JSON, culinary
    price_range    smallint    CHECK (price_range BETWEEN 1 AND 4),
    halal          boolean,
    starts_at      timestamptz,
    ends_at        timestamptz,
    venue          text        NOT NULL DEFAULT '',
    organizer      text        NOT NULL DEFAULT '',
    ticket_url     text        NOT NULL DEFAULT '',
    rating_sum     bigint      NOT NULL DEFAULT 0,
    rating_count   integer     NOT NULL DEFAULT 0,
    rating_avg     double precision NOT NULL DEFAULT 0,
    published_at   timestamptz,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    CONSTRAINT listings_event_span CHECK (kind <> 'event' OR (starts_at IS NOT NULL AND ends_at IS NOT NULL AND ends_at > starts_at))
);
CREATE UNIQUE INDEX listings_kind_slug_key ON listings (kind, slug);
CREATE INDEX listings_kind_status_idx ON listings (kind, status, id DESC);

-- Opening hours as minute spans per weekday (0 = Sunday), in Asia/Jakarta.
-- A span past midnight is stored as two rows, so "open at (day, minute)" is
-- one indexed range check.
CREATE TABLE listing_hours (
    listing_id uuid     NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    day        smallint NOT NULL CHECK (day BETWEEN 0 AND 6),
    open_min   smallint NOT NULL CHECK (open_min BETWEEN 0 AND 1440),
    close_min  smallint NOT NULL CHECK (close_min BETWEEN 0 AND 1440)
);
CREATE INDEX listing_hours_listing_idx ON listing_hours (listing_id, day, open_min, close_min);

CREATE TABLE listing_tags (
    listing_id uuid NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    tag        text NOT NULL,
    PRIMARY KEY (listing_id, tag)
);
CREATE INDEX listing_tags_tag_idx ON listing_tags (tag, listing_id);

-- Image files live in storage (DATA_DIR/media or object storage); rows hold
-- the key under which the file is stored.
CREATE TABLE listing_images (
    id           uuid PRIMARY KEY,
    listing_id   uuid    NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    storage_key  text    NOT NULL,
    caption      text    NOT NULL DEFAULT '',
    content_type text    NOT NULL,
    size_bytes   bigint  NOT NULL,
    position     integer NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL
);
CREATE INDEX listing_images_listing_idx ON listing_images (listing_id, position, id);

-- +goose Down
DROP TABLE listing_images;
DROP TABLE listing_tags;
DROP TABLE listing_hours;
DROP TABLE listings;
