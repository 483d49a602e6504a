-- +goose Up
-- Search words sorted by name (catalog.nameBlockPage). Names that start
-- with the same word sit together in the name order ("Museum …"), so a
-- word that starts many names has its matches in one block of that order:
-- a walk from the start meets none of them, and the block is too large to
-- collect and sort. The facets index now also holds the leading run of
-- letters and digits of each name sort key (~f_ for the Indonesian key,
-- ~e_ for the English one, which falls back to the Indonesian name as the
-- sort does), so that a query can take a word's matches outside its block
-- from the index ("word & !~f_word:*") and walk the block itself in the
-- name index.
-- +goose StatementBegin
CREATE FUNCTION catalog_facets(search tsvector, category text, lat double precision, lng double precision, name_id text, name_en text)
    RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT catalog_facets(search, category, lat, lng) || array_to_tsvector(array_remove(ARRAY[
        '~f_' || left(substring(lower(name_id) FROM '^[a-z0-9]+'), 60),
        '~e_' || left(substring(lower(CASE WHEN name_en <> '' THEN name_en ELSE name_id END) FROM '^[a-z0-9]+'), 60)
    ], NULL))
$$;
-- +goose StatementEnd

DROP INDEX listings_facets_attraction_idx;
DROP INDEX listings_facets_culinary_idx;
DROP INDEX listings_facets_event_idx;
CREATE INDEX listings_facets_attraction_idx ON listings USING gin (catalog_facets(search, category, lat, lng, name_id, name_en))
    WHERE kind = 'attraction' AND status = 'published';
CREATE INDEX listings_facets_culinary_idx ON listings USING gin (catalog_facets(search, category, lat, lng, name_id, name_en))
    WHERE kind = 'culinary' AND status = 'published';
CREATE INDEX listings_facets_event_idx ON listings USING gin (catalog_facets(search, category, lat, lng, name_id, name_en))
    WHERE kind = 'event' AND status = 'published';
ANALYZE listings;

-- +goose Down
DROP INDEX listings_facets_event_idx;
DROP INDEX listings_facets_culinary_idx;
DROP INDEX listings_facets_attraction_idx;
CREATE INDEX listings_facets_attraction_idx ON listings USING gin (catalog_facets(search, category, lat, lng))
    WHERE kind = 'attraction' AND status = 'published';
CREATE INDEX listings_facets_culinary_idx ON listings USING gin (catalog_facets(search, category, lat, lng))
    WHERE kind = 'culinary' AND status = 'published';
CREATE INDEX listings_facets_event_idx ON listings USING gin (catalog_facets(search, category, lat, lng))
    WHERE kind = 'event' AND status = 'published';
DROP FUNCTION catalog_facets(tsvector, text, double precision, double precision, text, text);
