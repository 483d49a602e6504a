package apitest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// recorder stands in for the test's testing.TB so the harness's verdicts
// can be read instead of failing this test.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// TestHarnessHoldsExchangesToTheDocument shows that Do fails a test whose
// exchange api/openapi.yaml does not describe, and passes one it does.
func TestHarnessHoldsExchangesToTheDocument(t *testing.T) {
	t.Parallel()
	api := New(t)
	json := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	problemJSON := http.Header{"Content-Type": {"application/problem+json"}}
	problem := []byte(`{"type":"https://solo-destination.example/problems/bad_request","title":"Bad request","status":400,"detail":"x","instance":"/api/v1/search","code":"bad_request"}`)

	cases := []struct {
		name    string
		req     Req
		body    []byte
		code    int
		header  http.Header
		resp    []byte
		wantErr string // empty: the exchange matches the document
	}{
		{"a documented answer passes", Req{Method: "GET", Path: "/api/v1/search/suggest?q=kera"}, nil, 200, json,
			[]byte(`{"data":[],"meta":{"limit":10,"next_cursor":null}}`), ""},
		{"a null cursor is documented", Req{Method: "GET", Path: "/api/v1/me/favorites"}, nil, 200, json,
			[]byte(`{"data":[],"meta":{"limit":20,"next_cursor":null}}`), ""},
		{"a localised name may be an object", Req{Method: "GET", Path: "/api/v1/search/suggest?q=kera&lang=all"}, nil, 200, json,
			[]byte(`{"data":[{"type":"attraction","id":"0193a5b2-7c1e-7d3f-9a42-1b2c3d4e5f60","slug":"keraton","name":{"id":"Keraton","en":"Palace"}}],"meta":{"limit":10,"next_cursor":null}}`), ""},
		{"a body the schema does not allow fails", Req{Method: "GET", Path: "/api/v1/search/suggest?q=kera"}, nil, 200, json,
			[]byte(`{"data":[{"type":"hotel"}],"meta":{"limit":10,"next_cursor":null}}`), "does not match"},
		{"an undocumented status fails", Req{Method: "GET", Path: "/api/v1/categories"}, nil, 418, problemJSON, problem,
			"not documented"},
		{"a problem sent as application/json fails", Req{Method: "GET", Path: "/api/v1/search?q="}, nil, 400, json, problem,
			"does not match"},
		{"an invalid request answered 200 fails", Req{Method: "GET", Path: "/api/v1/attractions?limit=1000"}, nil, 200, json,
			[]byte(`{"data":[],"meta":{"limit":100,"next_cursor":null}}`), "breaks api/openapi.yaml"},
		{"an invalid request answered with a documented 400 passes", Req{Method: "GET", Path: "/api/v1/attractions?limit=1000"}, nil, 400, problemJSON,
			problem, ""},
		{"a request marked invalid that the document allows fails", Req{Method: "GET", Path: "/api/v1/attractions?limit=10", Invalid: true}, nil, 400, problemJSON,
			problem, "allows it"},
		{"an undocumented path fails", Req{Method: "GET", Path: "/api/v1/parking/zones"}, nil, 200, json, []byte(`[]`),
			"no such operation"},
		{"a body that breaks the request schema fails when accepted", Req{Method: "POST", Path: "/api/v1/auth/login"},
			[]byte(`{"email":"a@example.org"}`), 200, json, []byte(`{}`), "breaks api/openapi.yaml"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := &recorder{TB: t}
			a := *api
			a.T = rec
			var body *strings.Reader
			if c.body != nil {
				body = strings.NewReader(string(c.body))
			} else {
				body = strings.NewReader("")
			}
			req := httptest.NewRequest(c.req.Method, c.req.Path, body)
			if c.body != nil {
				req.Header.Set("Content-Type", "application/json")
			}
			a.checkAgainstSpec(c.req, req, c.body, c.code, c.header, c.resp)
			got := strings.Join(rec.errs, "\n")
			switch {
			case c.wantErr == "" && got != "":
				t.Errorf("want no complaint, got:\n%s", got)
			case c.wantErr != "" && !strings.Contains(got, c.wantErr):
				t.Errorf("want a complaint containing %q, got:\n%s", c.wantErr, got)
			}
		})
	}
}
