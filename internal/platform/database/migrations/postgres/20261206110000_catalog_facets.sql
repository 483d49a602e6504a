-- +goose Up
-- Search words combined with a category or a small radius (catalog.facets).
-- The GIN index of a kind's words answers "which listings hold this word",
-- but a category or a place had to be checked on each of them: a word in
-- 30 000 listings of a million, none of them museums, read 30 000 rows to
-- return nothing. catalog_facets adds to the words one lexeme for the
-- category and one per grid for the location, so that a query ANDs them
-- inside the index and reads only the listings that match every part.
--
-- The added lexemes start with "~", which no search word can (they hold
-- only [a-z0-9]), so a word or word prefix never matches them. The grids
-- have 250, 62.5 and 15.625 cells per degree (0.004°, 0.016°, 0.064°);
-- catalog.cellLexeme computes the same names in Go.
-- +goose StatementBegin
CREATE FUNCTION catalog_facets(search tsvector, category text, lat double precision, lng double precision) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT search || array_to_tsvector(ARRAY[
        '~c_' || category,
        '~g0_' || floor(lng * 250)::bigint || '_' || floor(lat * 250)::bigint,
        '~g1_' || floor(lng * 62.5)::bigint || '_' || floor(lat * 62.5)::bigint,
        '~g2_' || floor(lng * 15.625)::bigint || '_' || floor(lat * 15.625)::bigint
    ])
$$;
-- +goose StatementEnd

-- They replace the per-kind word indexes: the same words, and more.
DROP INDEX listings_search_attraction_idx;
DROP INDEX listings_search_culinary_idx;
DROP INDEX listings_search_event_idx;
CREATE INDEX listings_facets_attraction_idx ON listings USING gin (catalog_facets(search, category, lat, lng))
    WHERE kind = 'attraction' AND status = 'published';
CREATE INDEX listings_facets_culinary_idx ON listings USING gin (catalog_facets(search, category, lat, lng))
    WHERE kind = 'culinary' AND status = 'published';
CREATE INDEX listings_facets_event_idx ON listings USING gin (catalog_facets(search, category, lat, lng))
    WHERE kind = 'event' AND status = 'published';
-- The indexes' statistics hold the lexemes' frequencies per kind, from
-- which catalog.facetStats estimates how many listings a query selects.
ANALYZE listings;

-- +goose Down
DROP INDEX listings_facets_event_idx;
DROP INDEX listings_facets_culinary_idx;
DROP INDEX listings_facets_attraction_idx;
CREATE INDEX listings_search_attraction_idx ON listings USING gin (search) WHERE kind = 'attraction' AND status = 'published';
CREATE INDEX listings_search_culinary_idx ON listings USING gin (search) WHERE kind = 'culinary' AND status = 'published';
CREATE INDEX listings_search_event_idx ON listings USING gin (search) WHERE kind = 'event' AND status = 'published';
DROP FUNCTION catalog_facets(tsvector, text, double precision, double precision);
