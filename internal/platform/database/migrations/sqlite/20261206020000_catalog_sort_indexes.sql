-- +goose Up
-- A category listed by name walks one of these instead of the name index
-- of the whole kind, filtering out the other categories.
CREATE INDEX listings_category_name_id_idx ON listings (kind, status, category, lower(name_id), id);
CREATE INDEX listings_category_name_en_idx ON listings (kind, status, category, lower(CASE WHEN name_en <> '' THEN name_en ELSE name_id END), id);

-- +goose Down
DROP INDEX listings_category_name_en_idx;
DROP INDEX listings_category_name_id_idx;
