package permit

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"gorm.io/gorm"

	"github.com/solodestination/api/internal/platform/testdb"
)

// Every page of the licensing queue is read from the queue's indexes: each
// status's branch is an index search that sorts nothing, and only the few
// rows of several branches are merged. (PostgreSQL chooses by statistics;
// SQLite by the schema, so its plan is checked.)
func TestQueuePagesUseIndexes(t *testing.T) {
	if testdb.IsPostgres() {
		t.Skip("SQLite's planner decides by schema alone; PostgreSQL's by statistics")
	}
	db := testdb.New(t)
	after := &QueuePosition{At: time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), ID: uuid.Must(uuid.NewV7())}
	cases := []struct {
		statuses []Status
		by       QueueSort
		index    string
	}{
		{Waiting, BySubmission, "permit_applications_queue_idx"},
		{Waiting, ByDue, "permit_applications_sla_idx"},
		{[]Status{NeedsRevision}, BySubmission, "permit_applications_queue_idx"},
		{[]Status{Approved}, ByDue, "permit_applications_sla_idx"},
	}
	for _, c := range cases {
		for _, pos := range []*QueuePosition{nil, after} {
			stmt := queueQuery(db.Session(&gorm.Session{DryRun: true}), c.statuses, c.by, pos, 20).
				Scan(&[]applicationRow{}).Statement
			var plan []struct {
				Detail string `gorm:"column:detail"`
			}
			if err := db.Raw("EXPLAIN QUERY PLAN "+stmt.SQL.String(), stmt.Vars...).Scan(&plan).Error; err != nil {
				t.Fatal(err)
			}
			var lines []string
			for _, p := range plan {
				lines = append(lines, p.Detail)
			}
			got := strings.Join(lines, "; ")
			searches := strings.Count(got, "SEARCH permit_applications USING INDEX "+c.index+" (status=?")
			// Sorts only where branches merge, of each branch's few rows
			// (SCAN <branch>; USE TEMP B-TREE), never of the table's.
			sorts := strings.Count(got, "TEMP B-TREE")
			merged := 0
			for _, st := range c.statuses {
				merged += strings.Count(got, "SCAN "+string(st)+"; USE TEMP B-TREE")
			}
			if searches != len(c.statuses) || strings.Contains(got, "SCAN permit_applications") ||
				(len(c.statuses) == 1 && sorts > 0) || sorts != merged {
				t.Errorf("%v by %s: plan %q, want %d searches of %s", c.statuses, c.by, got, len(c.statuses), c.index)
			}
		}
	}
}
