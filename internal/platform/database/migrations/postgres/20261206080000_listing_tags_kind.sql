-- +goose Up
-- A tag filter lists one kind, but listing_tags had no kind: collecting the
-- attractions of a tag read every listing of the tag in every kind (an
-- event-only tag: every event of it, to find no attraction). With the kind
-- in the row, (tag, kind, listing_id) hands out exactly the kind's listings
-- of a tag, index-only, and an absent tag is one index probe.
ALTER TABLE listing_tags ADD COLUMN kind text;
UPDATE listing_tags t SET kind = l.kind FROM listings l WHERE l.id = t.listing_id;
ALTER TABLE listing_tags ALTER COLUMN kind SET NOT NULL;
CREATE INDEX listing_tags_tag_kind_idx ON listing_tags (tag, kind, listing_id);
-- Every read of the tag names the kind; the primary key serves the probe by listing.
DROP INDEX listing_tags_tag_idx;

-- The longest span of a published event, read as the first entry of this
-- index: an event that ends after a date D started after D minus that span,
-- a bound the start index can walk from (catalog.store.startFloor).
CREATE INDEX listings_event_span_idx ON listings ((ends_at - starts_at)) WHERE kind = 'event' AND status = 'published';

-- +goose Down
DROP INDEX listings_event_span_idx;
CREATE INDEX listing_tags_tag_idx ON listing_tags (tag, listing_id);
DROP INDEX listing_tags_tag_kind_idx;
ALTER TABLE listing_tags DROP COLUMN kind;
