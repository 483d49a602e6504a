-- +goose Up
-- In-app messages to one user, written in the transaction of the event that
-- causes them. dedupe_key, when set, makes a message at most once per user.
CREATE TABLE notifications (
    id         text PRIMARY KEY,
    user_id    text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind       text NOT NULL,
    title_id   text NOT NULL,
    title_en   text NOT NULL DEFAULT '',
    body_id    text NOT NULL DEFAULT '',
    body_en    text NOT NULL DEFAULT '',
    entity     text NOT NULL DEFAULT '',
    entity_id  text NOT NULL DEFAULT '',
    dedupe_key text,
    created_at datetime NOT NULL,
    read_at    datetime
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id);
CREATE INDEX notifications_unread_idx ON notifications (user_id, id) WHERE read_at IS NULL;
CREATE UNIQUE INDEX notifications_dedupe_key ON notifications (user_id, dedupe_key) WHERE dedupe_key IS NOT NULL;

-- +goose Down
DROP TABLE notifications;
