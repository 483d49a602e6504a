package image

import (
	"context"
	"fmt"
	"log/slog"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/audit"
	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/httpcache"
	"github.com/solodestination/api/internal/platform/storage"
)

// Service is the listing image use cases. Files and rows cannot share a
// transaction, so the order is chosen to leave at worst an unreferenced file,
// never a row without its file.
type Service struct {
	db    *database.DB
	files storage.Storage
	log   *slog.Logger
	now   func() time.Time
	cache *httpcache.Cache // public catalog responses that show images
}

// NewService returns the image service storing files in files.
func NewService(db *database.DB, files storage.Storage, log *slog.Logger, cache *httpcache.Cache) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{db: db, files: files, log: log, cache: cache, now: func() time.Time { return time.Now().UTC() }}
}

// Upload is an image as sent.
type Upload struct {
	Data    []byte
	Caption string
}

func mayManage(who identity.Actor) error {
	if who.Anonymous() {
		return apperr.Unauthorized("Log in as tourism staff to manage listing images.")
	}
	if !who.IsStaffOf(identity.DeptTourism) {
		return apperr.Denied("Only tourism staff and admins manage listing images.")
	}
	return nil
}

// Add stores an image of a listing (any status) and records it. The image is
// checked and re-encoded by the shared upload path (storage.PutImage), so what
// is stored and served is only pixels, upright, in the format its key names.
// The file is written first; if the row cannot be written it is removed again.
func (s *Service) Add(ctx context.Context, who identity.Actor, k kind.Kind, ref string, up Upload) (Image, error) {
	if err := mayManage(who); err != nil {
		return Image{}, err
	}
	if utf8.RuneCountInString(up.Caption) > MaxCaptionLen {
		return Image{}, apperr.FieldInvalid("caption", fmt.Sprintf("must be at most %d characters", MaxCaptionLen))
	}
	if len(up.Data) == 0 {
		return Image{}, apperr.FieldInvalid("file", "is empty")
	}
	if len(up.Data) > MaxBytes {
		return Image{}, storage.FileTooLarge(MaxBytes)
	}
	listingID, err := store{s.db.DB}.listing(ctx, k, ref)
	if err != nil {
		return Image{}, err
	}
	id := uuid.Must(uuid.NewV7())
	stored, err := storage.PutImage(ctx, s.files, fmt.Sprintf("listings/%s/%s", listingID, id), up.Data, storage.DefaultImageLimits)
	if err != nil {
		return Image{}, fmt.Errorf("store image file: %w", err)
	}
	row := imageRow{ID: id, ListingID: listingID, StorageKey: stored.Key, Caption: up.Caption,
		ContentType: stored.Format.ContentType, SizeBytes: stored.Size, CreatedAt: s.now()}
	err = s.db.InTx(ctx, func(tx *gorm.DB) error {
		// Under the listing's lock, so concurrent uploads cannot pass the
		// limit together.
		if _, err := (store{tx}).lockListing(ctx, k, listingID.String()); err != nil {
			return err
		}
		var held int64
		if err := tx.WithContext(ctx).Model(&imageRow{}).Where("listing_id = ?", listingID).Count(&held).Error; err != nil {
			return fmt.Errorf("count images: %w", err)
		}
		if held >= MaxPerListing {
			return apperr.StateConflict("image_limit", fmt.Sprintf("A listing holds at most %d images; delete one first.", MaxPerListing))
		}
		if err := (store{tx}).insert(ctx, &row); err != nil {
			return err
		}
		database.AfterCommit(tx, s.cache.Invalidate)
		return audit.Record(ctx, tx, "listing_image.create", "listing_image", id.String(), map[string]any{
			"listing_id": listingID, "kind": k, "key": row.StorageKey, "content_type": row.ContentType, "size_bytes": row.SizeBytes,
			"width": stored.Width, "height": stored.Height})
	})
	if err != nil {
		// The request may be gone; the cleanup must still run.
		if derr := s.files.Delete(context.WithoutCancel(ctx), row.StorageKey); derr != nil {
			s.log.Error("orphaned image file", "key", row.StorageKey, "err", derr)
		}
		return Image{}, fmt.Errorf("add image to %s: %w", listingID, err)
	}
	return row.toDomain(), nil
}

// Remove deletes an image of a listing: the row (audited) first, then the
// file. A file that cannot be deleted is only logged: it is unreachable from
// the catalog, and the row, which is what clients see, is gone.
func (s *Service) Remove(ctx context.Context, who identity.Actor, k kind.Kind, ref string, id uuid.UUID) error {
	if err := mayManage(who); err != nil {
		return err
	}
	var key string
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		st := store{tx}
		listingID, err := st.listing(ctx, k, ref)
		if err != nil {
			return err
		}
		row, err := st.imageOf(ctx, listingID, id)
		if err != nil {
			return err
		}
		key = row.StorageKey
		if err := st.delete(ctx, id); err != nil {
			return err
		}
		database.AfterCommit(tx, s.cache.Invalidate)
		return audit.Record(ctx, tx, "listing_image.delete", "listing_image", id.String(),
			map[string]any{"listing_id": listingID, "kind": k, "key": row.StorageKey})
	})
	if err != nil {
		return fmt.Errorf("remove image %s: %w", id, err)
	}
	if err := s.files.Delete(context.WithoutCancel(ctx), key); err != nil {
		s.log.Error("image file left behind", "key", key, "err", err)
	}
	return nil
}

// Reorder puts the images of a listing in the order of ids, which must name
// each of its images exactly once. The listing row is locked first, so two
// reorders (or a reorder and an upload) run one after the other and the
// result is always one submitted order, never a mix. It returns the images
// in their new order.
func (s *Service) Reorder(ctx context.Context, who identity.Actor, k kind.Kind, ref string, ids []uuid.UUID) ([]Image, error) {
	if err := mayManage(who); err != nil {
		return nil, err
	}
	if len(ids) > MaxOrderIDs {
		return nil, apperr.FieldInvalid("ids", fmt.Sprintf("must list at most %d images", MaxOrderIDs))
	}
	var out []Image
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		st := store{tx}
		listingID, err := st.lockListing(ctx, k, ref)
		if err != nil {
			return err
		}
		rows, err := st.imagesOf(ctx, listingID)
		if err != nil {
			return err
		}
		if err := checkPermutation(ids, rows); err != nil {
			return err
		}
		byID := make(map[uuid.UUID]imageRow, len(rows))
		for _, r := range rows {
			byID[r.ID] = r
		}
		out = make([]Image, len(ids))
		for i, id := range ids {
			r := byID[id]
			if r.Position != i {
				if err := st.setPosition(ctx, id, i); err != nil {
					return err
				}
				r.Position = i
			}
			out[i] = r.toDomain()
		}
		database.AfterCommit(tx, s.cache.Invalidate)
		return audit.Record(ctx, tx, "listing_image.reorder", "listing", listingID.String(),
			map[string]any{"kind": k, "ids": ids})
	})
	if err != nil {
		return nil, fmt.Errorf("reorder images of %s %s: %w", k, ref, err)
	}
	return out, nil
}

// checkPermutation refuses ids unless they name each image of rows exactly once.
func checkPermutation(ids []uuid.UUID, rows []imageRow) error {
	have := make(map[uuid.UUID]bool, len(rows))
	for _, r := range rows {
		have[r.ID] = true
	}
	seen := make(map[uuid.UUID]bool, len(ids))
	for _, id := range ids {
		switch {
		case !have[id]:
			return apperr.FieldInvalid("ids", fmt.Sprintf("%s is not an image of this listing", id))
		case seen[id]:
			return apperr.FieldInvalid("ids", fmt.Sprintf("%s is listed more than once", id))
		}
		seen[id] = true
	}
	if len(ids) != len(rows) {
		return apperr.FieldInvalid("ids", fmt.Sprintf("must list all %d images of the listing, each once; %d are missing", len(rows), len(rows)-len(ids)))
	}
	return nil
}
