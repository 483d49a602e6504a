-- +goose Up
-- Search, suggestions and the read paths of the catalog. Everything here is
-- derived from the columns of 00002 (generated columns, a trigger-fed word
-- table, indexes), so rows written by any means — the API, the demo loader,
-- a bulk COPY — are found.
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;

-- catalog_fold is the accent- and case-insensitive form of a text: lower
-- case ASCII letters and digits separated by single spaces. unaccent() is
-- only STABLE (its dictionary could change), which generated columns and
-- index expressions refuse; naming the dictionary explicitly makes the
-- wrapper safe to declare IMMUTABLE. Go folds queries the same way
-- (catalog.fold).
-- +goose StatementBegin
CREATE FUNCTION catalog_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT btrim(regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, $1)), '[^a-z0-9]+', ' ', 'g'))
$$;
-- +goose StatementEnd

-- name_fold: both names folded, for suggestions. name_tsv: the name words
-- alone, for the first relevance tier. search: names (weight A), tags (B)
-- and descriptions (C) in both languages, for matching.
ALTER TABLE listings
    ADD COLUMN name_fold text GENERATED ALWAYS AS (catalog_fold(name_id || ' ' || name_en)) STORED,
    ADD COLUMN name_tsv tsvector GENERATED ALWAYS AS (
        to_tsvector('simple'::regconfig, catalog_fold(name_id || ' ' || name_en))
    ) STORED,
    ADD COLUMN search tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple'::regconfig, catalog_fold(name_id || ' ' || name_en)), 'A') ||
        setweight(to_tsvector('simple'::regconfig, catalog_fold(tags)), 'B') ||
        setweight(to_tsvector('simple'::regconfig, catalog_fold(description_id || ' ' || description_en)), 'C')
    ) STORED;

-- Full-text matching. The per-kind published indexes serve the public list
-- endpoints; the unrestricted one serves cross-kind search and staff lists.
CREATE INDEX listings_search_idx ON listings USING gin (search);
CREATE INDEX listings_search_attraction_idx ON listings USING gin (search) WHERE kind = 'attraction' AND status = 'published';
CREATE INDEX listings_search_culinary_idx ON listings USING gin (search) WHERE kind = 'culinary' AND status = 'published';
CREATE INDEX listings_search_event_idx ON listings USING gin (search) WHERE kind = 'event' AND status = 'published';
CREATE INDEX listings_name_tsv_idx ON listings USING gin (name_tsv) WHERE status = 'published';

-- Best rated first, the default order and the order inside a relevance
-- tier. name_tsv rides along so that a name match is checked on the index
-- entry alone (index-only scan), without visiting the wide table rows.
CREATE INDEX listings_rating_idx ON listings (kind, rating_avg DESC, id DESC) INCLUDE (name_tsv) WHERE status = 'published';
CREATE INDEX listings_rating_all_kinds_idx ON listings (rating_avg DESC, id DESC) INCLUDE (kind, name_tsv) WHERE status = 'published';
CREATE INDEX listings_category_rating_idx ON listings (kind, category, rating_avg DESC, id DESC) WHERE status = 'published';
CREATE INDEX listings_category_newest_idx ON listings (kind, category, id DESC) WHERE status = 'published';
CREATE INDEX listings_name_id_idx ON listings (kind, lower(name_id), id) WHERE status = 'published';
CREATE INDEX listings_name_en_idx ON listings (kind, lower(CASE WHEN name_en <> '' THEN name_en ELSE name_id END), id) WHERE status = 'published';
CREATE INDEX listings_event_start_idx ON listings (starts_at, id) WHERE kind = 'event' AND status = 'published';
CREATE INDEX listings_event_category_start_idx ON listings (category, starts_at, id) WHERE kind = 'event' AND status = 'published';

-- Nearby: GiST over plain (lng, lat) points serves radius boxes and hands
-- out rows nearest-first (KNN <->) in degrees; Go then orders the
-- candidates by exact great-circle distance (catalog.store.nearest). The
-- included columns make that walk index-only. It is several times cheaper
-- per row than earthdistance's cube index.
CREATE INDEX listings_geo_attraction_idx ON listings USING gist (point(lng, lat)) INCLUDE (id, lat, lng) WHERE kind = 'attraction' AND status = 'published';
CREATE INDEX listings_geo_culinary_idx ON listings USING gist (point(lng, lat)) INCLUDE (id, lat, lng) WHERE kind = 'culinary' AND status = 'published';
CREATE INDEX listings_geo_event_idx ON listings USING gist (point(lng, lat)) INCLUDE (id, lat, lng) WHERE kind = 'event' AND status = 'published';
CREATE INDEX listings_geo_all_kinds_idx ON listings USING gist (point(lng, lat)) WHERE status = 'published';

-- Suggestions. Each word of a published listing's names is a row, so a
-- typed prefix of any word is one ordered b-tree range ("lawe" finds
-- "… Laweyan …") that stops after ten rows however many listings match.
-- pos is where the word first appears in the names, so names that start
-- with it come first. A trigger keeps the table in step with listings.
CREATE TABLE listing_name_words (
    word       text COLLATE "C" NOT NULL,
    pos        smallint NOT NULL,
    name_fold  text COLLATE "C" NOT NULL,
    listing_id uuid NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    PRIMARY KEY (word, pos, name_fold, listing_id)
);
CREATE INDEX listing_name_words_listing_idx ON listing_name_words (listing_id);

-- +goose StatementBegin
CREATE FUNCTION catalog_name_words_sync() RETURNS trigger
    LANGUAGE plpgsql
AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF NEW.name_fold IS NOT DISTINCT FROM OLD.name_fold AND NEW.status IS NOT DISTINCT FROM OLD.status THEN
            RETURN NULL;
        END IF;
        DELETE FROM listing_name_words WHERE listing_id = OLD.id;
    END IF;
    IF NEW.status = 'published' THEN
        INSERT INTO listing_name_words (word, pos, name_fold, listing_id)
        SELECT t.w, min(t.n) - 1, NEW.name_fold, NEW.id
        FROM unnest(string_to_array(NEW.name_fold, ' ')) WITH ORDINALITY AS t (w, n)
        WHERE t.w <> ''
        GROUP BY t.w;
    END IF;
    RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER listings_name_words_sync AFTER INSERT OR UPDATE OF name_id, name_en, status ON listings
    FOR EACH ROW EXECUTE FUNCTION catalog_name_words_sync();

-- Typos: trigram word similarity over the folded names.
CREATE INDEX listings_name_trgm_idx ON listings USING gin (name_fold gin_trgm_ops) WHERE status = 'published';

-- +goose Down
DROP INDEX listings_name_trgm_idx;
DROP TRIGGER listings_name_words_sync ON listings;
DROP FUNCTION catalog_name_words_sync();
DROP TABLE listing_name_words;
DROP INDEX listings_geo_all_kinds_idx;
DROP INDEX listings_geo_event_idx;
DROP INDEX listings_geo_culinary_idx;
DROP INDEX listings_geo_attraction_idx;
DROP INDEX listings_event_category_start_idx;
DROP INDEX listings_event_start_idx;
DROP INDEX listings_name_en_idx;
DROP INDEX listings_name_id_idx;
DROP INDEX listings_category_newest_idx;
DROP INDEX listings_category_rating_idx;
DROP INDEX listings_rating_all_kinds_idx;
DROP INDEX listings_rating_idx;
DROP INDEX listings_name_tsv_idx;
DROP INDEX listings_search_event_idx;
DROP INDEX listings_search_culinary_idx;
DROP INDEX listings_search_attraction_idx;
DROP INDEX listings_search_idx;
ALTER TABLE listings DROP COLUMN search, DROP COLUMN name_tsv, DROP COLUMN name_fold;
DROP FUNCTION catalog_fold(text);
