-- +goose Up
-- Transport: modes (with fares and hours), stops, routes through ordered
-- stops, dated trips with a seat counter, and bookings that take seats.
CREATE TABLE transport_modes (
    code            text PRIMARY KEY,
    name_id         text NOT NULL,
    name_en         text NOT NULL DEFAULT '',
    description_id  text NOT NULL DEFAULT '',
    description_en  text NOT NULL DEFAULT '',
    bookable        boolean NOT NULL DEFAULT false,
    fares           text NOT NULL DEFAULT '[]',
    operating_hours text NOT NULL DEFAULT '[]',
    created_at      datetime NOT NULL,
    updated_at      datetime NOT NULL
);

CREATE TABLE transport_stops (
    id         text PRIMARY KEY,
    name_id    text NOT NULL,
    name_en    text NOT NULL DEFAULT '',
    lat        real NOT NULL,
    lng        real NOT NULL,
    created_at datetime NOT NULL,
    updated_at datetime NOT NULL
);
CREATE INDEX transport_stops_lat_idx ON transport_stops (lat, lng);

CREATE TABLE transport_routes (
    id             text PRIMARY KEY,
    mode_code      text NOT NULL REFERENCES transport_modes (code),
    name_id        text NOT NULL,
    name_en        text NOT NULL DEFAULT '',
    description_id text NOT NULL DEFAULT '',
    description_en text NOT NULL DEFAULT '',
    path           text NOT NULL DEFAULT '',
    created_at     datetime NOT NULL,
    updated_at     datetime NOT NULL
);
CREATE INDEX transport_routes_mode_idx ON transport_routes (mode_code, id);

-- A loop may pass a stop twice, so the order, not the stop, is the key.
CREATE TABLE transport_route_stops (
    route_id text NOT NULL REFERENCES transport_routes (id) ON DELETE CASCADE,
    position integer NOT NULL,
    stop_id  text NOT NULL REFERENCES transport_stops (id),
    PRIMARY KEY (route_id, position)
);
CREATE INDEX transport_route_stops_stop_idx ON transport_route_stops (stop_id);

-- seats_available is the counter bookings take seats from with one
-- conditional UPDATE; the CHECKs make overselling impossible even by mistake.
CREATE TABLE transport_trips (
    id              text PRIMARY KEY,
    route_id        text NOT NULL REFERENCES transport_routes (id),
    departs_at      datetime NOT NULL,
    arrives_at      datetime NOT NULL,
    capacity        integer NOT NULL CHECK (capacity > 0),
    seats_available integer NOT NULL CHECK (seats_available >= 0 AND seats_available <= capacity),
    fare_idr        bigint NOT NULL CHECK (fare_idr >= 0),
    status          text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
    cancelled_at    datetime,
    created_at      datetime NOT NULL,
    updated_at      datetime NOT NULL,
    CHECK (arrives_at > departs_at)
);
CREATE INDEX transport_trips_route_idx ON transport_trips (route_id, departs_at, id);
CREATE INDEX transport_trips_departs_idx ON transport_trips (departs_at, id);

CREATE TABLE transport_bookings (
    id             text PRIMARY KEY,
    code           text NOT NULL,
    trip_id        text NOT NULL REFERENCES transport_trips (id),
    user_id        text NOT NULL REFERENCES users (id),
    seats          integer NOT NULL CHECK (seats BETWEEN 1 AND 10),
    passenger_name text NOT NULL,
    rider_category text NOT NULL DEFAULT '',
    total_idr      bigint NOT NULL CHECK (total_idr >= 0),
    status         text NOT NULL DEFAULT 'confirmed' CHECK (status IN ('confirmed', 'cancelled')),
    created_at     datetime NOT NULL,
    cancelled_at   datetime
);
CREATE UNIQUE INDEX transport_bookings_code_key ON transport_bookings (code);
CREATE INDEX transport_bookings_user_idx ON transport_bookings (user_id, id);
CREATE INDEX transport_bookings_trip_idx ON transport_bookings (trip_id, status);

-- +goose Down
DROP TABLE transport_bookings;
DROP TABLE transport_trips;
DROP TABLE transport_route_stops;
DROP TABLE transport_routes;
DROP TABLE transport_stops;
DROP TABLE transport_modes;
