package permit

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/holiday"
)

// Accounts finds the demo resident's account (*identity.Service implements
// it).
type Accounts interface {
	DemoAccountID(ctx context.Context, tx *gorm.DB, email string) (uuid.UUID, error)
}

const demoCitizenEmail = "user@example.com"

// demoOrigin is where a development server listens by default (HTTP_ADDR
// :8080): the demo letter's QR code points there.
const demoOrigin = "http://localhost:8080"

type demoStep struct {
	to   Status
	note string
	ago  time.Duration // before now
}

type demoApplication struct {
	code  string
	data  map[string]any
	docs  []string
	made  time.Duration // before now
	steps []demoStep
}

// SeedDemo loads the standard permit types and, for the demo resident, an
// application in every status with its documents (small PDFs in private
// storage) and history.
func (s *Service) SeedDemo(ctx context.Context, tx *gorm.DB, accounts Accounts) error {
	if err := s.SeedTypes(ctx, tx); err != nil {
		return err
	}
	userID, err := accounts.DemoAccountID(ctx, tx, demoCitizenEmail)
	if err != nil {
		return err
	}
	day := 24 * time.Hour
	today := s.today()
	apps := []demoApplication{
		{code: "usaha_mikro", made: 2 * day, docs: []string{"ktp"}, data: map[string]any{
			HolderField: "Sari Wulandari", "business_name": "Wedangan Mbak Sari", "nib": "9120301234567", "kbli": "56103",
			"business_address": "Jl. Kebangkitan Nasional No. 7, Laweyan, Surakarta", "employees": 2, "home_based": false}},
		{code: "keramaian", made: 3 * day, docs: []string{"ktp", "proposal", "venue_consent", "site_layout"},
			data: map[string]any{HolderField: "Sanggar Seni Laweyan", "event_name": "Festival Jenang Laweyan", "scale": "local",
				"event_date": today.AddDays(40).String(), "event_end_date": today.AddDays(41).String(),
				"venue": "Kampung Batik Laweyan, Jl. Sidoluhur, Surakarta", "expected_attendance": 1500},
			steps: []demoStep{{to: Submitted, ago: 2 * day}}},
		{code: "syuting", made: 9 * day, docs: []string{"ktp", "synopsis", "schedule"},
			data: map[string]any{HolderField: "Sari Wulandari", "production_title": "Senja di Pasar Gede",
				"production_kind": "documentary", "locations": "Pasar Gede Hardjonagoro dan Jl. Urip Sumoharjo, Surakarta",
				"shoot_start_date": today.AddDays(30).String(), "shoot_end_date": today.AddDays(32).String(), "crew_size": 12,
				"road_closure": false},
			steps: []demoStep{{to: Submitted, ago: 8 * day}, {to: InReview, ago: 6 * day}}},
		{code: "pbg", made: 20 * day, docs: []string{"ktp", "land_title", "architecture", "structure"},
			data: map[string]any{HolderField: "Sari Wulandari", "site_address": "Jl. Rajiman No. 210, Laweyan, Surakarta",
				"function": "residential", "floor_area_m2": 96, "floors": 2, "land_certificate_no": "SHM 11.02.01.03.1.04512"},
			steps: []demoStep{{to: Submitted, ago: 19 * day}, {to: InReview, ago: 16 * day},
				{to: NeedsRevision, ago: 12 * day, note: "Gambar struktur belum ditandatangani perencana bersertifikat; unggah ulang yang sudah ditandatangani."}}},
		{code: "usaha_mikro", made: 40 * day, docs: []string{"ktp"},
			data: map[string]any{HolderField: "Sari Wulandari", "business_name": "Batik Tulis Sari", "nib": "9120309876543",
				"kbli": "13134", "business_address": "Jl. Sidoluhur No. 12, Laweyan, Surakarta", "employees": 4, "home_based": true},
			steps: []demoStep{{to: Submitted, ago: 39 * day}, {to: InReview, ago: 38 * day}, {to: Approved, ago: 36 * day}}},
		{code: "reklame", made: 60 * day, docs: []string{"ktp", "design", "location_photo", "land_consent"},
			data: map[string]any{HolderField: "Sari Wulandari", "kind": "videotron", "location": "Simpang Gladag, Jl. Slamet Riyadi, Surakarta",
				"width_m": 6, "height_m": 4, "content": "Batik Tulis Sari: batik tulis asli Laweyan", "illuminated": true},
			steps: []demoStep{{to: Submitted, ago: 58 * day}, {to: InReview, ago: 55 * day},
				{to: Rejected, ago: 52 * day, note: "Simpang Gladag termasuk kawasan cagar budaya: videotron tidak diizinkan di lokasi ini."}}},
	}
	for _, a := range apps {
		if err := s.seedApplication(ctx, tx, userID, a); err != nil {
			return fmt.Errorf("demo %s application: %w", a.code, err)
		}
	}
	return nil
}

func (s *Service) seedApplication(ctx context.Context, tx *gorm.DB, userID uuid.UUID, d demoApplication) error {
	t, err := currentVersion(ctx, tx, d.code)
	if err != nil {
		return err
	}
	now := s.now()
	raw, err := json.Marshal(d.data)
	if err != nil {
		return err
	}
	created := now.Add(-d.made)
	r := applicationRow{ID: uuid.Must(uuid.NewV7()), UserID: userID, TypeCode: t.Code, TypeVersionID: t.VersionID,
		Status: string(Draft), Data: string(raw), CreatedAt: created, UpdatedAt: created}
	var hist []historyRow
	from := Draft
	for _, st := range d.steps {
		at := now.Add(-st.ago)
		by := Licensing
		switch st.to {
		case Submitted:
			by = Applicant
			if r.SubmittedAt == nil {
				r.SubmittedAt = &at
				n, err := nextNumber(ctx, tx, "tracking", holiday.DateIn(at).Year)
				if err != nil {
					return err
				}
				tn := TrackingNumber(holiday.DateIn(at).Year, n)
				r.TrackingNumber = &tn
			}
			due, err := s.dueAt(ctx, tx, at, t.SLADays-r.SLAUsedDays)
			if err != nil {
				return err
			}
			r.SLAStartedAt, r.SLADueAt = &at, &due
		case NeedsRevision:
			used, err := s.workingDaysUsed(ctx, tx, r.SLAStartedAt, at)
			if err != nil {
				return err
			}
			r.SLAUsedDays += used
			r.SLAStartedAt, r.SLADueAt = nil, nil
		case Approved:
			day := holiday.DateIn(at)
			n, err := nextNumber(ctx, tx, "permit:"+t.NumberCode, day.Year)
			if err != nil {
				return err
			}
			pn := PermitNumber(t.NumberCode, day.Year, n)
			until := validUntil(t, d.data, day)
			r.PermitNumber, r.ValidUntil, r.DecidedAt = &pn, &until, &at
			key, err := s.renderLetter(ctx, t, d.data, str(r.TrackingNumber), pn, at, until, demoOrigin+VerifyPath)
			if err != nil {
				return err
			}
			r.LetterKey = &key
		case Rejected:
			r.DecidedAt = &at
		}
		hist = append(hist, historyRow{ID: uuid.Must(uuid.NewV7()), ApplicationID: r.ID, FromStatus: string(from),
			ToStatus: string(st.to), ActorRole: string(by), Note: st.note, At: at})
		if by == Applicant {
			hist[len(hist)-1].ActorID = &userID
		}
		from = st.to
		r.Status, r.UpdatedAt = string(st.to), at
	}
	if err := tx.WithContext(ctx).Create(&r).Error; err != nil {
		return err
	}
	if len(hist) > 0 {
		if err := tx.WithContext(ctx).Create(&hist).Error; err != nil {
			return err
		}
	}
	for _, code := range d.docs {
		spec, ok := t.document(code)
		if !ok {
			return fmt.Errorf("no document %s on %s", code, t.Code)
		}
		pdf := TextPDF([]string{spec.Name.ID, spec.Name.EN, "", fmt.Sprint(d.data[HolderField]),
			"Contoh dokumen untuk demo / Demo document"})
		sum := sha256.Sum256(pdf)
		key := "permits/" + uuid.NewString() + ".pdf"
		if err := s.private.Put(ctx, key, bytes.NewReader(pdf), "application/pdf"); err != nil {
			return err
		}
		doc := documentRow{ID: uuid.Must(uuid.NewV7()), ApplicationID: r.ID, Code: code, Filename: code + ".pdf",
			ContentType: "application/pdf", Size: int64(len(pdf)), SHA256: hex.EncodeToString(sum[:]), StorageKey: key,
			UploadedBy: userID, UploadedAt: r.CreatedAt}
		if err := tx.WithContext(ctx).Create(&doc).Error; err != nil {
			return err
		}
	}
	return nil
}
