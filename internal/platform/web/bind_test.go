package web_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
)

type sample struct {
	Name     string   `json:"name" binding:"required,max=20"`
	Count    int      `json:"count" binding:"gte=0,lte=10"`
	Tags     []string `json:"tags" binding:"max=3"`
	Password string   `json:"password" text:"secret"`
	Note     string   `json:"note" text:"multiline"`
	Inner    struct {
		Lat float64 `json:"lat" binding:"gte=-90,lte=90"`
	} `json:"inner"`
	Title *localized        `json:"title"`
	About *localized        `json:"about" text:"multiline"`
	Items []sampleItem      `json:"items"`
	Meta  map[string]string `json:"meta"`
	Extra any               `json:"extra"`
	When  *time.Time        `json:"when"`
}

type localized struct {
	ID string `json:"id"`
	EN string `json:"en"`
}

type sampleItem struct {
	Label string `json:"label"`
	Note  string `json:"note" text:"multiline"`
}

func (s *sample) Validate() map[string]string {
	if s.Name == "forbidden" {
		return map[string]string{"name": "is reserved"}
	}
	return nil
}

func bind(body []byte, contentType string) error {
	var s sample
	return bindInto(body, contentType, &s)
}

func bindInto(body []byte, contentType string, dst any) error {
	gin.SetMode(gin.TestMode)
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	c.Request.Header.Set("Content-Type", contentType)
	c.Request.Body = http.MaxBytesReader(nil, c.Request.Body, web.MaxJSONBody)
	return web.BindJSON(c, dst)
}

func TestBindJSONClassifiesErrors(t *testing.T) {
	cases := []struct {
		body string
		ct   string
		kind apperr.Kind
		ok   bool
	}{
		{`{"name":"ok","count":3,"inner":{"lat":-7.5}}`, "application/json; charset=utf-8", 0, true},
		{`{"name":"ok"}`, "application/json;charset=UTF-8", 0, true},
		{`{"name":"ok"}`, "application/problem+json", apperr.UnsupportedMediaType, false},
		{`{"name":"ok"}`, "application/merge-patch+json", apperr.UnsupportedMediaType, false},
		{`{"name":"ok"}`, "application/json; charset=iso-8859-1", apperr.UnsupportedMediaType, false},
		{`{"name":"ok"}`, "text/plain", apperr.UnsupportedMediaType, false},
		{`{"name":"ok"}`, "", apperr.UnsupportedMediaType, false},
		{`{"name":`, "application/json", apperr.Invalid, false},
		{`{"name": 5}`, "application/json", apperr.Invalid, false},
		{`"just a string"`, "application/json", apperr.Invalid, false},
		{``, "application/json", apperr.Invalid, false},
		{`{"name":"a"} trailing`, "application/json", apperr.Invalid, false},
		{`null`, "application/json", apperr.Invalid, false},
		{" null\n", "application/json", apperr.Invalid, false},
		{`{"name":"a","name":"b"}`, "application/json", apperr.Invalid, false},
		{`{"name":"a","meta":{"k":"1","k":"2"}}`, "application/json", apperr.Invalid, false},
		{"{\"name\":\"caf\xe9\"}", "application/json", apperr.Invalid, false},
		{`{"name":"a","when":"17 August 2026"}`, "application/json", apperr.Invalid, false},
		{`{"name":"a","when":"2026-08-17T19:00:00+07:00"}`, "application/json", 0, true},
		{`{"name":"a\u0000b"}`, "application/json", apperr.Unprocessable, false},
		{`{"name":"a\u202eb"}`, "application/json", apperr.Unprocessable, false},
		{`{"name":"line\nbreak"}`, "application/json", apperr.Unprocessable, false},
		{`{"name":"a","note":"line\nbreak\ttab"}`, "application/json", 0, true},
		{`{"name":"a","note":"bell\u0007"}`, "application/json", apperr.Unprocessable, false},
		{`{"name":"a","password":"tab\tand\u0001control"}`, "application/json", 0, true},
		{`{"name":"a","password":"nul\u0000"}`, "application/json", apperr.Unprocessable, false},
		{`{"count": 11, "tags": ["a","b","c","d"], "inner": {"lat": 91}}`, "application/json", apperr.Unprocessable, false},
		{`{"name":"forbidden"}`, "application/json", apperr.Unprocessable, false},
	}
	for _, tc := range cases {
		err := bind([]byte(tc.body), tc.ct)
		if tc.ok {
			if err != nil {
				t.Errorf("%s: %v", tc.body, err)
			}
			continue
		}
		if apperr.KindOf(err) != tc.kind {
			t.Errorf("%s (%s): kind %v (%v), want %v", tc.body, tc.ct, apperr.KindOf(err), err, tc.kind)
		}
	}
	e, _ := apperr.As(bind([]byte(`{"count": 11, "tags": ["a","b","c","d"], "inner": {"lat": 91}}`), "application/json"))
	for _, f := range []string{"name", "count", "tags", "inner.lat"} {
		if e.Fields[f] == "" {
			t.Errorf("no problem reported for %q: %v", f, e.Fields)
		}
	}
}

// TestBindJSONNamesFields checks that every problem names the value at
// fault by its JSON path, the way clients wrote it.
func TestBindJSONNamesFields(t *testing.T) {
	cases := []struct {
		body, field string
		kind        apperr.Kind
	}{
		{`{"name":"a","title":{"id":"ok","en":"x\u202ey"}}`, "title.en", apperr.Unprocessable},
		{`{"name":"a","about":{"id":"two\nlines","en":"\u0000"}}`, "about.en", apperr.Unprocessable},
		{`{"name":"a","items":[{"label":"a"},{"label":"b"},{"label":"c","note":"\u0085"}]}`, "items[2].note", apperr.Unprocessable},
		{`{"name":"a","items":[{"label":"a\nb"}]}`, "items[0].label", apperr.Unprocessable},
		{`{"name":"a","tags":["ok","\u2066"]}`, "tags[1]", apperr.Unprocessable},
		{`{"name":"a","meta":{"k":"\u001b[31m"}}`, "meta.k", apperr.Unprocessable},
		{`{"name":"a","meta":{"\u0000":"v"}}`, "meta", apperr.Unprocessable},
		{`{"name":"a","extra":{"deep":[{"x":"\u200f"}]}}`, "extra.deep[0].x", apperr.Unprocessable},
		{`{"name":"a","when":"2026-13-01"}`, "when", apperr.Invalid},
		{`{"name":"a","items":[{"label":"a"},{"note":1}]}`, "items[1].note", apperr.Invalid},
		{`{"name":"a","title":{"id":"x","id":"y"}}`, "title.id", apperr.Invalid},
	}
	for _, tc := range cases {
		e, ok := apperr.As(bind([]byte(tc.body), "application/json"))
		if !ok || e.Kind != tc.kind || e.Fields[tc.field] == "" {
			t.Errorf("%s: got %v, want kind %v naming %q", tc.body, e, tc.kind, tc.field)
		}
	}
}

// TestBindJSONMatchesKeysExactly checks that a key differing only in case is
// an unknown field, ignored, rather than a match as in encoding/json.
func TestBindJSONMatchesKeysExactly(t *testing.T) {
	var s sample
	if err := bindInto([]byte(`{"name":"kept","NAME":"other","Count":7}`), "application/json", &s); err != nil {
		t.Fatal(err)
	}
	if s.Name != "kept" || s.Count != 0 {
		t.Errorf("case-mismatched keys were matched: %+v", s)
	}
}

func TestTextProblem(t *testing.T) {
	cases := []struct {
		s    string
		rule web.TextRule
		ok   bool
	}{
		{"Keraton Surakarta", web.SingleLine, true},
		{"Ñandú · 日本 · 🙂 · \ufffd", web.SingleLine, true},
		{"a\x00b", web.SingleLine, false},
		{"a\xffb", web.SingleLine, false},
		{"a\nb", web.SingleLine, false},
		{"a\tb", web.SingleLine, false},
		{"a\nb\tc", web.MultiLine, true},
		{"a\rb", web.MultiLine, false},
		{"a\x7fb", web.MultiLine, false},
		{"a\u0085b", web.MultiLine, false},
		{"a\u009fb", web.SingleLine, false},
		{"Budi \u202eatawisiraP saniD\u202c", web.MultiLine, false},
		{"\u2066x\u2069", web.SingleLine, false},
		{"\u200e", web.SingleLine, false},
		{"\u200f", web.SingleLine, false},
		{"\u061c", web.SingleLine, false},
		{"\u200d", web.SingleLine, true}, // zero-width joiner builds emoji, it reorders nothing
		{"p\x01\n\u202e\xff", web.Secret, true},
		{"p\x00", web.Secret, false},
	}
	for _, tc := range cases {
		if got := web.TextProblem(tc.s, tc.rule) == ""; got != tc.ok {
			t.Errorf("TextProblem(%q, %d) ok = %v, want %v", tc.s, tc.rule, got, tc.ok)
		}
	}
}

// FuzzBindJSON checks that no body, however broken, panics the decoder or is
// classified as anything but a client error, and that a body it accepts holds
// no string its field may not store.
func FuzzBindJSON(f *testing.F) {
	for _, seed := range []string{
		`{"name":"x"}`, `{"name":`, `[]`, `null`, `{"inner":{"lat":1e999}}`, `{"tags":[1,2]}`, "\x00\xff", `{"name":"\ud800"}`,
		`{"name":"a\u0000"}`, "{\"name\":\"a\x00\"}", "{\"name\":\"\xff\"}", `{"name":"a","note":"x\ny\u0000"}`,
		`{"name":"a","title":{"id":"Budi \u202eatawisiraP\u202c","en":"x"}}`, `{"name":"a","about":{"id":"p1\n\np2\u0007"}}`,
		`{"name":"a","items":[{"label":"x","note":"\u0085"}]}`, `{"name":"a","meta":{"\u2066":"v"}}`,
		`{"name":"a","extra":[{"k":"\u061c"}]}`, `{"name":"a","password":"\u0001\t\u202e"}`, `{"name":"a","Name":"b","name":"c"}`,
		`{"name":"a","when":"2026-02-30T00:00:00Z"}`, `{"name":"\udc00\ud800"}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var s sample
		err := bindInto(body, "application/json", &s)
		if err == nil {
			for path, problem := range dirtyStrings(s) {
				t.Fatalf("body %q: accepted %s, which %s", body, path, problem)
			}
			return
		}
		switch apperr.KindOf(err) {
		case apperr.Invalid, apperr.Unprocessable, apperr.TooLarge:
		default:
			t.Fatalf("body %q: unexpected error kind %v: %v", body, apperr.KindOf(err), err)
		}
	})
}

// dirtyStrings lists the strings of s that break their field's rule, by a
// check written apart from the one under test.
func dirtyStrings(s sample) map[string]string {
	out := map[string]string{}
	check := func(path, v string, multiline bool) {
		if !utf8.ValidString(v) {
			out[path] = "is not UTF-8"
			return
		}
		for _, r := range v {
			allowed := multiline && (r == '\n' || r == '\t')
			if (r < 0x20 || (r >= 0x7f && r <= 0x9f)) && !allowed {
				out[path] = "holds a control character"
			}
			if strings.ContainsRune("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c", r) {
				out[path] = "holds a bidi control"
			}
		}
	}
	check("name", s.Name, false)
	check("note", s.Note, true)
	if strings.ContainsRune(s.Password, 0) {
		out["password"] = "holds NUL"
	}
	for _, tag := range s.Tags {
		check("tags", tag, false)
	}
	for _, l := range []struct {
		t     *localized
		multi bool
	}{{s.Title, false}, {s.About, true}} {
		if l.t != nil {
			check("localized", l.t.ID, l.multi)
			check("localized", l.t.EN, l.multi)
		}
	}
	for _, it := range s.Items {
		check("items.label", it.Label, false)
		check("items.note", it.Note, true)
	}
	for k, v := range s.Meta {
		check("meta key", k, false)
		check("meta", v, false)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			check("extra", v, false)
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			for k, e := range v {
				check("extra key", k, false)
				walk(e)
			}
		}
	}
	walk(s.Extra)
	return out
}
