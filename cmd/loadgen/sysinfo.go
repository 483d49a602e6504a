package main

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	_ "github.com/glebarez/go-sqlite" // reads counts of an SQLite data set
	"github.com/jackc/pgx/v5"
)

// Env describes where a run happened.
type Env struct {
	Commit    string  `json:"commit"`
	CPU       string  `json:"cpu"`
	Cores     int     `json:"cores"`
	MemoryGiB float64 `json:"memory_gib"`
	Kernel    string  `json:"kernel"`
	GoVersion string  `json:"go_version"`
}

// DBInfo describes the database behind the API and the data set in it.
type DBInfo struct {
	Engine  string           `json:"engine"`
	Version string           `json:"version"`
	Counts  map[string]int64 `json:"counts"` // listings per "kind/status", and rows per table
	Sizes   map[string]int64 `json:"sizes,omitempty"`
	Indexes []string         `json:"indexes,omitempty"`
	// TransportIndexes are the indexes of the transport tables.
	TransportIndexes []string          `json:"transport_indexes,omitempty"`
	Settings         map[string]string `json:"settings,omitempty"`
}

// CollectEnv reads the machine description from /proc and the commit from git.
func CollectEnv(ctx context.Context) Env {
	e := Env{Cores: runtime.NumCPU(), GoVersion: runtime.Version(), Commit: gitCommit(ctx)}
	if f, err := os.Open("/proc/cpuinfo"); err == nil {
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
				e.CPU = strings.TrimSpace(v)
				break
			}
		}
		f.Close()
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if f := strings.Fields(line); len(f) >= 2 && f[0] == "MemTotal:" {
				kb, _ := strconv.ParseFloat(f[1], 64)
				e.MemoryGiB = float64(int(kb/1024/1024*10+0.5)) / 10
			}
		}
	}
	if b, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		e.Kernel = "Linux " + strings.TrimSpace(string(b))
	}
	return e
}

func gitCommit(ctx context.Context) string {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", "rev-parse", "--short=12", "HEAD").Output()
	if err != nil {
		return "unknown"
	}
	commit := strings.TrimSpace(string(out))
	if st, err := exec.CommandContext(ctx, "git", "status", "--porcelain", "--untracked-files=no").Output(); err == nil && len(strings.TrimSpace(string(st))) > 0 {
		commit += " (with uncommitted changes)"
	}
	return commit
}

// PostgresInfo reads version, data-set counts, table sizes and the catalog
// indexes from PostgreSQL.
func PostgresInfo(ctx context.Context, dsn string) (*DBInfo, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	info := &DBInfo{Engine: "PostgreSQL", Counts: map[string]int64{}, Sizes: map[string]int64{}, Settings: map[string]string{}}
	if err := conn.QueryRow(ctx, "SHOW server_version").Scan(&info.Version); err != nil {
		return nil, err
	}
	if err := pgCounts(ctx, conn, info); err != nil {
		return nil, err
	}
	for _, t := range []string{"listings", "listing_hours", "listing_tags"} {
		var n int64
		if err := conn.QueryRow(ctx, "SELECT pg_total_relation_size($1::regclass)", t).Scan(&n); err == nil {
			info.Sizes[t] = n
		}
	}
	rows, err := conn.Query(ctx, `SELECT indexdef FROM pg_indexes
		WHERE schemaname = current_schema() AND tablename IN ('listings', 'listing_hours', 'listing_tags')
		ORDER BY tablename, indexname`)
	if err != nil {
		return nil, err
	}
	info.Indexes, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	rows, err = conn.Query(ctx, `SELECT indexdef FROM pg_indexes
		WHERE schemaname = current_schema() AND tablename LIKE 'transport%'
		ORDER BY tablename, indexname`)
	if err != nil {
		return nil, err
	}
	info.TransportIndexes, err = pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, err
	}
	for _, t := range transportTables {
		var n int64
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+t).Scan(&n); err == nil {
			info.Counts[t] = n
		}
		if err := conn.QueryRow(ctx, "SELECT pg_total_relation_size($1::regclass)", t).Scan(&n); err == nil {
			info.Sizes[t] = n
		}
	}
	for _, s := range []string{"shared_buffers", "huge_pages", "work_mem", "effective_cache_size", "max_connections", "jit"} {
		var v string
		if err := conn.QueryRow(ctx, "SELECT current_setting($1)", s).Scan(&v); err == nil {
			info.Settings[s] = v
		}
	}
	return info, nil
}

// transportTables are counted when present (a database migrated before
// transport has none).
var transportTables = []string{"transport_stops", "transport_routes", "transport_route_stops", "transport_trips", "transport_bookings",
	"citizen_profiles", "tax_objects", "tax_bills", "payments"}

func pgCounts(ctx context.Context, conn *pgx.Conn, info *DBInfo) error {
	rows, err := conn.Query(ctx, "SELECT kind || '/' || status, count(*) FROM listings GROUP BY 1")
	if err != nil {
		return err
	}
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return err
		}
		info.Counts[k] = n
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, t := range []string{"listings", "listing_hours", "listing_tags"} {
		var n int64
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+t).Scan(&n); err != nil {
			return err
		}
		info.Counts[t] = n
	}
	return nil
}

// SQLiteInfo reads version and counts of the embedded database in dataDir.
func SQLiteInfo(ctx context.Context, dataDir string) (*DBInfo, error) {
	path := filepath.Join(dataDir, "solo.db")
	if _, err := os.Stat(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro&_pragma=busy_timeout(5000)")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	info := &DBInfo{Engine: "SQLite (embedded, pure Go)", Counts: map[string]int64{}}
	if err := db.QueryRowContext(ctx, "SELECT sqlite_version()").Scan(&info.Version); err != nil {
		return nil, err
	}
	rows, err := db.QueryContext(ctx, "SELECT kind || '/' || status, count(*) FROM listings GROUP BY 1")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var n int64
		if err := rows.Scan(&k, &n); err != nil {
			return nil, err
		}
		info.Counts[k] = n
	}
	for _, t := range []string{"listings", "listing_hours", "listing_tags"} {
		var n int64
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+t).Scan(&n); err != nil {
			return nil, fmt.Errorf("count %s: %w", t, err)
		}
		info.Counts[t] = n
	}
	for _, t := range transportTables {
		var n int64
		if err := db.QueryRowContext(ctx, "SELECT count(*) FROM "+t).Scan(&n); err == nil {
			info.Counts[t] = n
		}
	}
	return info, nil
}
