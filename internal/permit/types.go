package permit

import (
	"context"
	"fmt"

	"gorm.io/gorm"

	"github.com/solodestination/api/internal/identity"
)

// The five permit types a city office handles most, with their usual
// requirements summarised. Every type names its holder (HolderField).

func num(x float64) *float64 { return &x }

func holder() Field {
	return Field{Name: HolderField, Label: Text{"Nama pemohon atau badan usaha", "Applicant or company name"},
		Type: FieldString, Required: true, Min: num(3), Max: num(120)}
}

func address(name string, label Text) Field {
	return Field{Name: name, Label: label, Type: FieldText, Required: true, Min: num(10), Max: num(300)}
}

func pdfDoc(code string, name Text, required bool, maxMiB int64) Document {
	return Document{Code: code, Name: name, Required: required, ContentTypes: []string{"application/pdf"}, MaxBytes: maxMiB << 20}
}

func scanDoc(code string, name Text, required bool) Document {
	return Document{Code: code, Name: name, Required: required,
		ContentTypes: []string{"application/pdf", "image/jpeg", "image/png"}, MaxBytes: 5 << 20}
}

var idCard = scanDoc("ktp", Text{"KTP pemohon atau penanggung jawab", "Identity card of the applicant or person in charge"}, true)

// StandardTypes are the demo permit types by code.
func StandardTypes() map[string]TypeDraft {
	return map[string]TypeDraft{
		"keramaian": {SLADays: 7, Definition: Definition{
			Name: Text{"Izin Keramaian", "Crowd event permit"},
			Description: Text{
				"Izin untuk acara yang mengumpulkan banyak orang: konser, festival, pawai, pertandingan. Ajukan paling lambat 14 hari sebelum acara berskala lokal, 21 hari untuk skala nasional dan 30 hari untuk skala internasional.",
				"For events that gather a crowd: concerts, festivals, parades, matches. Apply at least 14 days before a local event, 21 days before a national one and 30 days before an international one."},
			NumberCode: "KRM", ValidityMonths: 1, ValidUntilField: "event_end_date",
			Fields: []Field{
				holder(),
				{Name: "event_name", Label: Text{"Nama acara", "Event name"}, Type: FieldString, Required: true, Min: num(3), Max: num(150)},
				{Name: "scale", Label: Text{"Skala acara", "Event scale"}, Type: FieldSelect, Required: true,
					Options: []string{"local", "national", "international"}},
				{Name: "event_date", Label: Text{"Tanggal mulai", "Start date"}, Type: FieldDate, Required: true},
				{Name: "event_end_date", Label: Text{"Tanggal selesai", "End date"}, Type: FieldDate},
				address("venue", Text{"Tempat acara", "Venue"}),
				{Name: "expected_attendance", Label: Text{"Perkiraan jumlah pengunjung", "Expected attendance"},
					Type: FieldNumber, Required: true, Min: num(1), Max: num(1000000)},
				{Name: "parade_route", Label: Text{"Rute pawai (bila ada)", "Parade route (if any)"}, Type: FieldText, Max: num(1000)},
			},
			Documents: []Document{
				idCard,
				pdfDoc("proposal", Text{"Proposal acara dan susunan panitia", "Event proposal and committee list"}, true, 10),
				pdfDoc("venue_consent", Text{"Izin pemilik tempat dengan kapasitasnya", "Venue owner's consent stating its capacity"}, true, 5),
				pdfDoc("site_layout", Text{"Denah lokasi dan jalur evakuasi", "Site layout with evacuation routes"}, true, 10),
				pdfDoc("agency_recommendation", Text{"Rekomendasi dinas terkait (pariwisata, olahraga, agama)", "Recommendation of the sector agency (tourism, sport, religion)"}, false, 5),
			},
			LeadTime: &LeadTime{Field: "scale", DateField: "event_date",
				Days: map[string]int{"local": 14, "national": 21, "international": 30}},
		}},
		"reklame": {SLADays: 5, Definition: Definition{
			Name: Text{"Izin Reklame", "Billboard permit"},
			Description: Text{
				"Izin memasang reklame tetap atau insidentil. Pajak reklame pemohon harus lunas sebelum izin terbit.",
				"Permit to put up a permanent or temporary advertisement. The applicant's advertisement tax must be paid before the permit is issued."},
			NumberCode: "RKL", ValidityMonths: 12,
			Fields: []Field{
				holder(),
				{Name: "kind", Label: Text{"Jenis reklame", "Kind"}, Type: FieldSelect, Required: true,
					Options: []string{"billboard", "neon_box", "banner", "videotron"}},
				address("location", Text{"Lokasi pemasangan", "Location"}),
				{Name: "width_m", Label: Text{"Lebar (m)", "Width (m)"}, Type: FieldNumber, Required: true, Min: num(0.1), Max: num(30)},
				{Name: "height_m", Label: Text{"Tinggi (m)", "Height (m)"}, Type: FieldNumber, Required: true, Min: num(0.1), Max: num(30)},
				{Name: "content", Label: Text{"Isi naskah reklame", "Advertisement text"}, Type: FieldText, Required: true, Max: num(500)},
				{Name: "illuminated", Label: Text{"Bercahaya", "Illuminated"}, Type: FieldBoolean},
			},
			Documents: []Document{
				idCard,
				scanDoc("design", Text{"Desain materi reklame", "Design of the advertisement"}, true),
				scanDoc("location_photo", Text{"Foto dan peta lokasi", "Photo and map of the location"}, true),
				pdfDoc("land_consent", Text{"Persetujuan atau sewa dari pemilik lahan", "Land owner's consent or lease"}, true, 5),
				pdfDoc("construction_drawing", Text{"Gambar konstruksi (reklame tetap)", "Construction drawing (permanent boards)"}, false, 10),
			},
		}},
		"pbg": {SLADays: 28, Definition: Definition{
			Name: Text{"Persetujuan Bangunan Gedung (PBG)", "Building approval (PBG)"},
			Description: Text{
				"Persetujuan sebelum membangun, mengubah atau merawat bangunan gedung, setelah konsultasi teknis dan pembayaran retribusi.",
				"Approval before building, altering or maintaining a building, after a technical consultation and payment of the levy."},
			NumberCode: "PBG", ValidityMonths: 36,
			Fields: []Field{
				holder(),
				address("site_address", Text{"Alamat lokasi bangunan", "Building site address"}),
				{Name: "function", Label: Text{"Fungsi bangunan", "Building use"}, Type: FieldSelect, Required: true,
					Options: []string{"residential", "business", "social_cultural", "religious", "mixed"}},
				{Name: "floor_area_m2", Label: Text{"Luas lantai (m²)", "Floor area (m²)"}, Type: FieldNumber, Required: true, Min: num(9), Max: num(200000)},
				{Name: "floors", Label: Text{"Jumlah lantai", "Floors"}, Type: FieldNumber, Required: true, Min: num(1), Max: num(60)},
				{Name: "land_certificate_no", Label: Text{"Nomor sertifikat tanah", "Land certificate number"}, Type: FieldString, Required: true, Max: num(60)},
			},
			Documents: []Document{
				idCard,
				pdfDoc("land_title", Text{"Sertifikat atau bukti hak atas tanah", "Land title or proof of right"}, true, 5),
				pdfDoc("architecture", Text{"Gambar arsitektur", "Architectural drawings"}, true, 10),
				pdfDoc("structure", Text{"Gambar dan perhitungan struktur", "Structural drawings and calculations"}, true, 10),
				pdfDoc("utilities", Text{"Gambar mekanikal, elektrikal dan plambing", "Mechanical, electrical and plumbing drawings"}, false, 10),
			},
		}},
		"usaha_mikro": {SLADays: 3, Definition: Definition{
			Name: Text{"Izin Usaha Mikro", "Micro business permit"},
			Description: Text{
				"Pendaftaran usaha mikro berisiko rendah di wilayah kota, untuk pelaku usaha yang sudah memiliki NIB.",
				"Registration of a low-risk micro business in the city, for businesses that already hold a business number (NIB)."},
			NumberCode: "UMK", ValidityMonths: 60,
			Fields: []Field{
				holder(),
				{Name: "business_name", Label: Text{"Nama usaha", "Business name"}, Type: FieldString, Required: true, Min: num(2), Max: num(120)},
				{Name: "nib", Label: Text{"Nomor Induk Berusaha (NIB)", "Business number (NIB)"}, Type: FieldString, Required: true, Min: num(13), Max: num(13)},
				{Name: "kbli", Label: Text{"Kode KBLI", "KBLI code"}, Type: FieldString, Required: true, Min: num(5), Max: num(5)},
				address("business_address", Text{"Alamat usaha", "Business address"}),
				{Name: "employees", Label: Text{"Jumlah pekerja", "Employees"}, Type: FieldNumber, Required: true, Min: num(0), Max: num(10)},
				{Name: "home_based", Label: Text{"Usaha rumahan", "Home-based"}, Type: FieldBoolean},
			},
			Documents: []Document{
				idCard,
				scanDoc("place_photo", Text{"Foto tempat usaha", "Photo of the premises"}, false),
			},
		}},
		"syuting": {SLADays: 7, Definition: Definition{
			Name: Text{"Izin Syuting", "Filming permit"},
			Description: Text{
				"Izin pengambilan gambar di ruang publik atau aset kota seperti Benteng Vastenburg dan Balai Kota.",
				"Permit to film in public spaces or on city property such as Fort Vastenburg and the City Hall."},
			NumberCode: "STG", ValidityMonths: 1, ValidUntilField: "shoot_end_date",
			Fields: []Field{
				holder(),
				{Name: "production_title", Label: Text{"Judul produksi", "Production title"}, Type: FieldString, Required: true, Max: num(150)},
				{Name: "production_kind", Label: Text{"Jenis produksi", "Kind of production"}, Type: FieldSelect, Required: true,
					Options: []string{"feature_film", "documentary", "commercial", "music_video", "student"}},
				address("locations", Text{"Lokasi pengambilan gambar", "Filming locations"}),
				{Name: "shoot_start_date", Label: Text{"Mulai syuting", "First shooting day"}, Type: FieldDate, Required: true},
				{Name: "shoot_end_date", Label: Text{"Selesai syuting", "Last shooting day"}, Type: FieldDate, Required: true},
				{Name: "crew_size", Label: Text{"Jumlah kru", "Crew size"}, Type: FieldNumber, Required: true, Min: num(1), Max: num(500)},
				{Name: "road_closure", Label: Text{"Perlu penutupan jalan", "Needs a road closure"}, Type: FieldBoolean},
			},
			Documents: []Document{
				idCard,
				pdfDoc("synopsis", Text{"Sinopsis dan daftar adegan di lokasi", "Synopsis and scenes on location"}, true, 5),
				pdfDoc("schedule", Text{"Jadwal syuting dan daftar kru", "Shooting schedule and crew list"}, true, 5),
				pdfDoc("site_consent", Text{"Persetujuan pengelola lokasi", "Consent of the site manager"}, false, 5),
			},
		}},
	}
}

// StandardCodes are the codes of StandardTypes in a fixed order.
var StandardCodes = []string{"keramaian", "reklame", "pbg", "usaha_mikro", "syuting"}

// SeedTypes adds the standard permit types that are missing, in tx.
func (s *Service) SeedTypes(ctx context.Context, tx *gorm.DB) error {
	types := StandardTypes()
	for _, code := range StandardCodes {
		var n int64
		if err := tx.WithContext(ctx).Model(&typeRow{}).Where("code = ?", code).Count(&n).Error; err != nil {
			return err
		}
		if n > 0 {
			continue
		}
		now := s.now()
		if err := tx.WithContext(ctx).Create(&typeRow{Code: code, CurrentVersion: 1, CreatedAt: now, UpdatedAt: now}).Error; err != nil {
			return fmt.Errorf("seed permit type %s: %w", code, err)
		}
		if _, err := s.insertVersion(ctx, tx, identity.Actor{}, code, 1, types[code]); err != nil {
			return err
		}
	}
	return nil
}
