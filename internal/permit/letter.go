package permit

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/permit/letter"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/pkg/civil"
)

// Office is the issuing office printed on decision letters.
const Office = "DPMPTSP Kota Surakarta"

// VerifyPath is the public verification path of a permit, relative to the
// server; the QR code of a letter holds it on the host the approval came in
// on.
const VerifyPath = "/api/v1/permits/verify/"

// maxSummary bounds the application fields a letter repeats.
const maxSummary = 8

func summaryValue(f Field, v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "Ya / Yes"
		}
		return "Tidak / No"
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

// renderLetter writes the decision letter of an application approved at
// issued and stores it in private storage, returning its key.
func (s *Service) renderLetter(ctx context.Context, t Type, data map[string]any, tracking, number string, issued time.Time,
	until civil.Date, verifyBase string) (string, error) {
	var summary []letter.Field
	for _, f := range t.Fields {
		v, ok := data[f.Name]
		if !ok || f.Name == HolderField || len(summary) == maxSummary {
			continue
		}
		summary = append(summary, letter.Field{Label: f.Label.ID + " / " + f.Label.EN, Value: summaryValue(f, v)})
	}
	holder, _ := data[HolderField].(string)
	pdf, err := letter.Render(letter.Letter{PermitNumber: number, TrackingNumber: tracking, TypeName: t.Name.ID,
		TypeNameEN: t.Name.EN, HolderMasked: maskName(holder), Summary: summary, IssuedAt: issued, ValidUntil: until,
		Department: Office, VerifyURL: verifyBase + VerificationCode(number)})
	if err != nil {
		return "", fmt.Errorf("render decision letter: %w", err)
	}
	key := "letters/" + randomKey() + ".pdf"
	if err := s.private.Put(ctx, key, bytes.NewReader(pdf), "application/pdf"); err != nil {
		return "", fmt.Errorf("store decision letter: %w", err)
	}
	return key, nil
}

// storeLetter renders and stores the letter of an application just
// approved in tx and returns its key: the caller deletes the file should tx
// not commit.
func (s *Service) storeLetter(ctx context.Context, tx *gorm.DB, id uuid.UUID, t Type, verifyBase string) (string, error) {
	r, err := loadApplication(ctx, tx, id)
	if err != nil {
		return "", err
	}
	a, err := r.toDomain(t)
	if err != nil {
		return "", err
	}
	if r.PermitNumber == nil || r.ValidUntil == nil || r.DecidedAt == nil {
		return "", fmt.Errorf("application %s approved without a number", id)
	}
	key, err := s.renderLetter(ctx, t, a.Data, str(r.TrackingNumber), *r.PermitNumber, *r.DecidedAt, *r.ValidUntil, verifyBase)
	if err != nil {
		return "", err
	}
	return key, tx.WithContext(ctx).Model(&applicationRow{}).Where("id = ?", id).Update("letter_key", key).Error
}

// SendLetter writes the decision letter of an approved application to its
// applicant or licensing staff, as an attachment.
func (s *Service) SendLetter(c *gin.Context, who identity.Actor, id uuid.UUID) error {
	ctx := c.Request.Context()
	r, err := loadApplication(ctx, s.db.DB, id)
	if err != nil {
		return err
	}
	if err := canSee(who, r); err != nil {
		return err
	}
	if r.LetterKey == nil || r.PermitNumber == nil {
		return &apperr.Error{Kind: apperr.NotFound, Code: "not_found", Detail: "The application has no decision letter (it is not approved)."}
	}
	return s.private.Send(c, *r.LetterKey, "izin-"+VerificationCode(*r.PermitNumber)+".pdf")
}
