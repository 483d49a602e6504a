-- +goose Up
-- A login (refresh token family) ends a fixed time after it started, however
-- often it is refreshed: every token of a family carries the family's start.
-- SQLite cannot add a NOT NULL column without a default; the epoch makes a
-- row that somehow lacks a start count as long expired.
ALTER TABLE refresh_tokens ADD COLUMN family_started_at datetime NOT NULL DEFAULT '1970-01-01 00:00:00+00:00';
UPDATE refresh_tokens SET family_started_at =
    (SELECT MIN(f.created_at) FROM refresh_tokens f WHERE f.family_id = refresh_tokens.family_id);
-- Expired and long-revoked tokens are pruned in small batches.
CREATE INDEX refresh_tokens_expires_idx ON refresh_tokens (expires_at);
CREATE INDEX refresh_tokens_revoked_idx ON refresh_tokens (revoked_at) WHERE revoked_at IS NOT NULL;

-- +goose Down
DROP INDEX refresh_tokens_revoked_idx;
DROP INDEX refresh_tokens_expires_idx;
ALTER TABLE refresh_tokens DROP COLUMN family_started_at;
