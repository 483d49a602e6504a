-- +goose Up
-- A page of listings read each listing's images with two subqueries per
-- row (an EXISTS probe, then the aggregate): a third of PostgreSQL's time
-- for a page of 20. The listing now carries its images as the JSON the page
-- renders, [[id, storage_key, caption], …] in display order, kept by
-- triggers on listing_images whatever writes them.
ALTER TABLE listings ADD COLUMN images text NOT NULL DEFAULT '[]';

-- +goose StatementBegin
CREATE FUNCTION listing_images_json(listing uuid) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT COALESCE(json_agg(json_build_array(i.id, i.storage_key, i.caption) ORDER BY i.position, i.id)::text, '[]')
  FROM listing_images i WHERE i.listing_id = listing
$$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION listing_images_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    UPDATE listings SET images = listing_images_json(OLD.listing_id) WHERE id = OLD.listing_id;
  END IF;
  IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.listing_id <> OLD.listing_id) THEN
    UPDATE listings SET images = listing_images_json(NEW.listing_id) WHERE id = NEW.listing_id;
  END IF;
  RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER listing_images_sync AFTER INSERT OR UPDATE OR DELETE ON listing_images
  FOR EACH ROW EXECUTE FUNCTION listing_images_sync();

UPDATE listings SET images = listing_images_json(id) WHERE id IN (SELECT listing_id FROM listing_images);

-- +goose Down
DROP TRIGGER listing_images_sync ON listing_images;
DROP FUNCTION listing_images_sync();
DROP FUNCTION listing_images_json(uuid);
ALTER TABLE listings DROP COLUMN images;
