-- +goose Up
-- open_now within a radius: the spatial index hands out the listings of
-- the radius from its own pages, but whether each is open meant a probe
-- of listing_hours per listing. Near the old town's centre a 200 m radius
-- holds 2 000 attractions at a million per kind; late in the evening 4 %
-- of them are open, and the probes took most of the request (931 probes
-- of 6 µs for 37 open listings). open_week is the minutes of the week a
-- listing is open (0 = Sunday 00:00, Asia/Jakarta), computed from its
-- opening hours the way catalog.spans splits them, and the spatial
-- indexes carry it: "open now" is then checked on the index entry.
-- +goose StatementBegin
CREATE FUNCTION catalog_open_week(hours text) RETURNS int4multirange
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT COALESCE(range_agg(int4range(s.lo, s.hi)), '{}'::int4multirange)
    FROM jsonb_array_elements(CASE WHEN jsonb_typeof(hours::jsonb) = 'array' THEN hours::jsonb ELSE '[]'::jsonb END) h,
        LATERAL (SELECT (h->>'day')::int AS d,
                        split_part(h->>'open', ':', 1)::int * 60 + split_part(h->>'open', ':', 2)::int AS o,
                        split_part(h->>'close', ':', 1)::int * 60 + split_part(h->>'close', ':', 2)::int AS c) t,
        -- A span closing at or before its opening runs into the next day
        -- (Saturday's into Sunday's); an empty range adds nothing.
        LATERAL (VALUES (t.d * 1440 + t.o, t.d * 1440 + CASE WHEN t.c > t.o THEN t.c ELSE 1440 END),
                        (((t.d + 1) % 7) * 1440, ((t.d + 1) % 7) * 1440 + CASE WHEN t.c > t.o THEN 0 ELSE t.c END)) s(lo, hi)
$$;
-- +goose StatementEnd

ALTER TABLE listings ADD COLUMN open_week int4multirange
    GENERATED ALWAYS AS (catalog_open_week(opening_hours)) STORED;

DROP INDEX listings_geo_attraction_idx;
DROP INDEX listings_geo_culinary_idx;
DROP INDEX listings_geo_event_idx;
CREATE INDEX listings_geo_attraction_idx ON listings USING gist (point(lng, lat))
    INCLUDE (id, lat, lng, rating_avg, name_id, name_en, category, open_week) WHERE kind = 'attraction' AND status = 'published';
CREATE INDEX listings_geo_culinary_idx ON listings USING gist (point(lng, lat))
    INCLUDE (id, lat, lng, rating_avg, name_id, name_en, category, open_week) WHERE kind = 'culinary' AND status = 'published';
CREATE INDEX listings_geo_event_idx ON listings USING gist (point(lng, lat))
    INCLUDE (id, lat, lng, rating_avg, name_id, name_en, category, starts_at, ends_at, open_week) WHERE kind = 'event' AND status = 'published';
ANALYZE listings;

-- +goose Down
DROP INDEX listings_geo_attraction_idx;
DROP INDEX listings_geo_culinary_idx;
DROP INDEX listings_geo_event_idx;
ALTER TABLE listings DROP COLUMN open_week;
DROP FUNCTION catalog_open_week(text);
CREATE INDEX listings_geo_attraction_idx ON listings USING gist (point(lng, lat))
    INCLUDE (id, lat, lng, rating_avg, name_id, name_en, category) WHERE kind = 'attraction' AND status = 'published';
CREATE INDEX listings_geo_culinary_idx ON listings USING gist (point(lng, lat))
    INCLUDE (id, lat, lng, rating_avg, name_id, name_en, category) WHERE kind = 'culinary' AND status = 'published';
CREATE INDEX listings_geo_event_idx ON listings USING gist (point(lng, lat))
    INCLUDE (id, lat, lng, rating_avg, name_id, name_en, category, starts_at, ends_at) WHERE kind = 'event' AND status = 'published';
