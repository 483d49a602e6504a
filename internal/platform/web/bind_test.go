package web_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/apperr"
	"github.com/solodestination/api/internal/platform/web"
)

type sample struct {
	Name  string   `json:"name" binding:"required,max=20"`
	Count int      `json:"count" binding:"gte=0,lte=10"`
	Tags  []string `json:"tags" binding:"max=3"`
	Inner struct {
		Lat float64 `json:"lat" binding:"gte=-90,lte=90"`
	} `json:"inner"`
}

func (s *sample) Validate() map[string]string {
	if s.Name == "forbidden" {
		return map[string]string{"name": "is reserved"}
	}
	return nil
}

func bind(body []byte, contentType string) error {
	gin.SetMode(gin.TestMode)
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	c.Request.Header.Set("Content-Type", contentType)
	c.Request.Body = http.MaxBytesReader(nil, c.Request.Body, web.MaxJSONBody)
	var s sample
	return web.BindJSON(c, &s)
}

func TestBindJSONClassifiesErrors(t *testing.T) {
	cases := []struct {
		body string
		ct   string
		kind apperr.Kind
		ok   bool
	}{
		{`{"name":"ok","count":3,"inner":{"lat":-7.5}}`, "application/json; charset=utf-8", 0, true},
		{`{"name":"ok"}`, "application/problem+json", 0, true},
		{`{"name":"ok"}`, "text/plain", apperr.UnsupportedMediaType, false},
		{`{"name":"ok"}`, "", apperr.UnsupportedMediaType, false},
		{`{"name":`, "application/json", apperr.Invalid, false},
		{`{"name": 5}`, "application/json", apperr.Invalid, false},
		{`"just a string"`, "application/json", apperr.Invalid, false},
		{``, "application/json", apperr.Invalid, false},
		{`{"name":"a"} trailing`, "application/json", apperr.Invalid, false},
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

// FuzzBindJSON checks that no body, however broken, panics the decoder or is
// classified as anything but a client error.
func FuzzBindJSON(f *testing.F) {
	for _, seed := range []string{`{"name":"x"}`, `{"name":`, `[]`, `{"inner":{"lat":1e999}}`, `{"tags":[1,2]}`, "\x00\xff", `{"name":"\ud800"}`} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		err := bind(body, "application/json")
		if err == nil {
			return
		}
		switch apperr.KindOf(err) {
		case apperr.Invalid, apperr.Unprocessable, apperr.TooLarge:
		default:
			t.Fatalf("body %q: unexpected error kind %v: %v", body, apperr.KindOf(err), err)
		}
	})
}
