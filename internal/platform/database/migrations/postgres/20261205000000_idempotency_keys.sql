-- +goose Up
-- Idempotency-Key: the first request with a key claims it (the primary key
-- guards the claim), the response is stored when it is done, and a repeat
-- with the same key and body is answered from here. status_code is 0 while
-- the first request is in flight. resource is set in the transaction that
-- makes the request's effect, so a retry after a crash between that commit
-- and storing the answer finds what was made instead of making it again.
CREATE TABLE idempotency_keys (
    user_id      uuid        NOT NULL,
    key          text        NOT NULL,
    request_hash bytea       NOT NULL,
    status_code  integer     NOT NULL DEFAULT 0,
    content_type text        NOT NULL DEFAULT '',
    resource     text        NOT NULL DEFAULT '',
    body         bytea,
    claimed_at   timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    PRIMARY KEY (user_id, key)
);
CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at);

-- +goose Down
DROP TABLE idempotency_keys;
