-- +goose Up
-- listing_tags carries the kind of its listing, so that a tag filter finds
-- the kind's listings of a tag through (tag, kind, listing_id) alone. SQLite
-- adds a NOT NULL column only with a default, which would let a writer
-- forget the kind: the table is rebuilt instead.
CREATE TABLE listing_tags_new (
    listing_id text NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    tag        text NOT NULL,
    kind       text NOT NULL,
    PRIMARY KEY (listing_id, tag)
);
INSERT INTO listing_tags_new (listing_id, tag, kind)
SELECT t.listing_id, t.tag, l.kind FROM listing_tags t JOIN listings l ON l.id = t.listing_id;
DROP TABLE listing_tags;
ALTER TABLE listing_tags_new RENAME TO listing_tags;
CREATE INDEX listing_tags_tag_kind_idx ON listing_tags (tag, kind, listing_id);

-- +goose Down
CREATE TABLE listing_tags_old (
    listing_id text NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    tag        text NOT NULL,
    PRIMARY KEY (listing_id, tag)
);
INSERT INTO listing_tags_old (listing_id, tag) SELECT listing_id, tag FROM listing_tags;
DROP TABLE listing_tags;
ALTER TABLE listing_tags_old RENAME TO listing_tags;
CREATE INDEX listing_tags_tag_idx ON listing_tags (tag, listing_id);
