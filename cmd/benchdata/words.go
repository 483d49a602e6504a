package main

// Word lists for plausible Surakarta listings. Each pair is Indonesian then
// English; names are composed from them so text search and suggestions meet
// the kind of vocabulary real listings have.

type pair struct{ id, en string }

// Neighbourhoods (kelurahan) of Surakarta, used as place words in names.
var places = []string{
	"Laweyan", "Kauman", "Jebres", "Banjarsari", "Kliwon", "Serengan", "Baluwarti",
	"Keprabon", "Sriwedari", "Manahan", "Balekambang", "Kottabarat", "Mojosongo",
	"Sudiroprajan", "Kepatihan", "Gandekan", "Sangkrah", "Semanggi", "Purwosari",
	"Kerten", "Jajar", "Karangasem", "Pajang", "Sondakan", "Tipes", "Danukusuman",
	"Joyotakan", "Gilingan", "Nusukan", "Kadipiro", "Sumber", "Punggawan", "Timuran",
	"Ketelan", "Stabelan", "Tegalharjo", "Jagalan", "Pucangsawit", "Kampung Baru",
	"Ngarsopuro", "Gajahan", "Kemlayan", "Penumping", "Panularan", "Bumi",
	"Kratonan", "Jayengan", "Mangkubumen", "Setabelan", "Colomadu", "Kartasura",
	"Palur", "Grogol", "Solo Baru", "Mojolaban", "Gentan", "Makamhaji",
}

// Streets of Surakarta for addresses.
var streets = []string{
	"Jl. Slamet Riyadi", "Jl. Adi Sucipto", "Jl. Urip Sumoharjo", "Jl. Ir. Sutami",
	"Jl. Ahmad Yani", "Jl. Veteran", "Jl. Dr. Radjiman", "Jl. Honggowongso",
	"Jl. Gatot Subroto", "Jl. Yos Sudarso", "Jl. Kapten Mulyadi", "Jl. Teuku Umar",
	"Jl. Diponegoro", "Jl. Ronggowarsito", "Jl. Kolonel Sutarto", "Jl. Ir. Juanda",
	"Jl. Letjen Suprapto", "Jl. MT Haryono", "Jl. Bhayangkara", "Jl. Dr. Moewardi",
	"Jl. Hasanudin", "Jl. Sam Ratulangi", "Jl. Dr. Supomo", "Jl. Brigjen Katamso",
	"Jl. Kyai Mojo", "Jl. Sultan Syahrir", "Jl. Monginsidi", "Jl. Arifin",
}

var districts = []string{"Laweyan", "Serengan", "Pasar Kliwon", "Jebres", "Banjarsari"}

// Attraction place types per category code.
var attractionTypes = map[string][]pair{
	"heritage_palace":   {{"Ndalem", "Residence"}, {"Pura", "Palace"}, {"Keraton", "Palace"}, {"Pendapa", "Pavilion"}},
	"museum":            {{"Museum", "Museum"}, {"Galeri", "Gallery"}, {"Rumah Koleksi", "Collection House"}},
	"religious_site":    {{"Masjid", "Mosque"}, {"Gereja", "Church"}, {"Klenteng", "Temple"}, {"Vihara", "Monastery"}, {"Makam", "Tomb"}},
	"market":            {{"Pasar", "Market"}, {"Pasar Malam", "Night Market"}, {"Pasar Seni", "Art Market"}},
	"batik_village":     {{"Kampung Batik", "Batik Village"}, {"Griya Batik", "Batik House"}, {"Sentra Batik", "Batik Centre"}},
	"park":              {{"Taman", "Park"}, {"Alun-alun", "Square"}, {"Hutan Kota", "City Forest"}, {"Taman Tepi Sungai", "Riverside Park"}},
	"historic_building": {{"Benteng", "Fort"}, {"Loji", "Colonial House"}, {"Gedung", "Hall"}, {"Monumen", "Monument"}, {"Stasiun Lama", "Old Station"}},
	"performing_arts":   {{"Sanggar Seni", "Arts Studio"}, {"Gedung Wayang", "Puppet Theatre"}, {"Panggung", "Stage"}, {"Pendapa Seni", "Arts Pavilion"}},
	"family_recreation": {{"Taman Satwa", "Zoo"}, {"Wisata Air", "Water Park"}, {"Kolam Renang", "Swimming Pool"}, {"Taman Bermain", "Playground"}, {"Kebun Edukasi", "Learning Garden"}},
	"creative_hub":      {{"Ruang Kreatif", "Creative Space"}, {"Studio", "Studio"}, {"Galeri Kreatif", "Creative Gallery"}, {"Rumah Budaya", "Culture House"}},
}

// Themes qualify attraction and event names ("Museum Batik Laweyan").
var themes = []pair{
	{"Batik", "Batik"}, {"Wayang", "Puppet"}, {"Keris", "Keris"}, {"Gamelan", "Gamelan"},
	{"Keroncong", "Keroncong"}, {"Jamu", "Herbal"}, {"Lurik", "Lurik"}, {"Sejarah", "History"},
	{"Budaya", "Culture"}, {"Seni", "Art"}, {"Tari", "Dance"}, {"Kriya", "Craft"},
	{"Pusaka", "Heirloom"}, {"Sastra", "Literature"}, {"Fotografi", "Photography"},
	{"Lampion", "Lantern"}, {"Kopi", "Coffee"}, {"Rempah", "Spice"},
}

// Culinary place types; the category picks among them.
var (
	warung     = pair{"Warung", "Stall"}
	depot      = pair{"Depot", "Eatery"}
	kedai      = pair{"Kedai", "Shop"}
	rumahMakan = pair{"Rumah Makan", "Restaurant"}
	lesehan    = pair{"Lesehan", "Floor-Seating Eatery"}
	angkringan = pair{"Angkringan", "Angkringan Stall"}
	wedangan   = pair{"Wedangan", "Wedangan Stall"}
	resto      = pair{"Resto", "Restaurant"}
	kafe       = pair{"Kafe", "Cafe"}
	tokoRoti   = pair{"Toko Roti", "Bakery"}
	pusat      = pair{"Pusat Kuliner", "Food Court"}
)

type culinaryCategory struct {
	types  []pair
	dishes []pair
}

var culinaryKinds = map[string]culinaryCategory{
	"rice_dish":         {[]pair{warung, depot, rumahMakan, lesehan}, []pair{{"Nasi Liwet", "Coconut Rice"}, {"Gudeg", "Gudeg"}, {"Nasi Pecel", "Pecel Rice"}, {"Nasi Goreng", "Fried Rice"}, {"Nasi Rames", "Mixed Rice"}, {"Nasi Timlo", "Timlo Rice"}}},
	"soup":              {[]pair{warung, depot, kedai}, []pair{{"Soto", "Soto Soup"}, {"Timlo", "Timlo Soup"}, {"Sop Buntut", "Oxtail Soup"}, {"Tengkleng", "Goat Rib Stew"}, {"Garang Asem", "Sour Chicken Stew"}, {"Soto Daging", "Beef Soto"}}},
	"satay_grill":       {[]pair{warung, depot, lesehan, rumahMakan}, []pair{{"Sate Kambing", "Goat Satay"}, {"Sate Buntel", "Minced Goat Satay"}, {"Sate Ayam", "Chicken Satay"}, {"Sate Kere", "Tempeh Satay"}, {"Ayam Bakar", "Grilled Chicken"}, {"Iga Bakar", "Grilled Ribs"}}},
	"noodle_meatball":   {[]pair{warung, depot, kedai}, []pair{{"Bakso", "Meatball Soup"}, {"Mie Ayam", "Chicken Noodles"}, {"Bakmi Jawa", "Javanese Noodles"}, {"Mie Thoprak", "Thoprak Noodles"}, {"Bakso Urat", "Tendon Meatballs"}}},
	"traditional_snack": {[]pair{warung, kedai}, []pair{{"Serabi", "Serabi Pancake"}, {"Intip", "Rice Crust"}, {"Cabuk Rambak", "Cabuk Rambak"}, {"Getuk", "Cassava Cake"}, {"Karak", "Rice Crackers"}, {"Lenjongan", "Lenjongan Sweets"}, {"Kue Ganjel Rel", "Ganjel Rel Cake"}}},
	"dessert_drink":     {[]pair{warung, kedai, kafe}, []pair{{"Dawet Telasih", "Basil Seed Dawet"}, {"Es Gempol", "Gempol Ice"}, {"Wedang Ronde", "Ginger Dumpling Drink"}, {"Tahok", "Tofu Pudding"}, {"Es Kapal", "Coconut Ice"}, {"Es Dawet", "Iced Dawet"}}},
	"bakery":            {[]pair{tokoRoti, kedai}, []pair{{"Roti Kecik", "Kecik Bread"}, {"Roti Mandarin", "Mandarin Cake"}, {"Bolu", "Sponge Cake"}, {"Kue Lumpur", "Custard Cake"}, {"Roti Sisir", "Comb Bread"}}},
	"wedangan":          {[]pair{wedangan, angkringan}, []pair{{"Wedang Jahe", "Ginger Tea"}, {"Teh Kampul", "Citrus Tea"}, {"Sego Kucing", "Cat Rice"}, {"Wedang Uwuh", "Spiced Wood Tea"}, {"Susu Jahe", "Ginger Milk"}}},
	"culinary_center":   {[]pair{pusat}, []pair{{"Jajanan", "Street Food"}, {"Kuliner Malam", "Night Food"}, {"Kuliner Nusantara", "Indonesian Food"}}},
	"restaurant":        {[]pair{rumahMakan, resto, kafe}, []pair{{"Selat Solo", "Solo Beef Salad"}, {"Bestik", "Javanese Steak"}, {"Timlo", "Timlo Soup"}, {"Garang Asem", "Sour Chicken Stew"}, {"Ayam Goreng", "Fried Chicken"}, {"Sayur Asem", "Tamarind Soup"}}},
}

// Owners give culinary names their familiar "Pak Budi" ring.
var owners = []string{
	"Pak Budi", "Bu Sri", "Mbah Karto", "Pak Slamet", "Bu Tini", "Mas Joko", "Mbak Wati",
	"Pak Harjo", "Bu Darmi", "Mbok Giyem", "Pak Kardi", "Bu Endang", "Mas Agus", "Pak Wiryo",
	"Bu Lastri", "Pak Gino", "Bu Ning", "Cak Hasan", "Pak Yanto", "Bu Warsi", "Mbah Marto",
	"Pak Darmo", "Bu Suharti", "Mas Bayu", "Pak Tarno", "Bu Yuli", "Koh Liong", "Cik Mei",
	"Pak Dullah", "Bu Parmi", "Mbak Rini", "Pak Sugeng", "Bu Atik", "Mas Dimas", "Pak Min",
}

type eventCategory struct {
	types []pair
}

var eventKinds = map[string]eventCategory{
	"festival":          {[]pair{{"Festival", "Festival"}, {"Solo Fest", "Fest"}}},
	"carnival":          {[]pair{{"Karnaval", "Carnival"}, {"Kirab", "Procession"}}},
	"music":             {[]pair{{"Konser", "Concert"}, {"Malam Keroncong", "Keroncong Night"}, {"Panggung Musik", "Music Stage"}, {"Jazz", "Jazz Night"}}},
	"performing_arts":   {[]pair{{"Pagelaran Wayang", "Puppet Show"}, {"Pentas Tari", "Dance Performance"}, {"Ketoprak", "Ketoprak Theatre"}, {"Wayang Orang", "Wayang Orang Show"}}},
	"tradition_ritual":  {[]pair{{"Grebeg", "Grebeg Ceremony"}, {"Kirab Pusaka", "Heirloom Procession"}, {"Sedekah Bumi", "Harvest Thanksgiving"}, {"Jamasan", "Heirloom Cleansing"}}},
	"religious":         {[]pair{{"Pengajian Akbar", "Grand Sermon"}, {"Sholawat Bersama", "Sholawat Gathering"}, {"Perayaan Natal", "Christmas Celebration"}, {"Doa Bersama", "Interfaith Prayer"}}},
	"culinary_festival": {[]pair{{"Festival Kuliner", "Food Festival"}, {"Bazar Kuliner", "Food Bazaar"}, {"Pasar Malam", "Night Market"}}},
	"exhibition":        {[]pair{{"Pameran", "Exhibition"}, {"Expo", "Expo"}, {"Gelar Karya", "Showcase"}}},
}

var venues = []string{
	"Benteng Vastenburg", "Pura Mangkunegaran", "Taman Balekambang", "Taman Sriwedari",
	"Pasar Gede", "Balai Kota Surakarta", "Stadion Manahan", "Ngarsopuro", "Taman Budaya Jawa Tengah",
	"Solo Technopark", "Lokananta", "Pendapi Gede", "Alun-alun Utara", "The Park Mall", "Loji Gandrung",
}

var organizers = []string{
	"Dinas Kebudayaan dan Pariwisata Kota Surakarta", "Sanggar Seni Soeryo Soemirat",
	"Komunitas Keroncong Solo", "Paguyuban Pedagang Pasar Gede", "Solo Creative City Network",
	"Himpunan Pengusaha Batik Laweyan", "Karang Taruna Kelurahan", "Institut Seni Indonesia Surakarta",
	"Komunitas Fotografi Solo", "Takmir Masjid Agung",
}

var tagPools = map[string][]string{
	"attraction": {"heritage", "photo_spot", "family", "javanese_culture", "history", "free_entry", "outdoor",
		"indoor", "kids", "batik", "architecture", "royal", "guided_tour", "shopping", "religious", "art",
		"nature", "wheelchair_access"},
	"culinary": {"halal", "legendary", "javanese", "budget", "night_food", "breakfast", "street_food", "family",
		"spicy", "parking", "cash_only", "vegetarian_friendly", "air_conditioned", "delivery"},
	"event": {"free_entry", "family", "culture", "music", "outdoor", "night", "ticketed", "dance", "parade",
		"food", "kids", "art", "religious", "workshop"},
}

// Description sentences; %s slots are filled with the name, place and theme.
var descAttraction = []pair{
	{"%s adalah tujuan favorit di kawasan %s untuk mengenal %s khas Surakarta.", "%s is a favourite stop in %s for discovering Surakarta's %s."},
	{"Pengunjung dapat berkeliling bersama pemandu dan berfoto di halaman yang asri.", "Visitors can tour with a guide and take photos in the leafy courtyard."},
	{"Tempat ini ramai pada akhir pekan, datanglah pagi hari agar lebih nyaman.", "It gets busy at weekends, so come in the morning for a calmer visit."},
	{"Kenakan pakaian sopan dan jaga kebersihan selama berkunjung.", "Dress modestly and keep the grounds clean during your visit."},
	{"Lokasinya mudah dijangkau dengan Batik Solo Trans atau becak.", "It is easy to reach by Batik Solo Trans bus or pedicab."},
}

var descCulinary = []pair{
	{"%s menyajikan %s dengan resep turun-temurun di kawasan %s.", "%s serves %s from a family recipe in %s."},
	{"Porsinya pas, harganya bersahabat, dan pelayanannya cepat.", "Portions are generous, prices friendly and service quick."},
	{"Pelanggan setia datang sejak pagi, jadi antrean kadang mengular.", "Regulars arrive early, so expect a queue at peak times."},
	{"Cocok untuk makan bersama keluarga setelah berkeliling kota.", "A good place for a family meal after a day in the city."},
	{"Tersedia tempat duduk lesehan dan area parkir sepeda motor.", "There is floor seating and parking for motorbikes."},
}

var descEvent = []pair{
	{"%s digelar di %s dan menampilkan ragam %s dari seniman lokal.", "%s takes place at %s and showcases %s by local artists."},
	{"Acara terbuka untuk umum dan ramah keluarga.", "The event is open to the public and family friendly."},
	{"Datanglah lebih awal untuk mendapatkan tempat terbaik.", "Arrive early to get the best spot."},
	{"Panitia menyediakan area kuliner dan tempat istirahat.", "The organisers provide a food area and rest spots."},
	{"Jadwal dapat berubah mengikuti cuaca dan arahan panitia.", "The schedule may change with the weather and the organisers' notice."},
}
