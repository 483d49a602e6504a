-- +goose Up
-- Search, suggestions and the read paths of the catalog. Triggers keep the
-- search tables in step with listings, so rows written by any means are
-- found.

-- FTS rows need a stable integer key. The implicit rowid of listings is not
-- one (VACUUM may renumber it, as listings has no INTEGER PRIMARY KEY), so a
-- trigger hands out search_rowid once per listing.
ALTER TABLE listings ADD COLUMN search_rowid INTEGER;
CREATE UNIQUE INDEX listings_search_rowid_key ON listings (search_rowid);

-- Words of both names, tags and descriptions; accents and case folded.
CREATE VIRTUAL TABLE listings_fts USING fts5(name, tags, description, tokenize = 'unicode61 remove_diacritics 2');
-- Trigrams of both names, for typo-tolerant suggestions.
CREATE VIRTUAL TABLE listings_trigram USING fts5(name, tokenize = 'trigram remove_diacritics 1');

-- +goose StatementBegin
CREATE TRIGGER listings_search_key AFTER INSERT ON listings WHEN new.search_rowid IS NULL
BEGIN
    UPDATE listings SET search_rowid = (SELECT coalesce(max(search_rowid), 0) + 1 FROM listings)
    WHERE id = new.id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER listings_search_insert AFTER INSERT ON listings WHEN new.search_rowid IS NOT NULL
BEGIN
    INSERT INTO listings_fts (rowid, name, tags, description) VALUES (
        new.search_rowid, new.name_id || ' ' || new.name_en,
        replace(replace(replace(replace(new.tags, '[', ' '), ']', ' '), '"', ' '), '_', ' '),
        new.description_id || ' ' || new.description_en);
    INSERT INTO listings_trigram (rowid, name) VALUES (new.search_rowid, new.name_id || ' ' || new.name_en);
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER listings_search_update
AFTER UPDATE OF search_rowid, name_id, name_en, tags, description_id, description_en ON listings
BEGIN
    DELETE FROM listings_fts WHERE rowid = old.search_rowid;
    DELETE FROM listings_trigram WHERE rowid = old.search_rowid;
    INSERT INTO listings_fts (rowid, name, tags, description)
    SELECT new.search_rowid, new.name_id || ' ' || new.name_en,
        replace(replace(replace(replace(new.tags, '[', ' '), ']', ' '), '"', ' '), '_', ' '),
        new.description_id || ' ' || new.description_en
    WHERE new.search_rowid IS NOT NULL;
    INSERT INTO listings_trigram (rowid, name)
    SELECT new.search_rowid, new.name_id || ' ' || new.name_en
    WHERE new.search_rowid IS NOT NULL;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER listings_search_delete AFTER DELETE ON listings
BEGIN
    DELETE FROM listings_fts WHERE rowid = old.search_rowid;
    DELETE FROM listings_trigram WHERE rowid = old.search_rowid;
END;
-- +goose StatementEnd

-- List orders and filters of the public endpoints (kind and status are
-- literals in the queries, so these indexes match).
CREATE INDEX listings_rating_idx ON listings (kind, status, rating_avg DESC, id DESC);
CREATE INDEX listings_category_rating_idx ON listings (kind, status, category, rating_avg DESC, id DESC);
CREATE INDEX listings_category_newest_idx ON listings (kind, status, category, id DESC);
CREATE INDEX listings_name_id_idx ON listings (kind, status, lower(name_id), id);
CREATE INDEX listings_name_en_idx ON listings (kind, status, lower(CASE WHEN name_en <> '' THEN name_en ELSE name_id END), id);
CREATE INDEX listings_event_start_idx ON listings (kind, status, starts_at, id);
-- Nearby: a latitude band narrows the candidates before the exact distance.
CREATE INDEX listings_geo_idx ON listings (kind, status, lat, lng);

-- +goose Down
DROP INDEX listings_geo_idx;
DROP INDEX listings_event_start_idx;
DROP INDEX listings_name_en_idx;
DROP INDEX listings_name_id_idx;
DROP INDEX listings_category_newest_idx;
DROP INDEX listings_category_rating_idx;
DROP INDEX listings_rating_idx;
DROP TRIGGER listings_search_delete;
DROP TRIGGER listings_search_update;
DROP TRIGGER listings_search_insert;
DROP TRIGGER listings_search_key;
DROP TABLE listings_trigram;
DROP TABLE listings_fts;
DROP INDEX listings_search_rowid_key;
ALTER TABLE listings DROP COLUMN search_rowid;
