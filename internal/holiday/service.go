package holiday

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/csv"
	"fmt"
	"io"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/solodestination/api/internal/audit"
	"github.com/solodestination/api/internal/identity"
	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/database"
	"github.com/solodestination/api/pkg/civil"
)

// reference is the decreed calendar (SKB of the ministers, Keppres on cuti
// bersama): date,kind,name_id,name_en,source.
//
//go:embed holidays-id.csv
var reference []byte

type row struct {
	Date      string `gorm:"primaryKey"`
	Kind      string
	NameID    string
	NameEn    string
	Source    string
	CreatedAt time.Time
	UpdatedAt time.Time
	DeletedAt *time.Time
}

func (row) TableName() string { return "holidays" }

func (r row) toDomain() Holiday {
	d, _ := civil.Parse(r.Date) // written by us from a parsed date
	return Holiday{Date: d, Kind: Kind(r.Kind), Name: Text{r.NameID, r.NameEn}, Source: r.Source,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

// Service is the holiday calendar.
type Service struct {
	db  *database.DB
	now func() time.Time
}

// NewService returns the calendar over db.
func NewService(db *database.DB) *Service {
	return &Service{db: db, now: func() time.Time { return time.Now().UTC() }}
}

// SetClock replaces the clock that stamps rows and picks the current year.
func (s *Service) SetClock(now func() time.Time) { s.now = func() time.Time { return now().UTC() } }

// ThisYear is the current year in Asia/Jakarta.
func (s *Service) ThisYear() int { return DateIn(s.now()).Year }

// ReferenceRows parses the embedded calendar.
func ReferenceRows() ([]Holiday, error) {
	r := csv.NewReader(bytes.NewReader(reference))
	r.FieldsPerRecord = 5
	var out []Holiday
	for line := 0; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("holiday reference: %w", err)
		}
		if line == 0 {
			continue // header
		}
		d, err := civil.Parse(rec[0])
		if err != nil || !Kind(rec[1]).Valid() || rec[2] == "" {
			return nil, fmt.Errorf("holiday reference line %d: %q", line+1, rec)
		}
		out = append(out, Holiday{Date: d, Kind: Kind(rec[1]), Name: Text{rec[2], rec[3]}, Source: rec[4]})
	}
}

// LoadReference inserts the decreed dates the table does not have yet, in
// one statement; dates staff changed or removed stay as staff left them.
// Replicas starting together insert each date once. It returns how many
// dates were new.
func (s *Service) LoadReference(ctx context.Context) (int64, error) {
	hs, err := ReferenceRows()
	if err != nil {
		return 0, err
	}
	now := s.now()
	rows := make([]row, len(hs))
	for i, h := range hs {
		rows[i] = row{Date: h.Date.String(), Kind: string(h.Kind), NameID: h.Name.ID, NameEn: h.Name.EN, Source: h.Source,
			CreatedAt: now, UpdatedAt: now}
	}
	res := s.db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&rows)
	if res.Error != nil {
		return 0, fmt.Errorf("load holidays: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// Year returns the holidays of a year, by date.
func (s *Service) Year(ctx context.Context, year int) ([]Holiday, error) {
	from := civil.Date{Year: year, Month: time.January, Day: 1}
	// The public calendar: an anonymous caller's may come from a replica.
	return s.list(ctx, identity.ReadHandle(ctx, s.db), from, civil.Date{Year: year, Month: time.December, Day: 31})
}

func (s *Service) list(ctx context.Context, db *gorm.DB, from, to civil.Date) ([]Holiday, error) {
	var rows []row
	// YYYY-MM-DD strings sort as the dates they name.
	err := db.WithContext(ctx).Where("date >= ? AND date <= ? AND deleted_at IS NULL", from.String(), to.String()).
		Order("date").Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("list holidays: %w", err)
	}
	out := make([]Holiday, len(rows))
	for i, r := range rows {
		out[i] = r.toDomain()
	}
	return out, nil
}

// Between returns the holidays and cuti bersama days from from to to, both
// included, by date.
func (s *Service) Between(ctx context.Context, from, to civil.Date) (map[civil.Date]Holiday, error) {
	return s.BetweenWith(ctx, s.db.DB, from, to)
}

// BetweenWith is Between read on db (a transaction, say).
func (s *Service) BetweenWith(ctx context.Context, db *gorm.DB, from, to civil.Date) (map[civil.Date]Holiday, error) {
	hs, err := s.list(ctx, db, from, to)
	if err != nil {
		return nil, err
	}
	out := make(map[civil.Date]Holiday, len(hs))
	for _, h := range hs {
		out[h.Date] = h
	}
	return out, nil
}

// IsWorkingDay reports whether government offices in Solo work on d: not a
// Saturday or Sunday, a national holiday or a cuti bersama day.
func (s *Service) IsWorkingDay(ctx context.Context, d civil.Date) (bool, error) {
	if Weekend(d) {
		return false, nil
	}
	hs, err := s.Between(ctx, d, d)
	if err != nil {
		return false, err
	}
	_, off := hs[d]
	return !off, nil
}

// AddWorkingDays is the n-th working day after start (start itself is not
// counted; n = 0 is start). An SLA of 5 working days from a Friday
// submission ends on the next Friday, later when holidays fall in between.
func (s *Service) AddWorkingDays(ctx context.Context, start civil.Date, n int) (civil.Date, error) {
	if n < 0 {
		return civil.Date{}, fmt.Errorf("AddWorkingDays: n = %d", n)
	}
	d := start
	for n > 0 {
		// Enough days for n working days unless the window is mostly
		// holidays (Lebaran); then the loop loads the next window.
		window := 2*n + 14
		days, err := s.Days(ctx, d.AddDays(1), d.AddDays(window))
		if err != nil {
			return civil.Date{}, err
		}
		for i := 0; i < window && n > 0; i++ {
			d = d.AddDays(1)
			if days.IsWorkingDay(d) {
				n--
			}
		}
	}
	return d, nil
}

// Put sets the holiday on a date, creating it or replacing what was there
// (a removed date comes back). It reports whether the date was new. Audited.
func (s *Service) Put(ctx context.Context, d civil.Date, kind Kind, name Text) (Holiday, bool, error) {
	now := s.now()
	h := Holiday{Date: d, Kind: kind, Name: name, Source: SourceStaff, CreatedAt: now, UpdatedAt: now}
	created := false
	err := s.db.InTx(ctx, func(tx *gorm.DB) error {
		var old []row
		if err := tx.Where("date = ?", d.String()).Limit(1).Find(&old).Error; err != nil {
			return err
		}
		created = len(old) == 0 || old[0].DeletedAt != nil
		if len(old) == 1 && old[0].DeletedAt == nil {
			h.CreatedAt = old[0].CreatedAt.UTC()
		}
		r := row{Date: d.String(), Kind: string(kind), NameID: name.ID, NameEn: name.EN, Source: SourceStaff,
			CreatedAt: h.CreatedAt, UpdatedAt: now}
		err := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "date"}},
			DoUpdates: clause.AssignmentColumns([]string{"kind", "name_id", "name_en", "source", "created_at", "updated_at", "deleted_at"}),
		}).Create(&r).Error
		if err != nil {
			return fmt.Errorf("put holiday: %w", err)
		}
		return audit.Record(ctx, tx, "holiday.put", "holiday", d.String(), map[string]string{"kind": string(kind)})
	})
	return h, created, err
}

// Delete removes the holiday on a date; the reference file does not bring
// it back. Audited.
func (s *Service) Delete(ctx context.Context, d civil.Date) error {
	return s.db.InTx(ctx, func(tx *gorm.DB) error {
		now := s.now()
		res := tx.Model(&row{}).Where("date = ? AND deleted_at IS NULL", d.String()).
			Updates(map[string]any{"deleted_at": now, "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("delete holiday: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return apperr.Missing("holiday", d.String())
		}
		return audit.Record(ctx, tx, "holiday.delete", "holiday", d.String(), nil)
	})
}
