-- +goose Up
-- Search words sorted by name whose matches sit deeper in the name order
-- than the first word (catalog.nameBlockPage): a theme word is the second
-- word of many names ("Taman Edukasi …", "Galeri Edukasi …"), so its
-- matches are short runs inside every first word's block. The facets index
-- now also holds the first two runs of letters and digits of each name
-- sort key when one space parts them (~p_ for the Indonesian key, ~q_ for
-- the English one, the runs joined by "_"), so that a query can walk those
-- runs in the name index and take the word's other matches from the index
-- without them. Every key holding ~p_taman_edukasi starts with
-- "taman edukasi", which is what makes the walk of that key range exact.
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION catalog_facets(search tsvector, category text, lat double precision, lng double precision, name_id text, name_en text)
    RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT catalog_facets(search, category, lat, lng) || array_to_tsvector(array_remove(ARRAY[
        '~f_' || left(substring(lower(name_id) FROM '^[a-z0-9]+'), 60),
        '~e_' || left(substring(lower(CASE WHEN name_en <> '' THEN name_en ELSE name_id END) FROM '^[a-z0-9]+'), 60),
        '~p_' || replace(left(substring(lower(name_id) FROM '^[a-z0-9]+ [a-z0-9]+'), 60), ' ', '_'),
        '~q_' || replace(left(substring(lower(CASE WHEN name_en <> '' THEN name_en ELSE name_id END) FROM '^[a-z0-9]+ [a-z0-9]+'), 60), ' ', '_')
    ], NULL))
$$;
-- +goose StatementEnd

-- The function's results changed, so its indexes are built again.
REINDEX INDEX listings_facets_attraction_idx;
REINDEX INDEX listings_facets_culinary_idx;
REINDEX INDEX listings_facets_event_idx;
ANALYZE listings;

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION catalog_facets(search tsvector, category text, lat double precision, lng double precision, name_id text, name_en text)
    RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT catalog_facets(search, category, lat, lng) || array_to_tsvector(array_remove(ARRAY[
        '~f_' || left(substring(lower(name_id) FROM '^[a-z0-9]+'), 60),
        '~e_' || left(substring(lower(CASE WHEN name_en <> '' THEN name_en ELSE name_id END) FROM '^[a-z0-9]+'), 60)
    ], NULL))
$$;
-- +goose StatementEnd
REINDEX INDEX listings_facets_attraction_idx;
REINDEX INDEX listings_facets_culinary_idx;
REINDEX INDEX listings_facets_event_idx;
