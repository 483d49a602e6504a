-- +goose Up
-- A listing's row with its search vector (kept in the row since
-- 20261206150000) and both descriptions is about 2.4 kB, over the 2 kB at
-- which PostgreSQL moves values out of line, so the descriptions went to the
-- TOAST table: every rendered listing read its index and heap once more.
-- With the target at 4 kB such rows stay whole; longer descriptions are
-- still compressed, then moved out. The statement of a page of 20 by rating
-- ran 5 200 times a second before (pgbench, 10 000 per kind) and 8 900
-- after. Rows written before this keep their storage until next updated.
ALTER TABLE listings SET (toast_tuple_target = 4080);

-- +goose Down
ALTER TABLE listings RESET (toast_tuple_target);
