package replicatest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// client talks to the replicas over real HTTP, as a mobile app or a load
// balancer would. It is safe for concurrent use.
type client struct{ http *http.Client }

func newClient() *client {
	tr := &http.Transport{
		Proxy:               nil, // the replicas are local; ignore HTTP_PROXY
		MaxIdleConns:        2048,
		MaxIdleConnsPerHost: 1024,
		IdleConnTimeout:     30 * time.Second,
	}
	return &client{http: &http.Client{Transport: tr, Timeout: time.Minute}}
}

func (c *client) close() { c.http.CloseIdleConnections() }

// response is one answer; err is set when there was none.
type response struct {
	code   int
	header http.Header
	body   []byte
	err    error
}

// send makes one request; it does not touch t, so any goroutine may call it.
func (c *client) send(r *replica, method, path string, body any, token string, header map[string]string) response {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return response{err: err}
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, r.base+path, rd)
	if err != nil {
		return response{err: err}
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return response{err: err}
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return response{code: res.StatusCode, header: res.Header, body: b, err: err}
}

// do is send from the test's goroutine: a request that got no answer fails
// the test.
func (c *client) do(t *testing.T, r *replica, method, path string, body any, token string, header map[string]string) response {
	t.Helper()
	res := c.send(r, method, path, body, token, header)
	if res.err != nil {
		t.Fatalf("%s %s on %s: %v", method, path, r.name, res.err)
	}
	return res
}

// expect fails the test unless the answer has status code, and decodes
// its JSON body into out (when not nil).
func (res response) expect(t *testing.T, code int, out any) response {
	t.Helper()
	if res.code != code {
		t.Fatalf("status %d, want %d: %s", res.code, code, res.body)
	}
	if out != nil {
		if err := json.Unmarshal(res.body, out); err != nil {
			t.Fatalf("decode %s: %v", res.body, err)
		}
	}
	return res
}

// problemCode is the stable code of an application/problem+json answer, or
// "" when the answer is not one.
func (res response) problemCode() string {
	if !strings.HasPrefix(res.header.Get("Content-Type"), "application/problem+json") {
		return ""
	}
	var p struct {
		Code string `json:"code"`
	}
	if json.Unmarshal(res.body, &p) != nil {
		return ""
	}
	return p.Code
}

// expectProblem fails the test unless the answer is a problem document
// with status code and the given stable code.
func (res response) expectProblem(t *testing.T, code int, problem string) response {
	t.Helper()
	if res.code != code || res.problemCode() != problem {
		t.Fatalf("status %d %q, want %d %q: %s", res.code, res.problemCode(), code, problem, res.body)
	}
	return res
}

// session is what a login answers.
type session struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	User         struct {
		ID string `json:"id"`
	} `json:"user"`
}

func (c *client) login(r *replica, email, password string) response {
	return c.send(r, http.MethodPost, "/api/v1/auth/login", map[string]any{"email": email, "password": password}, "", nil)
}

func (c *client) refresh(r *replica, token string) response {
	return c.send(r, http.MethodPost, "/api/v1/auth/refresh", map[string]any{"refresh_token": token}, "", nil)
}
