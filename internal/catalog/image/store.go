package image

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/solodestination/api/internal/catalog/kind"
	"github.com/solodestination/api/internal/catalog/ref"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
)

type imageRow struct {
	ID          uuid.UUID `gorm:"primaryKey"`
	ListingID   uuid.UUID
	StorageKey  string
	Caption     string
	ContentType string
	SizeBytes   int64
	Position    int
	CreatedAt   time.Time
}

func (imageRow) TableName() string { return "listing_images" }

func (r imageRow) toDomain() Image {
	return Image{ID: r.ID, ListingID: r.ListingID, Key: r.StorageKey, Caption: r.Caption,
		ContentType: r.ContentType, Size: r.SizeBytes, Position: r.Position, CreatedAt: r.CreatedAt}
}

// store runs image queries on a handle that may be a transaction.
type store struct{ db *gorm.DB }

// listing resolves a listing of kind k by id or slug (in any status: staff prepare drafts with photos before publishing them).
func (s store) listing(ctx context.Context, k kind.Kind, r string) (uuid.UUID, error) {
	return ref.Listing(ctx, s.db, k, r, ref.AnyStatus)
}

// insert appends an image after the listing's others.
func (s store) insert(ctx context.Context, r *imageRow) error {
	var next struct{ N int }
	err := s.db.WithContext(ctx).Table("listing_images").Select("COALESCE(MAX(position), -1) + 1 AS n").
		Where("listing_id = ?", r.ListingID).Take(&next).Error
	if err != nil {
		return fmt.Errorf("next image position: %w", err)
	}
	r.Position = next.N
	if err := s.db.WithContext(ctx).Create(r).Error; err != nil {
		return fmt.Errorf("insert image: %w", err)
	}
	return nil
}

// imageOf loads an image of one listing; an image of another listing is missing.
func (s store) imageOf(ctx context.Context, listingID, id uuid.UUID) (imageRow, error) {
	var r imageRow
	err := s.db.WithContext(ctx).Where("id = ? AND listing_id = ?", id, listingID).Take(&r).Error
	if database.IsNotFound(err) {
		return r, apperr.Missing("image", id)
	}
	if err != nil {
		return r, fmt.Errorf("load image: %w", err)
	}
	return r, nil
}

func (s store) delete(ctx context.Context, id uuid.UUID) error {
	if err := s.db.WithContext(ctx).Where("id = ?", id).Delete(&imageRow{}).Error; err != nil {
		return fmt.Errorf("delete image: %w", err)
	}
	return nil
}

// lockListing resolves a listing like listing and, on PostgreSQL, locks its
// row until the transaction ends, so changes to the order of its images
// run one after another. SQLite runs one writer at a time anyway.
func (s store) lockListing(ctx context.Context, k kind.Kind, r string) (uuid.UUID, error) {
	id, err := s.listing(ctx, k, r)
	if err != nil || s.db.Dialector.Name() != "postgres" {
		return id, err
	}
	var row struct{ ID uuid.UUID }
	err = s.db.WithContext(ctx).Table("listings").Select("id").Where("id = ?", id).
		Clauses(clause.Locking{Strength: "UPDATE"}).Take(&row).Error
	if database.IsNotFound(err) {
		return uuid.Nil, apperr.Missing(string(k), r)
	}
	if err != nil {
		return uuid.Nil, fmt.Errorf("lock listing: %w", err)
	}
	return id, nil
}

// imagesOf returns the images of a listing in display order.
func (s store) imagesOf(ctx context.Context, listingID uuid.UUID) ([]imageRow, error) {
	var rows []imageRow
	err := s.db.WithContext(ctx).Where("listing_id = ?", listingID).Order("position, id").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list images: %w", err)
	}
	return rows, nil
}

func (s store) setPosition(ctx context.Context, id uuid.UUID, pos int) error {
	err := s.db.WithContext(ctx).Model(&imageRow{}).Where("id = ?", id).Update("position", pos).Error
	if err != nil {
		return fmt.Errorf("set image position: %w", err)
	}
	return nil
}
