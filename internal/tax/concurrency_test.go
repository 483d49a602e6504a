package tax_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/solodestination/api/internal/platform/testdb"
)

// A citizen's first submissions racing each other all succeed and leave one
// pending profile (the insert that loses replaces the winner's row instead
// of reporting a verified profile).
func TestConcurrentFirstSubmissions(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	sari := w.api.User("Sari")
	n := 4
	if testdb.IsPostgres() {
		n = 20
	}
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = w.api.Send(http.MethodPut, "/api/v1/me/citizen-profile",
				map[string]any{"nik": sariNIK, "full_name": "Sari Wulandari", "birth_date": sariBorn}, sari).Code
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != http.StatusOK {
			t.Fatalf("submission %d: %d", i, c)
		}
	}
	var rows int64
	w.api.DB.Raw("SELECT count(*) FROM citizen_profiles WHERE status = 'pending'").Scan(&rows)
	if rows != 1 {
		t.Fatalf("%d profiles, want 1", rows)
	}
}
