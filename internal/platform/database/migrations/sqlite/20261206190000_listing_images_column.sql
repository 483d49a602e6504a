-- +goose Up
-- The listing carries its images as the JSON a page renders (see the
-- PostgreSQL migration), kept by triggers on listing_images.
ALTER TABLE listings ADD COLUMN images text NOT NULL DEFAULT '[]';

-- +goose StatementBegin
CREATE TRIGGER listing_images_after_insert AFTER INSERT ON listing_images BEGIN
  UPDATE listings SET images = (SELECT json_group_array(json_array(i.id, i.storage_key, i.caption) ORDER BY i.position, i.id)
    FROM listing_images i WHERE i.listing_id = NEW.listing_id) WHERE id = NEW.listing_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER listing_images_after_update AFTER UPDATE ON listing_images BEGIN
  UPDATE listings SET images = (SELECT json_group_array(json_array(i.id, i.storage_key, i.caption) ORDER BY i.position, i.id)
    FROM listing_images i WHERE i.listing_id = OLD.listing_id) WHERE id = OLD.listing_id;
  UPDATE listings SET images = (SELECT json_group_array(json_array(i.id, i.storage_key, i.caption) ORDER BY i.position, i.id)
    FROM listing_images i WHERE i.listing_id = NEW.listing_id) WHERE id = NEW.listing_id AND NEW.listing_id <> OLD.listing_id;
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER listing_images_after_delete AFTER DELETE ON listing_images BEGIN
  UPDATE listings SET images = (SELECT json_group_array(json_array(i.id, i.storage_key, i.caption) ORDER BY i.position, i.id)
    FROM listing_images i WHERE i.listing_id = OLD.listing_id) WHERE id = OLD.listing_id;
END;
-- +goose StatementEnd

UPDATE listings SET images = (SELECT json_group_array(json_array(i.id, i.storage_key, i.caption) ORDER BY i.position, i.id)
  FROM listing_images i WHERE i.listing_id = listings.id) WHERE id IN (SELECT listing_id FROM listing_images);

-- +goose Down
DROP TRIGGER listing_images_after_delete;
DROP TRIGGER listing_images_after_update;
DROP TRIGGER listing_images_after_insert;
ALTER TABLE listings DROP COLUMN images;
