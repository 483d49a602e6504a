-- +goose Up
-- A radius with another sort reads these indexes only, never the table,
-- until the page's rows are known (catalog.store.nearPage):
--
--   - the per-kind GiST indexes carry every column a radius is filtered
--     or sorted by, so collecting a radius of a few thousand listings and
--     ordering it is an index-only scan;
--   - the sort indexes carry lat and lng, the columns the other plain
--     filters read (category, rating, an event's span) and the name the
--     name key is computed from, so walking the sort's order and keeping
--     the rows in the radius that pass is an index-only scan too.
--
-- Without them each row visited was a heap fetch: 200 m in a dense old
-- town holds thousands of listings.
DROP INDEX listings_geo_attraction_idx;
DROP INDEX listings_geo_culinary_idx;
DROP INDEX listings_geo_event_idx;
CREATE INDEX listings_geo_attraction_idx ON listings USING gist (point(lng, lat))
    INCLUDE (id, lat, lng, rating_avg, name_id, name_en, category) WHERE kind = 'attraction' AND status = 'published';
CREATE INDEX listings_geo_culinary_idx ON listings USING gist (point(lng, lat))
    INCLUDE (id, lat, lng, rating_avg, name_id, name_en, category) WHERE kind = 'culinary' AND status = 'published';
CREATE INDEX listings_geo_event_idx ON listings USING gist (point(lng, lat))
    INCLUDE (id, lat, lng, rating_avg, name_id, name_en, category, starts_at, ends_at) WHERE kind = 'event' AND status = 'published';

DROP INDEX listings_rating_idx;
CREATE INDEX listings_rating_idx ON listings (kind, rating_avg DESC, id DESC)
    INCLUDE (name_tsv, lat, lng, category, starts_at, ends_at) WHERE status = 'published';
DROP INDEX listings_name_id_idx;
CREATE INDEX listings_name_id_idx ON listings (kind, lower(name_id), id)
    INCLUDE (name_id, lat, lng, category, rating_avg, starts_at, ends_at) WHERE status = 'published';
DROP INDEX listings_name_en_idx;
CREATE INDEX listings_name_en_idx ON listings (kind, lower(CASE WHEN name_en <> '' THEN name_en ELSE name_id END), id)
    INCLUDE (name_en, name_id, lat, lng, category, rating_avg, starts_at, ends_at) WHERE status = 'published';
CREATE INDEX listings_newest_idx ON listings (kind, id DESC)
    INCLUDE (lat, lng, category, rating_avg, starts_at, ends_at) WHERE status = 'published';
DROP INDEX listings_event_start_idx;
CREATE INDEX listings_event_start_idx ON listings (starts_at, id)
    INCLUDE (ends_at, lat, lng, category, rating_avg) WHERE kind = 'event' AND status = 'published';

-- +goose Down
DROP INDEX listings_event_start_idx;
CREATE INDEX listings_event_start_idx ON listings (starts_at, id) WHERE kind = 'event' AND status = 'published';
DROP INDEX listings_newest_idx;
DROP INDEX listings_name_en_idx;
CREATE INDEX listings_name_en_idx ON listings (kind, lower(CASE WHEN name_en <> '' THEN name_en ELSE name_id END), id) WHERE status = 'published';
DROP INDEX listings_name_id_idx;
CREATE INDEX listings_name_id_idx ON listings (kind, lower(name_id), id) WHERE status = 'published';
DROP INDEX listings_rating_idx;
CREATE INDEX listings_rating_idx ON listings (kind, rating_avg DESC, id DESC) INCLUDE (name_tsv) WHERE status = 'published';
DROP INDEX listings_geo_event_idx;
DROP INDEX listings_geo_culinary_idx;
DROP INDEX listings_geo_attraction_idx;
CREATE INDEX listings_geo_attraction_idx ON listings USING gist (point(lng, lat)) INCLUDE (id, lat, lng) WHERE kind = 'attraction' AND status = 'published';
CREATE INDEX listings_geo_culinary_idx ON listings USING gist (point(lng, lat)) INCLUDE (id, lat, lng) WHERE kind = 'culinary' AND status = 'published';
CREATE INDEX listings_geo_event_idx ON listings USING gist (point(lng, lat)) INCLUDE (id, lat, lng) WHERE kind = 'event' AND status = 'published';
