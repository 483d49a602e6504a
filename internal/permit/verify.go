package permit

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/solodestination/api/internal/holiday"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/pkg/civil"
)

// HolderField is the field whose value names a permit's holder on its
// letter and, masked, on the public verification.
const HolderField = "holder_name"

// Verification is what anyone may learn about an issued permit.
type Verification struct {
	PermitNumber string
	Type         Type
	Holder       string // in full: the handler masks it
	IssuedOn     civil.Date
	ValidUntil   civil.Date
}

// Verify finds the approved permit whose number is code with its slashes
// as dashes.
func (s *Service) Verify(ctx context.Context, code string) (Verification, error) {
	number := strings.ReplaceAll(code, "-", "/")
	var rows []applicationRow
	err := s.read(ctx).Where("permit_number = ? AND status = ?", number, Approved).Limit(1).Find(&rows).Error
	if err != nil {
		return Verification{}, fmt.Errorf("verify permit: %w", err)
	}
	if len(rows) == 0 || rows[0].ValidUntil == nil || rows[0].DecidedAt == nil {
		return Verification{}, apperr.Missing("permit", code)
	}
	r := rows[0]
	t, err := versionByID(ctx, s.read(ctx), r.TypeVersionID)
	if err != nil {
		return Verification{}, err
	}
	var data map[string]any
	if err := json.Unmarshal([]byte(r.Data), &data); err != nil {
		return Verification{}, err
	}
	holder, _ := data[HolderField].(string)
	return Verification{PermitNumber: number, Type: t, Holder: holder, IssuedOn: holiday.DateIn(*r.DecidedAt),
		ValidUntil: *r.ValidUntil}, nil
}
