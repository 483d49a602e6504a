-- +goose Up
-- Permits: types whose every change is a new version (an application keeps
-- the version it was made under), applications with their history and
-- documents, and the counters tracking and permit numbers come from.
CREATE TABLE permit_types (
    code            text PRIMARY KEY,
    current_version integer  NOT NULL,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);

CREATE TABLE permit_type_versions (
    id              uuid PRIMARY KEY,
    type_code       text     NOT NULL REFERENCES permit_types (code),
    version         integer  NOT NULL CHECK (version > 0),
    definition      text     NOT NULL, -- JSON: names, fields, documents, rules
    department      text     NOT NULL,
    sla_days        integer  NOT NULL CHECK (sla_days > 0),
    created_by      uuid REFERENCES users (id),
    created_at      timestamptz NOT NULL,
    UNIQUE (type_code, version)
);

-- status moves only through conditional UPDATEs (… WHERE status = from).
-- sla_used_days are the working days the clock ran before a revision
-- paused it; sla_started_at is when the running stretch began.
CREATE TABLE permit_applications (
    id              uuid PRIMARY KEY,
    user_id         uuid     NOT NULL REFERENCES users (id),
    type_code       text     NOT NULL REFERENCES permit_types (code),
    type_version_id uuid     NOT NULL REFERENCES permit_type_versions (id),
    status          text     NOT NULL CHECK (status IN ('draft', 'submitted', 'in_review', 'needs_revision', 'approved', 'rejected')),
    data            text     NOT NULL,
    tracking_number text UNIQUE,
    permit_number   text UNIQUE,
    valid_until     date,
    submitted_at    timestamptz,
    sla_started_at  timestamptz,
    sla_used_days   integer  NOT NULL DEFAULT 0,
    sla_due_at      timestamptz,
    decided_at      timestamptz,
    letter_key      text,
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL
);
CREATE INDEX permit_applications_user_idx ON permit_applications (user_id, id);
-- The licensing queue: by status, oldest submission first or most urgent first.
CREATE INDEX permit_applications_queue_idx ON permit_applications (status, submitted_at, id);
CREATE INDEX permit_applications_sla_idx ON permit_applications (status, sla_due_at, id);

CREATE TABLE permit_history (
    id             uuid PRIMARY KEY,
    application_id uuid     NOT NULL REFERENCES permit_applications (id),
    from_status    text     NOT NULL,
    to_status      text     NOT NULL,
    actor_id       uuid REFERENCES users (id),
    actor_role     text     NOT NULL CHECK (actor_role IN ('applicant', 'licensing')),
    note           text     NOT NULL DEFAULT '',
    at             timestamptz NOT NULL
);
CREATE INDEX permit_history_application_idx ON permit_history (application_id, at, id);

CREATE TABLE permit_documents (
    id             uuid PRIMARY KEY,
    application_id uuid     NOT NULL REFERENCES permit_applications (id),
    code           text     NOT NULL,
    filename       text     NOT NULL,
    content_type   text     NOT NULL,
    size           bigint   NOT NULL,
    sha256         text     NOT NULL,
    storage_key    text     NOT NULL UNIQUE,
    uploaded_by    uuid     NOT NULL REFERENCES users (id),
    uploaded_at    timestamptz NOT NULL,
    superseded_at  timestamptz
);
-- One current document per code and application.
CREATE UNIQUE INDEX permit_documents_current_idx ON permit_documents (application_id, code) WHERE superseded_at IS NULL;
CREATE INDEX permit_documents_application_idx ON permit_documents (application_id, uploaded_at, id);

-- One row per kind and year: an upsert that adds one and returns the value
-- is the next number, in the caller's transaction.
CREATE TABLE permit_counters (
    kind  text    NOT NULL,
    year  integer NOT NULL,
    value bigint  NOT NULL,
    PRIMARY KEY (kind, year)
);

-- +goose Down
DROP TABLE permit_counters;
DROP TABLE permit_documents;
DROP TABLE permit_history;
DROP TABLE permit_applications;
DROP TABLE permit_type_versions;
DROP TABLE permit_types;
