-- +goose Up
-- Weekly schedules of a route (GTFS calendar + calendar_dates): the days of
-- the week and departure times (Asia/Jakarta) it runs, between two dates,
-- what it does on national holidays, and dated exceptions. Trips are
-- generated from it for a date range; transport_trips.schedule_id points back.
-- weekdays, departures and exceptions are JSON arrays written by the service
-- after validation; dates are YYYY-MM-DD text, which sorts as dates.
CREATE TABLE transport_schedules (
    id                 uuid PRIMARY KEY,
    route_id           uuid NOT NULL REFERENCES transport_routes (id),
    weekdays           text NOT NULL DEFAULT '[]',
    departures         text NOT NULL,
    duration_min       integer NOT NULL CHECK (duration_min BETWEEN 1 AND 1440),
    capacity           integer NOT NULL CHECK (capacity > 0),
    fare_idr           bigint NOT NULL CHECK (fare_idr >= 0),
    valid_from         text NOT NULL,
    valid_until        text NOT NULL,
    holidays           text NOT NULL DEFAULT 'as_usual' CHECK (holidays IN ('as_usual', 'skip', 'add')),
    with_cuti_bersama  boolean NOT NULL DEFAULT false,
    exceptions         text NOT NULL DEFAULT '[]',
    min_passengers     integer NOT NULL DEFAULT 0 CHECK (min_passengers >= 0 AND min_passengers <= capacity),
    cutoff_days_before integer CHECK (cutoff_days_before BETWEEN 0 AND 30),
    cutoff_time        text,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    CHECK (valid_until >= valid_from)
);
CREATE INDEX transport_schedules_route_idx ON transport_schedules (route_id, id);

-- +goose Down
DROP TABLE transport_schedules;
