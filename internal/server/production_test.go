package server_test

import (
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/solodestination/api/internal/apitest"
	"github.com/solodestination/api/internal/platform/config"
	"github.com/solodestination/api/internal/platform/web"
)

func TestHSTSOnlyInProduction(t *testing.T) {
	t.Parallel()
	dev := apitest.New(t)
	if h := dev.Get("/healthz", apitest.Anonymous).Header.Get("Strict-Transport-Security"); h != "" {
		t.Errorf("development sends HSTS %q: a laptop on plain HTTP would be pinned to HTTPS", h)
	}
	prod := apitest.New(t, func(c *config.Config) { c.AppEnv = config.Production; c.PaymentGateway = config.GatewayNone })
	for _, path := range []string{"/healthz", "/api/v1/attractions", "/swagger/index.html"} {
		if h := prod.Get(path, apitest.Anonymous).Header.Get("Strict-Transport-Security"); !strings.HasPrefix(h, "max-age=31536000") {
			t.Errorf("production %s: Strict-Transport-Security = %q", path, h)
		}
	}
}

var (
	inlineScript = regexp.MustCompile(`(?is)<script(?:\s[^>]*)?>(.*?)</script>`)
	scriptSrc    = regexp.MustCompile(`(?i)^<script[^>]*\ssrc=`)
	styleElement = regexp.MustCompile(`(?is)<style[^>]*>(.*?)</style>`)
	styleAttr    = regexp.MustCompile(`(?i)\sstyle="([^"]*)"`)
	eventAttr    = regexp.MustCompile(`(?i)\son[a-z]+=`)
)

func cspHash(s string) string {
	h := sha256.Sum256([]byte(s))
	return "'sha256-" + base64.StdEncoding.EncodeToString(h[:]) + "'"
}

// The JSON policy (default-src 'none') blanks Swagger UI; its own policy must
// let the page run while allowing no inline or remote script.
func TestSwaggerUIHasItsOwnCSP(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	page := api.Get("/swagger/index.html", apitest.Anonymous).Expect(200)
	csp := page.Header.Get("Content-Security-Policy")
	directives := map[string]string{}
	for _, d := range strings.Split(csp, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		directives[name] = value
	}
	if directives["script-src"] != "'self'" {
		t.Errorf("script-src = %q, want only 'self' (no inline, eval or CDN)", directives["script-src"])
	}
	for _, need := range []string{"style-src", "img-src", "connect-src"} {
		if !strings.Contains(directives[need], "'self'") {
			t.Errorf("%s = %q lacks 'self'; Swagger UI cannot load", need, directives[need])
		}
	}
	if directives["frame-ancestors"] != "'none'" || directives["default-src"] != "'none'" {
		t.Errorf("policy loosened beyond the page's needs: %q", csp)
	}
	if strings.Contains(csp, "http") || strings.Contains(csp, "'unsafe-inline'") || strings.Contains(csp, "'unsafe-eval'") {
		t.Errorf("policy allows remote or inline code: %q", csp)
	}

	// Everything inline in the page must be covered by a hash in the policy.
	body := string(page.Body)
	for _, m := range inlineScript.FindAllStringSubmatch(body, -1) {
		if !scriptSrc.MatchString(m[0]) && strings.TrimSpace(m[1]) != "" {
			t.Errorf("inline script the policy would block: %.60q", m[1])
		}
	}
	for _, m := range styleElement.FindAllStringSubmatch(body, -1) {
		if !strings.Contains(directives["style-src"], cspHash(m[1])) {
			t.Errorf("inline <style> not in style-src: %.60q", m[1])
		}
	}
	for _, m := range styleAttr.FindAllStringSubmatch(body, -1) {
		if !strings.Contains(directives["style-src"], cspHash(m[1])) {
			t.Errorf("style attribute %q not in style-src", m[1])
		}
	}
	if eventAttr.MatchString(body) {
		t.Error("inline event handler in the page")
	}
	for _, asset := range []string{"/swagger/swagger-ui-bundle.js", "/swagger/swagger-initializer.js", "/swagger/swagger-ui.css"} {
		api.Get(asset, apitest.Anonymous).Expect(200)
	}

	// JSON keeps the strict policy.
	if got := api.Get("/healthz", apitest.Anonymous).Header.Get("Content-Security-Policy"); got != "default-src 'none'; frame-ancestors 'none'" {
		t.Errorf("JSON CSP = %q", got)
	}
}

func TestTrailingSlashRedirectIgnoresForwardedPrefix(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	for _, tc := range []struct{ method, prefix string }{
		{"GET", "//evil.example"},
		{"GET", "https://evil.example/x"},
		{"GET", ""},
		{"POST", "//evil.example"},
	} {
		r := api.Do(apitest.Req{Method: tc.method, Path: "/api/v1/attractions/", Header: map[string]string{"X-Forwarded-Prefix": tc.prefix}})
		want := http.StatusMovedPermanently
		if tc.method != "GET" {
			want = http.StatusTemporaryRedirect
		}
		if loc := r.Header.Get("Location"); r.Code != want || loc != "/api/v1/attractions" {
			t.Errorf("%s with X-Forwarded-Prefix %q: %d Location %q, want %d /api/v1/attractions", tc.method, tc.prefix, r.Code, loc, want)
		}
	}
	api.Get("/api/v1/no-such-thing/", apitest.Anonymous).ExpectProblem(404, "not_found")
}

func TestCORSPreflightIsCachedForTwelveHours(t *testing.T) {
	t.Parallel()
	api := apitest.New(t)
	r := api.Do(apitest.Req{Method: "OPTIONS", Path: "/api/v1/auth/login", Header: map[string]string{
		"Origin": "https://app.surakarta.example", "Access-Control-Request-Method": "POST"}})
	if got := r.Header.Get("Access-Control-Max-Age"); got != "43200" {
		t.Fatalf("Access-Control-Max-Age = %q, want 43200 (12 h)", got)
	}
}

// Payment routes are mounted behind web.RequireEnabled(cfg.PaymentsEnabled(), …);
// with PAYMENT_GATEWAY=none they answer 503 before their handler runs.
func TestPaymentRoutesUnavailableWithoutGateway(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		gateway string
		status  int
	}{{config.GatewayNone, http.StatusServiceUnavailable}, {config.GatewaySandbox, http.StatusCreated}} {
		api := apitest.New(t, func(c *config.Config) { c.PaymentGateway = tc.gateway })
		ran := false
		api.Engine.POST("/api/v1/test-payments",
			web.RequireEnabled(api.App.Config.PaymentsEnabled(), "Payments are not available on this instance."),
			func(c *gin.Context) { ran = true; c.Status(http.StatusCreated) })
		r := api.Send("POST", "/api/v1/test-payments", map[string]any{}, apitest.Anonymous)
		if tc.status == http.StatusServiceUnavailable {
			r.ExpectProblem(tc.status, "unavailable")
			if ran {
				t.Error("payment handler ran with payments disabled")
			}
			continue
		}
		r.Expect(tc.status)
	}
}
