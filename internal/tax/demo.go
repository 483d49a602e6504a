package tax

import (
	"context"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/pkg/civil"
	"github.com/solodestination/api/pkg/nik"
	"github.com/solodestination/api/pkg/nop"
)

// Demo content: three hundred tax objects across Surakarta's five districts
// (kecamatan, NOP district codes 010–050), mostly land and buildings with a
// sprinkling of restaurants, hotels, billboards, car parks and venues; PBB
// bills for last year and this one, due on 30 September as the city sets
// it, most paid on time and some overdue; monthly bills for the businesses;
// and the demo resident Sari Wulandari (user@example.com) with a verified
// NIK that owns four of the objects. Names, NIKs and amounts are invented;
// a fixed seed makes the set the same on every database.

// Accounts finds the demo resident's account (*identity.Service implements
// it).
type Accounts interface {
	DemoAccountID(ctx context.Context, tx *gorm.DB, email string) (uuid.UUID, error)
}

type demoDistrict struct {
	code     string // NOP district
	nik      string // the NIK's district (Kemendagri) code
	name     string
	villages []string
	streets  []string
}

var demoDistricts = []demoDistrict{
	{"010", "337201", "Laweyan", []string{"Pajang", "Laweyan", "Bumi", "Panularan", "Penumping", "Sriwedari", "Purwosari", "Sondakan", "Kerten", "Jajar", "Karangasem"},
		[]string{"Jl. Dr. Radjiman", "Jl. Slamet Riyadi", "Jl. Agus Salim", "Jl. Sidoluhur", "Jl. Perintis Kemerdekaan"}},
	{"020", "337202", "Serengan", []string{"Joyotakan", "Danukusuman", "Serengan", "Tipes", "Kratonan", "Jayengan", "Kemlayan"},
		[]string{"Jl. Veteran", "Jl. Yos Sudarso", "Jl. Gatot Subroto", "Jl. Honggowongso"}},
	{"030", "337203", "Pasar Kliwon", []string{"Joyosuran", "Semanggi", "Pasar Kliwon", "Baluwarti", "Gajahan", "Kauman", "Kampung Baru", "Kedung Lumbu", "Sangkrah"},
		[]string{"Jl. Kapten Mulyadi", "Jl. Supit Urang", "Jl. Cakra", "Jl. Kyai Mojo"}},
	{"040", "337204", "Jebres", []string{"Kepatihan Kulon", "Kepatihan Wetan", "Sudiroprajan", "Gandekan", "Sewu", "Pucangsawit", "Jagalan", "Purwodiningratan", "Tegalharjo", "Jebres", "Mojosongo"},
		[]string{"Jl. Ir. Sutami", "Jl. Urip Sumoharjo", "Jl. Kolonel Sutarto", "Jl. Tentara Pelajar"}},
	{"050", "337205", "Banjarsari", []string{"Kadipiro", "Nusukan", "Gilingan", "Manahan", "Mangkubumen", "Timuran", "Keprabon", "Ketelan", "Punggawan", "Kestalan", "Setabelan", "Banyuanyar", "Sumber"},
		[]string{"Jl. Adi Sucipto", "Jl. Ahmad Yani", "Jl. Monginsidi", "Jl. Kahar Muzakir", "Jl. Letjen Suprapto"}},
}

var (
	demoGiven   = []string{"Agus", "Budi", "Dwi", "Eko", "Joko", "Slamet", "Bambang", "Hadi", "Wahyu", "Teguh", "Sri", "Siti", "Endang", "Rini", "Wulan", "Ratna", "Tri", "Yuli", "Dewi", "Lestari"}
	demoFamily  = []string{"Santoso", "Wibowo", "Setiawan", "Prasetyo", "Susanto", "Hartono", "Kusuma", "Nugroho", "Saputra", "Rahayu", "Handayani", "Purnomo", "Sulistyo", "Wijaya", "Pratiwi", "Utomo"}
	demoBusines = map[Type][]string{
		PBJTRestoran: {"Warung Timlo", "Soto Gading", "Nasi Liwet Bu Sri", "Selat Solo Mbak Lies", "Tengkleng Klewer"},
		PBJTHotel:    {"Hotel Kusuma", "Griya Laweyan", "Wisma Batik"},
		Reklame:      {"Papan reklame"},
		Parkir:       {"Parkir Pasar", "Parkir Plaza"},
		Hiburan:      {"Karaoke Keluarga", "Gedung Wayang Orang"},
	}
)

// The demo resident and the NIK her profile holds (born 14 July 1990 in
// Laweyan: day 14 + 40 for women).
const (
	demoCitizenEmail = "user@example.com"
	demoCitizenName  = "Sari Wulandari"
	demoCitizenNIK   = "3372015407900001"
)

const demoObjectsPerDistrict = 60

// SeedDemo loads the demo tax data inside tx, in batches.
func (s *Service) SeedDemo(ctx context.Context, tx *gorm.DB, accounts Accounts) error {
	db := tx.WithContext(ctx)
	now := s.now()
	today := s.Today()
	rng := rand.New(rand.NewPCG(1972, 3372))

	citizen := nik.MustParse(demoCitizenNIK)
	citizenSealed, err := s.vault.Seal(citizen)
	if err != nil {
		return err
	}
	userID, err := accounts.DemoAccountID(ctx, tx, demoCitizenEmail)
	if err != nil {
		return err
	}
	reviewed := now.Add(-72 * time.Hour)
	profile := profileRow{UserID: userID, NIKCipher: citizenSealed.Cipher, NIKIndex: citizenSealed.Index,
		NIKMasked: citizenSealed.Masked, FullName: demoCitizenName, BirthDate: civil.Date{Year: 1990, Month: 7, Day: 14},
		Status: string(ProfileVerified), SubmittedAt: now.Add(-96 * time.Hour), ReviewedAt: &reviewed, CreatedAt: now, UpdatedAt: now}
	if err := db.Create(&profile).Error; err != nil {
		return fmt.Errorf("demo citizen profile: %w", err)
	}

	var objects []objectRow
	var bills []billRow
	for _, d := range demoDistricts {
		for i := range demoObjectsPerDistrict {
			village := 1 + rng.IntN(len(d.villages))
			// Block i/20 and a number from i%20 keep NOPs distinct.
			digits := fmt.Sprintf("3372%s%03d%03d%04d0", d.code, village, 1+i/20, 10*(i%20)+1+rng.IntN(9))
			n, err := nop.Parse(digits)
			if err != nil {
				return fmt.Errorf("demo NOP %s: %w", digits, err)
			}
			typ := PBB
			if i%7 == 3 {
				typ = Types[1+rng.IntN(len(Types)-1)]
			}
			owner := demoGiven[rng.IntN(len(demoGiven))] + " " + demoFamily[rng.IntN(len(demoFamily))]
			ownerNIK := demoNIK(rng, d.nik)
			// Sari owns three plots and a restaurant in Laweyan.
			if d.code == "010" && i < 4 {
				owner, ownerNIK = demoCitizenName, citizen
				if i == 3 {
					typ = PBJTRestoran
				} else {
					typ = PBB
				}
			}
			address := fmt.Sprintf("%s No. %d, %s, %s", d.streets[rng.IntN(len(d.streets))], 1+rng.IntN(180),
				d.villages[village-1], d.name)
			if names := demoBusines[typ]; len(names) > 0 {
				address = names[rng.IntN(len(names))] + ", " + address
			}
			sealed, err := s.vault.Seal(ownerNIK)
			if err != nil {
				return err
			}
			obj := objectRow{ID: uuid.Must(uuid.NewV7()), NOP: n.Digits(), TaxType: string(typ), Address: address, OwnerName: owner,
				OwnerNIKCipher: sealed.Cipher, OwnerNIKIndex: sealed.Index, OwnerNIKMasked: sealed.Masked, CreatedAt: now, UpdatedAt: now}
			objects = append(objects, obj)
			bills = append(bills, demoBills(rng, obj, today, now, d.code == "010" && i < 4)...)
		}
	}
	if err := db.CreateInBatches(&objects, 200).Error; err != nil {
		return fmt.Errorf("demo tax objects: %w", err)
	}
	if err := db.CreateInBatches(&bills, 200).Error; err != nil {
		return fmt.Errorf("demo tax bills: %w", err)
	}
	return nil
}

// demoNIK invents a well-formed NIK of someone born 1950–2004 in district.
func demoNIK(rng *rand.Rand, district string) nik.NIK {
	for {
		y, m, d := 1950+rng.IntN(55), 1+rng.IntN(12), 1+rng.IntN(28)
		if rng.IntN(2) == 0 {
			d += 40
		}
		if n, err := nik.Parse(fmt.Sprintf("%s%02d%02d%02d%04d", district, d, m, y%100, 1+rng.IntN(999))); err == nil {
			return n
		}
	}
}

// demoBills: PBB last year and this year (due 30 September); for the
// businesses, the last three months (due the 15th of the next month).
// Most bills that fell due are paid; the citizen's are left partly unpaid
// so the demo shows penalties.
func demoBills(rng *rand.Rand, obj objectRow, today civil.Date, now time.Time, citizen bool) []billRow {
	var out []billRow
	add := func(period string, year int, due civil.Date, principal int64, paidShare int) {
		b := billRow{ID: uuid.Must(uuid.NewV7()), ObjectID: obj.ID, Period: period, Year: year, PrincipalIDR: principal,
			DueDate: due, Status: string(BillUnpaid), CreatedAt: now, UpdatedAt: now}
		if due.Before(today) && rng.IntN(100) < paidShare {
			paid := due.AddDays(-rng.IntN(40)).In(civil.Jakarta).Add(10 * time.Hour).UTC()
			b.Status, b.PaidAt = string(BillPaid), &paid
		}
		out = append(out, b)
	}
	if Type(obj.TaxType) == PBB {
		principal := int64(150_000+rng.IntN(4_350_000)) / 500 * 500
		last, this := 85, 60
		if citizen {
			last, this = 50, 0
		}
		for _, y := range []struct{ year, share int }{{today.Year - 1, last}, {today.Year, this}} {
			add(fmt.Sprintf("%04d", y.year), y.year, civil.Date{Year: y.year, Month: time.September, Day: 30}, principal, y.share)
		}
		return out
	}
	base := int64(250_000+rng.IntN(9_750_000)) / 1000 * 1000
	first := civil.Date{Year: today.Year, Month: today.Month, Day: 1}.AddMonthsClamped(-3)
	for k := range 3 {
		p := first.AddMonthsClamped(k)
		due := civil.Date{Year: p.Year, Month: p.Month, Day: 15}.AddMonthsClamped(1)
		share := 90 - 40*k
		add(fmt.Sprintf("%04d-%02d", p.Year, int(p.Month)), p.Year, due, base+int64(rng.IntN(50))*1000, share)
	}
	return out
}
