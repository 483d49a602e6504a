package replicatest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// buildAPI builds the API binary into dir with the go command (compiled
// packages come from the build cache, so this is mostly the link).
func buildAPI(dir string) (string, error) {
	bin := filepath.Join(dir, "api")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/solodestination/api/cmd/api")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/api: %v\n%s", err, out)
	}
	return bin, nil
}

// replica is one running API process.
type replica struct {
	name string
	base string // http://127.0.0.1:port
	cmd  *exec.Cmd
	out  *output
	done chan struct{} // closed when the process has exited
	err  error         // its exit, once done is closed
}

// output keeps what a process wrote (its log), for failure messages, and
// finds the address it printed when it began listening.
type output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *output) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(p)
}

func (o *output) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.String()
}

// listening is the line cmd/api prints once its listener is open.
var listening = regexp.MustCompile(`Solo Destination API on (http://\S+)`)

// start runs the binary with exactly env (nothing inherited from the test's
// environment, so a developer's DATABASE_URL cannot leak in) and waits until
// it answers /readyz with the database and Redis up.
func start(t *testing.T, bin, name string, env map[string]string) *replica {
	t.Helper()
	r := &replica{name: name, out: &output{}, done: make(chan struct{})}
	r.cmd = exec.Command(bin, "serve")
	for k, v := range env {
		r.cmd.Env = append(r.cmd.Env, k+"="+v)
	}
	r.cmd.Stdout, r.cmd.Stderr = r.out, r.out
	r.cmd.SysProcAttr = dieWithParent()
	if err := r.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() { r.err = r.cmd.Wait(); close(r.done) }()
	t.Cleanup(func() {
		select {
		case <-r.done:
		default: // the test failed before stopping it
			_ = r.cmd.Process.Kill()
			<-r.done
		}
		if t.Failed() {
			t.Logf("log of replica %s:\n%s", name, tail(r.out.String(), 60))
		}
	})
	return r
}

// ready waits for the replica to listen and answer /readyz with 200,
// the database and Redis both up.
func (r *replica) ready(t *testing.T, c *client, within time.Duration) {
	t.Helper()
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		select {
		case <-r.done:
			t.Fatalf("replica %s exited during start-up (%v):\n%s", r.name, r.err, tail(r.out.String(), 40))
		default:
		}
		if r.base == "" {
			if m := listening.FindStringSubmatch(r.out.String()); m != nil {
				r.base = m[1]
			}
		}
		if r.base != "" {
			res := c.do(t, r, http.MethodGet, "/readyz", nil, "", nil)
			var body struct{ Status, Database, Redis string }
			if res.code == http.StatusOK && json.Unmarshal(res.body, &body) == nil && body.Status == "ready" {
				if body.Redis != "up" {
					t.Fatalf("replica %s: /readyz says Redis is %q: %s", r.name, body.Redis, res.body)
				}
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("replica %s not ready within %v:\n%s", r.name, within, tail(r.out.String(), 40))
}

// terminate sends SIGTERM, as an orchestrator does to stop a pod.
func (r *replica) terminate(t *testing.T) {
	t.Helper()
	if err := r.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatalf("SIGTERM %s: %v", r.name, err)
	}
}

// exited expects a clean exit (status 0) within the given time.
func (r *replica) exited(t *testing.T, within time.Duration) {
	t.Helper()
	select {
	case <-r.done:
	case <-time.After(within):
		t.Fatalf("replica %s still running %v after SIGTERM", r.name, within)
	}
	if r.err != nil {
		t.Fatalf("replica %s exited with %v after SIGTERM, want status 0:\n%s", r.name, r.err, tail(r.out.String(), 40))
	}
}

func tail(s string, lines int) string {
	all := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(all) > lines {
		all = append([]string{fmt.Sprintf("… %d earlier lines", len(all)-lines)}, all[len(all)-lines:]...)
	}
	return strings.Join(all, "\n")
}
