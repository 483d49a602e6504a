-- +goose Up
-- When a conductor checked the booking in; set once, by a conditional UPDATE.
ALTER TABLE transport_bookings ADD COLUMN boarded_at datetime;

-- +goose Down
ALTER TABLE transport_bookings DROP COLUMN boarded_at;
