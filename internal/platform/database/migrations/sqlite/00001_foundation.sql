-- +goose Up
CREATE TABLE users (
    id             text PRIMARY KEY,
    email          text     NOT NULL,
    password_hash  text     NOT NULL,
    name           text     NOT NULL,
    phone          text     NOT NULL DEFAULT '',
    preferred_lang text     NOT NULL DEFAULT 'id' CHECK (preferred_lang IN ('id', 'en')),
    role           text     NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'staff', 'admin')),
    department     text     CHECK (department IN ('tourism', 'transport', 'revenue', 'licensing')),
    disabled       boolean  NOT NULL DEFAULT false,
    created_at     datetime NOT NULL,
    updated_at     datetime NOT NULL,
    CONSTRAINT users_staff_has_department CHECK ((role = 'staff') = (department IS NOT NULL))
);
CREATE UNIQUE INDEX users_email_key ON users (email);
CREATE INDEX users_role_idx ON users (role, id);

-- One login is a family of refresh tokens; rotation adds to it, reuse revokes it.
CREATE TABLE refresh_tokens (
    id          text PRIMARY KEY,
    user_id     text     NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    family_id   text     NOT NULL,
    token_hash  blob     NOT NULL,
    expires_at  datetime NOT NULL,
    used_at     datetime,
    revoked_at  datetime,
    created_at  datetime NOT NULL
);
CREATE UNIQUE INDEX refresh_tokens_hash_key ON refresh_tokens (token_hash);
CREATE INDEX refresh_tokens_family_idx ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user_idx ON refresh_tokens (user_id);

CREATE TABLE audit_log (
    id          text PRIMARY KEY,
    actor_id    text,
    actor_email text     NOT NULL DEFAULT '',
    action      text     NOT NULL,
    entity      text     NOT NULL,
    entity_id   text     NOT NULL DEFAULT '',
    request_id  text     NOT NULL DEFAULT '',
    ip          text     NOT NULL DEFAULT '',
    details     text     NOT NULL DEFAULT '',
    at          datetime NOT NULL
);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id, id);

-- Demo seeders that have run, so a restart never seeds twice.
CREATE TABLE seed_runs (
    name   text PRIMARY KEY,
    ran_at datetime NOT NULL
);

-- +goose Down
DROP TABLE seed_runs;
DROP TABLE audit_log;
DROP TABLE refresh_tokens;
DROP TABLE users;
