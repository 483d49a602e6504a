package catalog

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/solodestination/api/internal/platform/testdb"
	"github.com/solodestination/api/internal/platform/web"
)

func TestFold(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"Pasar Antik Triwindu (Windujenar)": "pasar antik triwindu windujenar",
		"  Café   Ñandú — Straße ":          "cafe nandu strasse",
		"Alun-alun Kidul":                   "alun alun kidul",
		"Solo 24 Jam Menari":                "solo 24 jam menari",
		"Økologisk Æble":                    "okologisk aeble",
		"¡¿…!":                              "",
	}
	for in, want := range tests {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSlugify(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"Keraton Kasunanan Surakarta Hadiningrat": "keraton-kasunanan-surakarta-hadiningrat",
		"Café Ñandú":                           "cafe-nandu",
		"Galabo (Gladag Langen Bogan)":         "galabo-gladag-langen-bogan",
		"!!!":                                  "listing",
		"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60": "listing-0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60",
	}
	for in, want := range tests {
		if got := slugify(in); got != want {
			t.Errorf("slugify(%q) = %q, want %q", in, got, want)
		}
	}
	long := slugify(strings.Repeat("Pasar Gede Hardjonagoro ", 10))
	if len(long) > maxSlugLen || strings.HasSuffix(long, "-") || !strings.HasPrefix(long, "pasar-gede-hardjonagoro-") {
		t.Errorf("long slug %q", long)
	}
}

func TestTokens(t *testing.T) {
	t.Parallel()
	got := tokens("  Serabi  NOTOSUMAN serabi, café!! ")
	want := []string{"serabi", "notosuman", "cafe"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("tokens = %q, want %q", got, want)
	}
	if len(tokens(strings.Repeat("a b c d e f g h i j ", 3))) != maxQueryTokens {
		t.Error("token count not capped")
	}
	if len(tokens("?!")) != 0 {
		t.Error("punctuation made tokens")
	}
}

func TestSnippet(t *testing.T) {
	t.Parallel()
	text := "Satu dua tiga empat lima enam tujuh delapan sembilan sepuluh sebelas dua belas tiga belas " +
		"empat belas Serabi Notosuman terkenal sejak 1923 dengan rasa gurih dan manis yang khas di kota Solo " +
		"dan banyak dibeli sebagai oleh-oleh oleh wisatawan dari luar kota setiap akhir pekan."
	s := snippet(text, []string{"notos"})
	if !strings.Contains(s, "Serabi Notosuman") || !strings.HasPrefix(s, "…") || !strings.HasSuffix(s, "…") {
		t.Errorf("snippet = %q", s)
	}
	if n := len(strings.Fields(strings.Trim(s, "…"))); n > snippetWords {
		t.Errorf("snippet has %d words", n)
	}
	if s := snippet("Pendek saja.", []string{"tidak"}); s != "Pendek saja." {
		t.Errorf("short text snippet = %q", s)
	}
	if s := snippet("Café di Solo", []string{"cafe"}); s != "Café di Solo" {
		t.Errorf("accented match = %q", s)
	}
}

func TestWordSimilarity(t *testing.T) {
	t.Parallel()
	// Examples from the pg_trgm documentation.
	if got := wordSimilarity("word", "two words"); math.Abs(got-0.8) > 1e-6 {
		t.Errorf("word_similarity(word, two words) = %v, want 0.8", got)
	}
	if got := wordSimilarity("serabi notosman", "serabi notosuman notosuman serabi"); got < similarityThreshold {
		t.Errorf("typo similarity %v below threshold", got)
	}
	if got := wordSimilarity("keraton", "pasar gede hardjonagoro pasar gede market"); got >= similarityThreshold {
		t.Errorf("unrelated similarity %v above threshold", got)
	}
}

// TestWordSimilarityMatchesPostgres checks the Go port against pg_trgm, so
// both databases rank typos alike. It needs PostgreSQL.
func TestWordSimilarityMatchesPostgres(t *testing.T) {
	if !testdb.IsPostgres() {
		t.Skip("needs TEST_DATABASE_URL")
	}
	t.Parallel()
	db := testdb.New(t)
	pairs := [][2]string{
		{"word", "two words"},
		{"serabi notosman", "serabi notosuman notosuman serabi"},
		{"keraton", "keraton kasunanan surakarta hadiningrat surakarta sunanate palace"},
		{"kera", "alun alun kidul keraton surakarta south square alun alun kidul"},
		{"lawe", "kampung batik laweyan laweyan batik village"},
		{"galbo", "galabo gladag langen bogan galabo night food court"},
		{"tengkleng bu edy", "tengkleng bu edi bu edi tengkleng"},
		{"sate", "sate kambing pak manto pak manto goat satay"},
		{"abc", "xyz"},
		{"mangkunegaran pura", "pura mangkunegaran mangkunegaran palace"},
	}
	for _, p := range pairs {
		var want float64
		if err := db.Raw("SELECT word_similarity(?, ?)::float8", p[0], p[1]).Scan(&want).Error; err != nil {
			t.Fatal(err)
		}
		if got := wordSimilarity(p[0], p[1]); math.Abs(got-want) > 1e-6 {
			t.Errorf("word_similarity(%q, %q): Go %v, PostgreSQL %v", p[0], p[1], got, want)
		}
		var folded string
		if err := db.WithContext(context.Background()).Raw("SELECT catalog_fold(?)", p[1]).Scan(&folded).Error; err != nil {
			t.Fatal(err)
		}
		if folded != fold(p[1]) {
			t.Errorf("catalog_fold(%q) = %q, Go fold %q", p[1], folded, fold(p[1]))
		}
	}
}

func TestNegotiateLang(t *testing.T) {
	t.Parallel()
	tests := []struct {
		query, header string
		want          Lang
	}{
		{"", "", LangID},
		{"en", "", LangEN},
		{"EN", "", LangEN},
		{"all", "en", LangAll},
		{"fr", "en", LangID},
		{"id", "en", LangID},
		{"", "en-US,en;q=0.9", LangEN},
		{"", "fr-FR, en;q=0.5, id;q=0.8", LangID},
		{"", "fr-FR, en;q=0.9, id;q=0.8", LangEN},
		{"", "de, fr", LangID},
		{"", "in-ID", LangID},
		{"", "en;q=0", LangID},
	}
	for _, tc := range tests {
		if got := web.NegotiateLang(tc.query, tc.header); got != tc.want {
			t.Errorf("NegotiateLang(%q, %q) = %q, want %q", tc.query, tc.header, got, tc.want)
		}
	}
}
