-- +goose Up
-- Indonesia's national holidays and cuti bersama (collective leave), one row
-- per date. The decreed years are loaded from a reference file at start
-- (missing dates only); staff add the years not decreed yet and correct the
-- rest. A date staff removed keeps its row with deleted_at, so the next
-- start does not put it back.
CREATE TABLE holidays (
    date       text PRIMARY KEY CHECK (length(date) = 10),
    kind       text NOT NULL CHECK (kind IN ('holiday', 'cuti_bersama')),
    name_id    text NOT NULL,
    name_en    text NOT NULL DEFAULT '',
    source     text NOT NULL DEFAULT '',
    created_at datetime NOT NULL,
    updated_at datetime NOT NULL,
    deleted_at datetime
);

-- +goose Down
DROP TABLE holidays;
