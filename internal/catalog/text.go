package catalog

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/google/uuid"
	"golang.org/x/text/unicode/norm"
)

// foldSpecial covers letters that Unicode does not decompose into a base
// letter plus accents, as PostgreSQL's unaccent does.
var foldSpecial = map[rune]string{
	'ß': "ss", 'æ': "ae", 'œ': "oe", 'ø': "o", 'đ': "d", 'ð': "d", 'ł': "l", 'ı': "i", 'þ': "th",
}

// fold returns the accent- and case-insensitive form of s: lower-case ASCII
// letters and digits, words separated by single spaces. It matches the SQL
// function catalog_fold of the PostgreSQL migration, so text folded here
// compares equal to text folded there.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue // combining accent
		}
		r = unicode.ToLower(r)
		if sp, ok := foldSpecial[r]; ok {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(sp)
			space = false
			continue
		}
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			b.WriteRune(r)
			space = false
			continue
		}
		space = true
	}
	return b.String()
}

// Query limits keep search cheap whatever a client sends.
const (
	maxQueryLen    = 200
	maxQueryTokens = 8
	maxTokenLen    = 40
)

// tokens splits a search query into folded words, dropping duplicates and
// anything past the limits.
func tokens(q string) []string {
	if len(q) > maxQueryLen {
		q = q[:maxQueryLen]
	}
	var out []string
	for _, t := range strings.Fields(fold(q)) {
		if len(t) > maxTokenLen {
			t = t[:maxTokenLen]
		}
		dup := false
		for _, o := range out {
			dup = dup || o == t
		}
		if !dup {
			out = append(out, t)
		}
		if len(out) == maxQueryTokens {
			break
		}
	}
	return out
}

const maxSlugLen = 80

// slugify makes the URL name of a listing from its Indonesian name: folded
// words joined by hyphens, cut at a word boundary. A name with no letters or
// digits, or one that would read as a UUID, gets a prefix so that
// GET /{kind}/{idOrSlug} stays unambiguous.
func slugify(name string) string {
	s := strings.ReplaceAll(fold(name), " ", "-")
	if len(s) > maxSlugLen {
		s = s[:maxSlugLen]
		if i := strings.LastIndexByte(s, '-'); i > maxSlugLen/2 {
			s = s[:i]
		}
		s = strings.TrimRight(s, "-")
	}
	if s == "" {
		return "listing"
	}
	if _, err := uuid.Parse(s); err == nil {
		return "listing-" + s
	}
	return s
}

const (
	snippetBefore = 8  // words shown before the first match
	snippetWords  = 28 // words in a snippet
)

// snippet returns a short excerpt of text around the first word that starts
// with one of toks (folded), with an ellipsis where text was cut. Without a
// match it is the start of text.
func snippet(text string, toks []string) string {
	words := strings.Fields(text)
	if len(words) == 0 {
		return ""
	}
	hit := -1
	for i, w := range words {
		fw := fold(w)
		for _, t := range toks {
			if hasWordPrefix(fw, t) {
				hit = i
				break
			}
		}
		if hit >= 0 {
			break
		}
	}
	start := 0
	if hit > snippetBefore {
		start = hit - snippetBefore
	}
	end := min(start+snippetWords, len(words))
	if end-start < snippetWords && start > 0 {
		start = max(0, end-snippetWords)
	}
	out := strings.Join(words[start:end], " ")
	if start > 0 {
		out = "…" + out
	}
	if end < len(words) {
		out = strings.TrimRight(out, ",;:") + "…"
	}
	return out
}

// hasWordPrefix reports whether one of the words of folded text starts with t.
func hasWordPrefix(folded, t string) bool {
	for folded != "" {
		if strings.HasPrefix(folded, t) {
			return true
		}
		i := strings.IndexByte(folded, ' ')
		if i < 0 {
			return false
		}
		folded = folded[i+1:]
	}
	return false
}

// runeLen counts characters, for length limits stated in characters.
func runeLen(s string) int { return utf8.RuneCountInString(s) }
