package permit

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"slices"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/internal/platform/storage"
)

// formats maps a document's accepted content types to the storage formats
// CheckDocument recognises.
func formats(contentTypes []string) []storage.Format {
	var out []storage.Format
	for _, f := range []storage.Format{storage.PDF, storage.JPEG, storage.PNG} {
		if slices.Contains(contentTypes, f.ContentType) {
			out = append(out, f)
		}
	}
	return out
}

var errNotEditable = apperr.StateConflict("not_editable",
	"Documents are added to a draft or to an application sent back for revision only.")

// Upload checks a file the applicant sends for one of the type's documents
// and keeps it: in private storage under a random key, with its SHA-256,
// size, format and a safe file name. A document of the same code it
// replaces stays as history (superseded). Every check comes before
// anything is written, so a refused file leaves nothing behind.
func (s *Service) Upload(ctx context.Context, who identity.Actor, appID uuid.UUID, code, filename string, data []byte) (StoredDocument, error) {
	r, err := loadApplication(ctx, s.db.DB, appID)
	if err != nil {
		return StoredDocument{}, err
	}
	if err := ownerOnly(who, r); err != nil {
		return StoredDocument{}, err
	}
	if r.Status != string(Draft) && r.Status != string(NeedsRevision) {
		return StoredDocument{}, errNotEditable
	}
	t, err := versionByID(ctx, s.db.DB, r.TypeVersionID)
	if err != nil {
		return StoredDocument{}, err
	}
	spec, ok := t.document(code)
	if !ok {
		return StoredDocument{}, apperr.FieldInvalid("code", "is not a document of this permit type")
	}
	if int64(len(data)) > spec.MaxBytes {
		return StoredDocument{}, storage.FileTooLarge(spec.MaxBytes)
	}
	doc, err := storage.CheckDocument(ctx, data, formats(spec.ContentTypes)...)
	if err != nil {
		return StoredDocument{}, err
	}
	now := s.now()
	row := documentRow{ID: uuid.Must(uuid.NewV7()), ApplicationID: appID, Code: code,
		Filename: storage.SafeFilename(filename, doc.Format), ContentType: doc.Format.ContentType,
		Size: int64(len(doc.Data)), SHA256: doc.SHA256, StorageKey: "permits/" + randomKey() + "." + doc.Format.Ext,
		UploadedBy: who.ID, UploadedAt: now}
	if err := s.private.Put(ctx, row.StorageKey, bytes.NewReader(doc.Data), doc.Format.ContentType); err != nil {
		return StoredDocument{}, fmt.Errorf("store document: %w", err)
	}
	err = s.db.InTx(ctx, func(tx *gorm.DB) error {
		db := tx.WithContext(ctx)
		// The application must still take documents when the row goes in.
		res := db.Model(&applicationRow{}).Where("id = ? AND status IN ?", appID, []Status{Draft, NeedsRevision}).
			Update("updated_at", now)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errNotEditable
		}
		if err := db.Model(&documentRow{}).Where("application_id = ? AND code = ? AND superseded_at IS NULL", appID, code).
			Update("superseded_at", now).Error; err != nil {
			return fmt.Errorf("supersede document: %w", err)
		}
		return db.Create(&row).Error
	})
	if err != nil {
		// The row is not there: neither may the file be.
		_ = s.private.Delete(context.WithoutCancel(ctx), row.StorageKey)
		return StoredDocument{}, err
	}
	return row.toDomain(), nil
}

func randomKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// Document returns one document of an application, current or replaced,
// to those who may see the application.
func (s *Service) Document(ctx context.Context, who identity.Actor, appID, docID uuid.UUID) (StoredDocument, error) {
	r, err := loadApplication(ctx, s.db.DB, appID)
	if err != nil {
		return StoredDocument{}, err
	}
	if err := canSee(who, r); err != nil {
		return StoredDocument{}, err
	}
	var row documentRow
	err = s.db.WithContext(ctx).Where("id = ? AND application_id = ?", docID, appID).Take(&row).Error
	if database.IsNotFound(err) {
		return StoredDocument{}, apperr.Missing("document", docID)
	}
	if err != nil {
		return StoredDocument{}, fmt.Errorf("load document: %w", err)
	}
	return row.toDomain(), nil
}

// Key is where a document's bytes are in private storage.
func (d StoredDocument) Key() string { return d.key }

// SendDocument writes a document's bytes as an attachment (see
// storage.Private.Send).
func (s *Service) SendDocument(c *gin.Context, d StoredDocument) error {
	return s.private.Send(c, d.key, d.Filename)
}
