-- +goose Up
-- Local tax: citizen profiles (a user's NIK, checked by revenue staff), tax
-- objects by NOP, and bills. A NIK is never stored in the clear: each one is
-- an AES-GCM ciphertext, a keyed HMAC-SHA256 blind index for equality
-- lookups (a profile matches the objects it owns by it) and the masked form
-- staff screens show.
CREATE TABLE citizen_profiles (
    user_id       text PRIMARY KEY REFERENCES users (id),
    nik_cipher    text        NOT NULL,
    nik_index     text        NOT NULL,
    nik_masked    text        NOT NULL,
    full_name     text        NOT NULL,
    birth_date    text        NOT NULL, -- YYYY-MM-DD
    status        text        NOT NULL CHECK (status IN ('pending', 'verified', 'rejected')),
    reject_reason text        NOT NULL DEFAULT '',
    submitted_at  datetime    NOT NULL,
    reviewed_at   datetime,
    reviewed_by   text REFERENCES users (id),
    created_at    datetime    NOT NULL,
    updated_at    datetime    NOT NULL
);
-- One person, one verified account: a second account cannot claim a NIK
-- already verified for someone.
CREATE UNIQUE INDEX citizen_profiles_verified_nik_idx ON citizen_profiles (nik_index) WHERE status = 'verified';
CREATE INDEX citizen_profiles_queue_idx ON citizen_profiles (status, submitted_at, user_id);

CREATE TABLE tax_objects (
    id              text PRIMARY KEY,
    nop             text        NOT NULL UNIQUE CHECK (length(nop) = 18),
    tax_type        text        NOT NULL CHECK (tax_type IN ('pbb', 'pbjt_restoran', 'pbjt_hotel', 'reklame', 'parkir', 'hiburan')),
    address         text        NOT NULL,
    owner_name      text        NOT NULL,
    owner_nik_cipher text       NOT NULL,
    owner_nik_index text        NOT NULL,
    owner_nik_masked text       NOT NULL,
    created_at      datetime    NOT NULL,
    updated_at      datetime    NOT NULL
);
-- A verified profile's objects are those whose owner_nik_index equals its
-- nik_index: the link holds for objects created or changed later too.
CREATE INDEX tax_objects_owner_idx ON tax_objects (owner_nik_index, id);

-- status moves unpaid → paid through one conditional UPDATE (MarkPaid);
-- pending and cancelled are reserved by the contract.
CREATE TABLE tax_bills (
    id            text PRIMARY KEY,
    object_id     text        NOT NULL REFERENCES tax_objects (id),
    period        text        NOT NULL,
    year          integer     NOT NULL,
    principal_idr bigint      NOT NULL CHECK (principal_idr > 0),
    due_date      text        NOT NULL, -- YYYY-MM-DD
    status        text        NOT NULL DEFAULT 'unpaid' CHECK (status IN ('unpaid', 'pending', 'paid', 'cancelled')),
    payment_id    text,
    paid_at       datetime,
    created_at    datetime    NOT NULL,
    updated_at    datetime    NOT NULL,
    UNIQUE (object_id, period)
);
CREATE INDEX tax_bills_object_idx ON tax_bills (object_id, year, id);

-- +goose Down
DROP TABLE tax_bills;
DROP TABLE tax_objects;
DROP TABLE citizen_profiles;
