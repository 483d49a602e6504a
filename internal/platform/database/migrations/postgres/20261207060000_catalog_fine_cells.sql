-- +goose Up
-- A finer grid of location lexemes in the facets index: 1000 cells per
-- degree (0.001°, about 111 m). A common word near a point in the old
-- town ("station", sorted by distance) had 2 500 matches in the 3×3 cells
-- of the finest grid before (0.004°), all read to find the nearest 20;
-- 111 m cells leave about 150. A 200 m radius with words is named as at
-- most 5×5 of them instead of 2×2 to 3×3 cells of 445 m. The new lexemes
-- are "~g3_" (catalog.grids): the older grids keep their names, so code
-- that does not know the new grid reads the rebuilt index as before.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION catalog_facets(search tsvector, category text, lat double precision, lng double precision) RETURNS tsvector
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT search || array_to_tsvector(ARRAY[
        '~c_' || category,
        '~g0_' || floor(lng * 250)::bigint || '_' || floor(lat * 250)::bigint,
        '~g1_' || floor(lng * 62.5)::bigint || '_' || floor(lat * 62.5)::bigint,
        '~g2_' || floor(lng * 15.625)::bigint || '_' || floor(lat * 15.625)::bigint,
        '~g3_' || floor(lng * 1000)::bigint || '_' || floor(lat * 1000)::bigint
    ])
$$;
-- +goose StatementEnd

-- The function's results changed, so its indexes are built again.
REINDEX INDEX listings_facets_attraction_idx;
REINDEX INDEX listings_facets_culinary_idx;
REINDEX INDEX listings_facets_event_idx;
ANALYZE listings;

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION catalog_facets(search tsvector, category text, lat double precision, lng double precision) RETURNS tsvector
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

REINDEX INDEX listings_facets_attraction_idx;
REINDEX INDEX listings_facets_culinary_idx;
REINDEX INDEX listings_facets_event_idx;
ANALYZE listings;
