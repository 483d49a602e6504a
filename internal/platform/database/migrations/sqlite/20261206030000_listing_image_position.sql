-- +goose Up
-- Images are shown by position, and reordering sets positions 0, 1, 2, … in
-- the order sent. Earlier uploads could share a position (two at once); give
-- every listing's images distinct positions from 0 in the order they are
-- shown today (position, then id).
UPDATE listing_images SET position = r.n
FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY listing_id ORDER BY position, id) - 1 AS n FROM listing_images) r
WHERE listing_images.id = r.id AND listing_images.position <> r.n;

-- +goose Down
SELECT 1;
