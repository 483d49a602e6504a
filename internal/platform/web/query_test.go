package web_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/platform/web"
)

func TestParseFinite(t *testing.T) {
	for _, s := range []string{"NaN", "nan", "Inf", "+Inf", "-inf", "infinity", "1e999", "", "1,5", "0x1p-2x"} {
		if f, err := web.ParseFinite(s); err == nil {
			t.Errorf("ParseFinite(%q) = %v, want an error", s, f)
		}
	}
	for s, want := range map[string]float64{"4.5": 4.5, "-7.5755": -7.5755, "0": 0, "1e3": 1000} {
		if f, err := web.ParseFinite(s); err != nil || f != want {
			t.Errorf("ParseFinite(%q) = %v, %v", s, f, err)
		}
	}
}

func TestCleanURL(t *testing.T) {
	gin.SetMode(gin.TestMode)
	r := gin.New()
	r.GET("/x/:id", web.CleanURL(), func(c *gin.Context) {
		f, ok, err := web.QueryFloat(c, "min", 0, 5)
		if err != nil {
			web.RenderError(c, err)
			return
		}
		c.JSON(http.StatusOK, gin.H{"min": f, "set": ok})
	})
	cases := map[string]int{
		"/x/abc":                         200,
		"/x/Solo%20Batik?q=caf%C3%A9":    200,
		"/x/abc?min=4.5":                 200,
		"/x/abc?min=NaN":                 400,
		"/x/abc?min=6":                   400,
		"/x/%00":                         400,
		"/x/%FF":                         400,
		"/x/%E2%80%AEabc":                400,
		"/x/a%0Ab":                       400,
		"/x/abc?q=a%00b":                 400,
		"/x/abc?q=%C2%85":                400,
		"/x/abc?q=%E2%81%A6x":            400,
		"/x/abc?q=line%0Abreak":          400,
		"/x/abc?%FF=1":                   400,
		"/x/abc?q=100%":                  400,
		"/x/abc?q=%E2%80%8D&r=%F0%9F%99": 400, // truncated emoji is not UTF-8
	}
	for path, want := range cases {
		rec := httptest.NewRecorder()
		r.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
		if rec.Code != want {
			t.Errorf("%s: status %d, want %d; %s", path, rec.Code, want, rec.Body)
		}
	}
}
