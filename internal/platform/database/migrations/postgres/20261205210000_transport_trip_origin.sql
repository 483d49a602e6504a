-- +goose Up
-- A trip generated from a weekly schedule remembers it (one trip per schedule
-- and departure, so generating twice creates nothing new) and carries the
-- schedule's minimum ridership with the confirmation cutoff computed for its
-- date. A trip with no confirm_by runs as created.
ALTER TABLE transport_trips ADD COLUMN schedule_id uuid;
ALTER TABLE transport_trips ADD COLUMN min_passengers integer NOT NULL DEFAULT 0 CHECK (min_passengers >= 0);
ALTER TABLE transport_trips ADD COLUMN confirm_by timestamptz;
ALTER TABLE transport_trips ADD COLUMN confirmed_at timestamptz;
ALTER TABLE transport_trips ADD COLUMN cancel_reason text NOT NULL DEFAULT '';
CREATE UNIQUE INDEX transport_trips_schedule_departure_idx ON transport_trips (schedule_id, departs_at);
-- The ridership job's queue: trips still waiting for their cutoff.
CREATE INDEX transport_trips_pending_confirmation_idx ON transport_trips (confirm_by)
    WHERE confirmed_at IS NULL AND status = 'scheduled' AND confirm_by IS NOT NULL;

-- +goose Down
DROP INDEX transport_trips_pending_confirmation_idx;
DROP INDEX transport_trips_schedule_departure_idx;
ALTER TABLE transport_trips DROP COLUMN cancel_reason;
ALTER TABLE transport_trips DROP COLUMN confirmed_at;
ALTER TABLE transport_trips DROP COLUMN confirm_by;
ALTER TABLE transport_trips DROP COLUMN min_passengers;
ALTER TABLE transport_trips DROP COLUMN schedule_id;
