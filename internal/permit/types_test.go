package permit_test

import (
	"net/http"
	"testing"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/identity"
)

type permitType struct {
	Code       string `json:"code"`
	Version    int    `json:"version"`
	Name       any    `json:"name"`
	Department string `json:"department"`
	SLADays    int    `json:"sla_days"`
	Fields     []struct {
		Name     string   `json:"name"`
		Type     string   `json:"type"`
		Required bool     `json:"required"`
		Options  []string `json:"options"`
	} `json:"fields"`
	Documents []struct {
		Code         string   `json:"code"`
		Required     bool     `json:"required"`
		ContentTypes []string `json:"content_types"`
		MaxBytes     int64    `json:"max_bytes"`
	} `json:"documents"`
	LeadTime *struct {
		Field     string `json:"field"`
		DateField string `json:"date_field"`
		Days      []struct {
			Value string `json:"value"`
			Days  int    `json:"days"`
		} `json:"days"`
	} `json:"lead_time"`
}

func TestListTypes(t *testing.T) {
	w := newWorld(t)
	res := w.api.Get("/api/v1/permits/types?lang=en", apitest.Anonymous).Expect(http.StatusOK)
	var list struct{ Data []permitType }
	res.JSON(&list)
	byCode := map[string]permitType{}
	for _, p := range list.Data {
		byCode[p.Code] = p
	}
	for _, code := range []string{"keramaian", "reklame", "pbg", "usaha_mikro", "syuting", "izin_uji"} {
		p, ok := byCode[code]
		if !ok || p.Department != "licensing" || p.SLADays < 1 || len(p.Fields) == 0 {
			t.Fatalf("type %s: %+v", code, p)
		}
	}
	k := byCode["keramaian"]
	if k.Name != "Crowd event permit" || k.LeadTime == nil || len(k.LeadTime.Days) != 3 ||
		k.LeadTime.Days[0].Value != "local" || k.LeadTime.Days[0].Days != 14 || k.LeadTime.Days[2].Days != 30 {
		t.Fatalf("keramaian %+v", k)
	}
	for _, d := range k.Documents {
		if d.MaxBytes > 10<<20 || len(d.ContentTypes) == 0 {
			t.Fatalf("document %+v", d)
		}
	}
	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	w.api.Do(apitest.Req{Method: http.MethodGet, Path: "/api/v1/permits/types?lang=en",
		Header: map[string]string{"If-None-Match": etag}}).Expect(http.StatusNotModified)
}

// A changed type is a new version: an application made before keeps the
// version it was made under, new ones get the new one.
func TestTypeVersions(t *testing.T) {
	w := newWorld(t)
	owner := w.api.User("sari")
	before := w.simple(t, owner)

	changed := simpleType("izin_uji", 9)
	changed["fields"] = append(changed["fields"].([]map[string]any),
		map[string]any{"name": "purpose", "label": map[string]string{"id": "Tujuan", "en": "Purpose"}, "type": "text", "required": true})
	var pt permitType
	w.api.Send(http.MethodPut, "/api/v1/permits/types/izin_uji", changed, w.licensing).Expect(http.StatusOK).JSON(&pt)
	if pt.Version != 2 || pt.SLADays != 9 {
		t.Fatalf("new version %+v", pt)
	}
	// The old application still validates and submits under version 1.
	w.api.Send(http.MethodPatch, path(before, ""), map[string]any{"data": map[string]any{"holder_name": "Sari W", "count": 2}}, owner).
		Expect(http.StatusOK)
	var got application
	w.api.Send(http.MethodPost, path(before, "/submit"), nil, owner).Expect(http.StatusOK).JSON(&got)
	if got.TypeVersion != 1 {
		t.Fatalf("type_version %d, want 1", got.TypeVersion)
	}
	// A new one needs the new field.
	p := w.api.Send(http.MethodPost, "/api/v1/permits/applications",
		map[string]any{"type": "izin_uji", "data": map[string]any{"holder_name": "Sari"}}, owner).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	if len(p.Errors) != 1 || p.Errors[0].Field != "data.purpose" {
		t.Fatalf("errors %+v", p.Errors)
	}
	// The change is audited.
	var n int64
	w.api.DB.Raw("SELECT count(*) FROM audit_log WHERE entity = 'permit_type' AND entity_id = 'izin_uji'").Scan(&n)
	if n != 2 {
		t.Fatalf("%d audit entries, want 2", n)
	}
}

func TestTypeWritesAllowedAndDenied(t *testing.T) {
	w := newWorld(t)
	body := simpleType("izin_baru", 3)
	for _, as := range []apitest.Actor{w.api.User("sari"), w.api.Staff(identity.DeptTourism)} {
		w.api.Send(http.MethodPost, "/api/v1/permits/types", body, as).ExpectProblem(http.StatusForbidden, "forbidden")
		w.api.Send(http.MethodPut, "/api/v1/permits/types/izin_uji", body, as).ExpectProblem(http.StatusForbidden, "forbidden")
	}
	w.api.Send(http.MethodPost, "/api/v1/permits/types", body, apitest.Anonymous).Expect(http.StatusUnauthorized)
	w.api.Send(http.MethodPost, "/api/v1/permits/types", body, w.api.Admin()).Expect(http.StatusCreated)
	w.api.Send(http.MethodPost, "/api/v1/permits/types", body, w.licensing).ExpectProblem(http.StatusConflict, "permit_type_exists")
	w.api.Send(http.MethodPut, "/api/v1/permits/types/tidak_ada", body, w.licensing).ExpectProblem(http.StatusNotFound, "not_found")

	bad := simpleType("izin_salah", 3)
	bad["sla_days"] = 0
	bad["fields"] = []map[string]any{
		{"name": "pilihan", "label": map[string]string{"id": "P", "en": "P"}, "type": "select"},
		{"name": "pilihan", "label": map[string]string{"id": "P", "en": "P"}, "type": "colour"},
	}
	bad["documents"] = []map[string]any{{"code": "ktp", "name": map[string]string{"id": "KTP", "en": "ID"},
		"content_types": []string{"text/html"}, "max_bytes": 20 << 20}}
	p := w.api.Do(apitest.Req{Method: http.MethodPost, Path: "/api/v1/permits/types", Body: bad, As: w.licensing, Invalid: true}).
		ExpectProblem(http.StatusUnprocessableEntity, "validation_failed")
	want := map[string]bool{"sla_days": true, "fields[0].options": true, "fields[1].name": true, "fields[1].type": true,
		"documents[0].content_types": true, "documents[0].max_bytes": true}
	got := map[string]bool{}
	for _, e := range p.Errors {
		got[e.Field] = true
	}
	for f := range want {
		if !got[f] {
			t.Errorf("no error on %s: %+v", f, p.Errors)
		}
	}
}
