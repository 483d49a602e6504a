package permit

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/audit"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/idempotency"
	"github.com/solodestination/api/pkg/civil"
	"github.com/solodestination/api/pkg/cursor"
)

// parties are the roles the caller plays for an application: its owner,
// licensing staff (administrators included), both or neither.
func parties(who identity.Actor, owner uuid.UUID) []Party {
	var out []Party
	if !who.Anonymous() && who.ID == owner {
		out = append(out, Applicant)
	}
	if who.IsStaffOf(identity.DeptLicensing) {
		out = append(out, Licensing)
	}
	return out
}

// canSee decides whether the caller may read an application: its owner and
// licensing staff may; staff of another department are refused (403);
// to anyone else it does not exist (404).
func canSee(who identity.Actor, r applicationRow) error {
	if len(parties(who, r.UserID)) > 0 {
		return nil
	}
	if who.Role == identity.RoleStaff {
		return apperr.Denied("Permit applications are handled by the licensing department.")
	}
	return apperr.Missing("permit application", r.ID)
}

// ownerOnly lets only the application's owner through; licensing staff and
// other staff get 403, anyone else 404.
func ownerOnly(who identity.Actor, r applicationRow) error {
	if !who.Anonymous() && who.ID == r.UserID {
		return nil
	}
	if who.Role == identity.RoleStaff || who.Role == identity.RoleAdmin {
		return apperr.Denied("Only the applicant may do this.")
	}
	return apperr.Missing("permit application", r.ID)
}

func encodeData(data map[string]any) (string, error) {
	b, err := json.Marshal(data)
	return string(b), err
}

// Create makes a draft application of the current version of the type.
func (s *Service) Create(ctx context.Context, who identity.Actor, typeCode string, data map[string]any) (Application, error) {
	var id uuid.UUID
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		t, err := currentVersion(ctx, tx, typeCode)
		if apperr.KindOf(err) == apperr.NotFound {
			return apperr.FieldInvalid("type", "is not a permit type")
		}
		if err != nil {
			return err
		}
		clean, problems := checkData(t, data, s.today())
		if len(problems) > 0 {
			return apperr.Validation(problems)
		}
		raw, err := encodeData(clean)
		if err != nil {
			return err
		}
		now := s.now()
		id = uuid.Must(uuid.NewV7())
		r := applicationRow{ID: id, UserID: who.ID, TypeCode: t.Code, TypeVersionID: t.VersionID, Status: string(Draft),
			Data: raw, CreatedAt: now, UpdatedAt: now}
		if err := tx.WithContext(ctx).Create(&r).Error; err != nil {
			return fmt.Errorf("insert permit application: %w", err)
		}
		return idempotency.BindEffect(ctx, tx, id.String())
	})
	if err != nil {
		return Application{}, err
	}
	return s.Get(ctx, who, id)
}

// Edit replaces the data of a draft, or of an application sent back for
// revision, checked against the version it was made under.
func (s *Service) Edit(ctx context.Context, who identity.Actor, id uuid.UUID, data map[string]any) (Application, error) {
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		r, err := loadApplication(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := ownerOnly(who, r); err != nil {
			return err
		}
		if r.Status != string(Draft) && r.Status != string(NeedsRevision) {
			return apperr.StateConflict("not_editable", "Only a draft or an application sent back for revision can be changed.")
		}
		t, err := versionByID(ctx, tx, r.TypeVersionID)
		if err != nil {
			return err
		}
		clean, problems := checkData(t, data, s.today())
		if len(problems) > 0 {
			return apperr.Validation(problems)
		}
		raw, err := encodeData(clean)
		if err != nil {
			return err
		}
		res := tx.WithContext(ctx).Model(&applicationRow{}).Where("id = ? AND status = ?", id, r.Status).
			Updates(map[string]any{"data": raw, "updated_at": s.now()})
		if res.Error != nil {
			return fmt.Errorf("update permit application: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.StateConflict("not_editable", "The application moved on meanwhile.")
		}
		return nil
	})
	if err != nil {
		return Application{}, err
	}
	return s.Get(ctx, who, id)
}

// Get returns one application with its documents, history and, for
// reklame, the applicant's tax standing.
func (s *Service) Get(ctx context.Context, who identity.Actor, id uuid.UUID) (Application, error) {
	db := s.db.DB
	r, err := loadApplication(ctx, db, id)
	if err != nil {
		return Application{}, err
	}
	if err := canSee(who, r); err != nil {
		return Application{}, err
	}
	return s.full(ctx, db, r)
}

func (s *Service) full(ctx context.Context, db *gorm.DB, r applicationRow) (Application, error) {
	t, err := versionByID(ctx, db, r.TypeVersionID)
	if err != nil {
		return Application{}, err
	}
	a, err := r.toDomain(t)
	if err != nil {
		return Application{}, err
	}
	if a.Documents, err = currentDocuments(ctx, db, r.ID); err != nil {
		return Application{}, err
	}
	if a.History, err = history(ctx, db, r.ID); err != nil {
		return Application{}, err
	}
	if t.Code == reklame && s.tax != nil {
		sum, err := s.tax.UnpaidReklame(ctx, r.UserID)
		if err != nil {
			return Application{}, err
		}
		a.TaxStatus = &sum
	}
	return a, nil
}

// summaries maps rows to applications without documents and history, with
// their type versions loaded in one query.
func summaries(ctx context.Context, db *gorm.DB, rows []applicationRow) ([]Application, error) {
	ids := make([]uuid.UUID, 0, len(rows))
	for _, r := range rows {
		ids = append(ids, r.TypeVersionID)
	}
	types, err := versions(ctx, db, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Application, len(rows))
	for i, r := range rows {
		if out[i], err = r.toDomain(types[r.TypeVersionID]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Mine returns up to limit of the caller's applications before the given
// id, newest first.
func (s *Service) Mine(ctx context.Context, who identity.Actor, before *uuid.UUID, limit int) ([]Application, bool, error) {
	q := s.db.WithContext(ctx).Where("user_id = ?", who.ID)
	if before != nil {
		q = q.Where("id < ?", *before)
	}
	var rows []applicationRow
	if err := q.Order("id DESC").Limit(limit + 1).Find(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("list my permit applications: %w", err)
	}
	rows, more := cursor.Cut(rows, limit)
	out, err := summaries(ctx, s.db.DB, rows)
	return out, more, err
}

// QueueSort orders the licensing queue.
type QueueSort string

const (
	BySubmission QueueSort = "submitted_at" // oldest submission first
	ByDue        QueueSort = "sla_due_at"   // most urgent first
)

// QueuePosition is where a page of the queue ended.
type QueuePosition struct {
	At time.Time `json:"t"`
	ID uuid.UUID `json:"i"`
}

// Waiting are the statuses the queue shows when none is asked for: the
// applications licensing has to act on.
var Waiting = []Status{Submitted, InReview}

// Queue returns up to limit applications in one status, or Waiting, after the
// position, by sort. Sorted by due time it leaves out applications whose
// clock is paused (needs_revision) or never started.
func (s *Service) Queue(ctx context.Context, statuses []Status, by QueueSort, after *QueuePosition, limit int) ([]Application, bool, error) {
	var rows []applicationRow
	if err := queueQuery(s.db.WithContext(ctx), statuses, by, after, limit).Scan(&rows).Error; err != nil {
		return nil, false, fmt.Errorf("list permit queue: %w", err)
	}
	rows, more := cursor.Cut(rows, limit)
	out, err := summaries(ctx, s.db.DB, rows)
	return out, more, err
}

// queueQuery selects a page of the queue (limit+1 rows). Each status is
// read from its own index in order ((status, col, id), from the cursor on,
// at most limit+1 rows); several statuses are merged by sorting those few
// rows, so a page costs the same however long the queue is.
func queueQuery(db *gorm.DB, statuses []Status, by QueueSort, after *QueuePosition, limit int) *gorm.DB {
	col := "submitted_at"
	if by == ByDue {
		col = "sla_due_at"
	}
	branch := "SELECT * FROM permit_applications WHERE status = ? AND " + col + " IS NOT NULL"
	if after != nil {
		branch += " AND (" + col + ", id) > (?, ?)"
	}
	branch += " ORDER BY " + col + ", id LIMIT ?"
	var parts []string
	var args []any
	for _, st := range statuses {
		parts = append(parts, "SELECT * FROM ("+branch+") AS "+string(st))
		args = append(args, string(st))
		if after != nil {
			args = append(args, after.At, after.ID)
		}
		args = append(args, limit+1)
	}
	if len(parts) == 1 {
		return db.Raw(branch, args...)
	}
	args = append(args, limit+1)
	return db.Raw(strings.Join(parts, " UNION ALL ")+" ORDER BY "+col+", id LIMIT ?", args...)
}

// missing lists what a submission lacks: required fields (and any that
// break their rules as of today) and required documents.
func missing(t Type, data map[string]any, docs []StoredDocument, today civil.Date) map[string]string {
	_, problems := checkData(t, data, today)
	have := map[string]bool{}
	for _, d := range docs {
		have[d.Code] = true
	}
	for _, d := range t.Documents {
		if d.Required && !have[d.Code] {
			problems["documents."+d.Code] = "is required"
		}
	}
	return problems
}

var errInvalidTransition = func(from, to Status) error {
	return apperr.StateConflict("invalid_transition", fmt.Sprintf("An application cannot move from %s to %s.", from, to))
}

// Transition moves an application to status to, as the table says: the
// caller's role first (a status they may never set → 403), then the move
// from where the application is (anything else → 409 invalid_transition,
// decided by one conditional UPDATE so that of two moves at once one wins).
//
// verifyBase is where the public verification is reached (scheme and host):
// an approval's decision letter carries verifyBase + VerifyPath + code in its
// QR code.
func (s *Service) Transition(ctx context.Context, who identity.Actor, id uuid.UUID, to Status, note, verifyBase string) (Application, error) {
	note = strings.TrimSpace(note)
	if to == Approved {
		// The tax domain answers on its own connection: asked before the
		// transaction, which must not wait for a second one.
		if err := s.checkTaxBefore(ctx, who, id); err != nil {
			return Application{}, err
		}
	}
	var letterKey string
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		r, err := loadApplication(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := canSee(who, r); err != nil {
			return err
		}
		ps := parties(who, r.UserID)
		if !mayEverSet(ps, to) {
			return apperr.Denied(fmt.Sprintf("You may not move an application to %s.", to))
		}
		from := Status(r.Status)
		if !allowed(ps, from, to) {
			return errInvalidTransition(from, to)
		}
		if to == NeedsRevision && note == "" {
			return apperr.FieldInvalid("note", "is required when sending an application back for revision")
		}
		by := Applicant
		if !has(ps, Applicant) || (from != Draft && from != NeedsRevision) {
			by = Licensing
		}
		t, err := versionByID(ctx, tx, r.TypeVersionID)
		if err != nil {
			return err
		}
		now := s.now()
		set := map[string]any{"status": string(to), "updated_at": now}
		switch to {
		case Submitted:
			var data map[string]any
			if err := json.Unmarshal([]byte(r.Data), &data); err != nil {
				return err
			}
			docs, err := currentDocuments(ctx, tx, r.ID)
			if err != nil {
				return err
			}
			if problems := missing(t, data, docs, s.today()); len(problems) > 0 {
				e := apperr.Validation(problems)
				e.Detail = "The application is incomplete: " + strings.Join(sortedKeys(problems), ", ") + "."
				return e
			}
			due, err := s.dueAt(ctx, tx, now, t.SLADays-r.SLAUsedDays)
			if err != nil {
				return err
			}
			set["sla_started_at"], set["sla_due_at"] = now, due
			if r.SubmittedAt == nil {
				set["submitted_at"] = now
			}
		case NeedsRevision:
			used, err := s.workingDaysUsed(ctx, tx, r.SLAStartedAt, now)
			if err != nil {
				return err
			}
			set["sla_used_days"], set["sla_started_at"], set["sla_due_at"] = r.SLAUsedDays+used, nil, nil
		case Approved:
			set["decided_at"] = now
		case Rejected:
			set["decided_at"] = now
		}
		res := tx.WithContext(ctx).Model(&applicationRow{}).Where("id = ? AND status = ?", id, from).Updates(set)
		if res.Error != nil {
			return fmt.Errorf("move permit application: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return errInvalidTransition(from, to) // another move came first
		}
		// Numbers are allocated after the move is won, so a losing move
		// takes none (and its transaction rolls back anyway).
		if to == Submitted && r.TrackingNumber == nil {
			if err := s.assignTracking(ctx, tx, id, now); err != nil {
				return err
			}
		}
		if to == Approved {
			if err := s.issue(ctx, tx, r, t, now); err != nil {
				return err
			}
			if letterKey, err = s.storeLetter(ctx, tx, id, t, verifyBase+VerifyPath); err != nil {
				return err
			}
		}
		h := historyRow{ID: uuid.Must(uuid.NewV7()), ApplicationID: id, FromStatus: string(from), ToStatus: string(to),
			ActorRole: string(by), Note: note, At: now}
		if !who.Anonymous() {
			h.ActorID = &who.ID
		}
		if err := tx.WithContext(ctx).Create(&h).Error; err != nil {
			return fmt.Errorf("insert permit history: %w", err)
		}
		if err := audit.Record(ctx, tx, "permit_application.transition", "permit_application", id.String(),
			map[string]any{"from": from, "to": to, "by": by}); err != nil {
			return err
		}
		r2, err := loadApplication(ctx, tx, id)
		if err != nil {
			return err
		}
		return s.notes.Notify(ctx, tx, statusMessage(r2, t, from, to, note))
	})
	if err != nil {
		if letterKey != "" { // the approval did not commit: neither may its letter stay
			_ = s.private.Delete(context.WithoutCancel(ctx), letterKey)
		}
		return Application{}, err
	}
	return s.Get(ctx, who, id)
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkTaxBefore refuses approving a reklame application while its
// applicant has an overdue reklame tax bill; other applications, and ones
// the move will refuse anyway, pass.
func (s *Service) checkTaxBefore(ctx context.Context, who identity.Actor, id uuid.UUID) error {
	if !who.IsStaffOf(identity.DeptLicensing) {
		return nil // the transaction refuses the caller
	}
	r, err := loadApplication(ctx, s.db.DB, id)
	if err != nil || r.TypeCode != reklame || r.Status != string(InReview) {
		return nil // the transaction decides
	}
	t, err := versionByID(ctx, s.db.DB, r.TypeVersionID)
	if err != nil {
		return err
	}
	return s.checkTax(ctx, t, r.UserID)
}

func (s *Service) checkTax(ctx context.Context, t Type, userID uuid.UUID) error {
	if t.Code != reklame || s.tax == nil {
		return nil
	}
	sum, err := s.tax.UnpaidReklame(ctx, userID)
	if err != nil {
		return err
	}
	if sum.Overdue > 0 {
		return apperr.StateConflict("unpaid_tax",
			fmt.Sprintf("The applicant has %d overdue reklame tax bill(s); a reklame permit is issued once they are paid.", sum.Overdue))
	}
	return nil
}

// TrackingNumber formats the n-th application submitted in year.
func TrackingNumber(year int, n int64) string { return fmt.Sprintf("SKT-%d-%06d", year, n) }

// PermitNumber formats the n-th permit of a type issued in year:
// 503/KRM/2026/000045 (503 is the filing code of permits).
func PermitNumber(code string, year int, n int64) string {
	return fmt.Sprintf("503/%s/%d/%06d", code, year, n)
}

// VerificationCode is the URL-safe form of a permit number, the one the
// public verification path and the letter's QR code carry: its slashes
// become dashes (503-KRM-2026-000045).
func VerificationCode(permitNumber string) string { return strings.ReplaceAll(permitNumber, "/", "-") }

func (s *Service) assignTracking(ctx context.Context, tx *gorm.DB, id uuid.UUID, now time.Time) error {
	year := s.today().Year
	n, err := nextNumber(ctx, tx, "tracking", year)
	if err != nil {
		return err
	}
	return tx.WithContext(ctx).Model(&applicationRow{}).Where("id = ?", id).
		Update("tracking_number", TrackingNumber(year, n)).Error
}

// issue gives an approved application its permit number and validity.
func (s *Service) issue(ctx context.Context, tx *gorm.DB, r applicationRow, t Type, now time.Time) error {
	today := s.today()
	n, err := nextNumber(ctx, tx, "permit:"+t.NumberCode, today.Year)
	if err != nil {
		return err
	}
	var data map[string]any
	if err := json.Unmarshal([]byte(r.Data), &data); err != nil {
		return err
	}
	until := validUntil(t, data, today)
	return tx.WithContext(ctx).Model(&applicationRow{}).Where("id = ?", r.ID).
		Updates(map[string]any{"permit_number": PermitNumber(t.NumberCode, today.Year, n), "valid_until": until}).Error
}
