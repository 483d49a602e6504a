-- +goose Up
-- Payments, domain-neutral: a payment pays one subject (a tax bill today; a
-- booking could be next) identified by (subject_kind, subject_id). Money
-- rules live in the indexes as well as in the code: at most one pending and
-- at most one paid payment per subject, one receipt per subject, and a
-- gateway event is applied once.
CREATE TABLE payment_subjects (
    -- One row per subject, locked (upserted) first by every transaction that
    -- starts or settles a payment of it, so they run one after another.
    subject_kind text        NOT NULL,
    subject_id   uuid        NOT NULL,
    touched_at   timestamptz NOT NULL,
    PRIMARY KEY (subject_kind, subject_id)
);

CREATE TABLE payments (
    id           uuid PRIMARY KEY,
    subject_kind text        NOT NULL,
    subject_id   uuid        NOT NULL,
    payer_id     uuid        NOT NULL REFERENCES users (id),
    provider     text        NOT NULL,
    channel      text        NOT NULL,
    status       text        NOT NULL CHECK (status IN ('pending', 'paid', 'failed', 'expired', 'refund_due')),
    amount_idr   bigint      NOT NULL CHECK (amount_idr > 0),
    reference    text        NOT NULL,
    -- What the public receipt check may show of the reference (a masked NOP).
    reference_masked text    NOT NULL,
    period       text        NOT NULL,
    va_number    text        NOT NULL DEFAULT '',
    qr_string    text        NOT NULL DEFAULT '',
    checkout_url text        NOT NULL DEFAULT '',
    expires_at   timestamptz NOT NULL,
    paid_at      timestamptz,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL
);
CREATE UNIQUE INDEX payments_one_pending_idx ON payments (subject_kind, subject_id) WHERE status = 'pending';
CREATE UNIQUE INDEX payments_one_paid_idx ON payments (subject_kind, subject_id) WHERE status = 'paid';
CREATE INDEX payments_payer_idx ON payments (payer_id, id);
-- Revenue staff's overview by status (refunds due), newest first.
CREATE INDEX payments_status_idx ON payments (status, id);
CREATE INDEX payments_expiry_idx ON payments (expires_at) WHERE status = 'pending';

-- Every signed notification a gateway sent, once: a redelivery is a no-op.
CREATE TABLE payment_events (
    provider    text        NOT NULL,
    event_id    text        NOT NULL,
    payment_id  uuid        NOT NULL REFERENCES payments (id),
    status      text        NOT NULL,
    amount_idr  bigint      NOT NULL,
    outcome     text        NOT NULL DEFAULT '',
    received_at timestamptz NOT NULL,
    PRIMARY KEY (provider, event_id)
);

CREATE TABLE payment_receipts (
    payment_id   uuid PRIMARY KEY REFERENCES payments (id),
    subject_kind text        NOT NULL,
    subject_id   uuid        NOT NULL,
    ntpd         text        NOT NULL UNIQUE CHECK (length(ntpd) = 20),
    amount_idr   bigint      NOT NULL,
    channel      text        NOT NULL,
    reference    text        NOT NULL,
    reference_masked text    NOT NULL,
    period       text        NOT NULL,
    paid_at      timestamptz NOT NULL,
    created_at   timestamptz NOT NULL,
    UNIQUE (subject_kind, subject_id)
);

-- +goose Down
DROP TABLE payment_receipts;
DROP TABLE payment_events;
DROP TABLE payments;
DROP TABLE payment_subjects;
