package main

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// renderTransport writes the transport section: the reads against the
// catalog's list-by-category rate of the same run, and the booking
// workloads.
func renderTransport(b *strings.Builder, in ReportInput) {
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	var runs []RunFile
	for _, rf := range in.Runs {
		if slices.ContainsFunc(rf.Results, func(r Result) bool { return r.ID == "T1" || r.ID == "T2" }) {
			runs = append(runs, rf)
		}
	}
	if len(runs) == 0 && in.Book == nil {
		return
	}
	p("## Transport\n\n")
	if in.Command != "" {
		p("Produced by `%s` on the machine described above (API, PostgreSQL and load generator on its two cores).\n\n", in.Command)
	}
	if last := lastDB(in.Runs); last != nil && last.Counts["transport_trips"] > 0 {
		c := last.Counts
		perRoute := int64(0)
		if c["transport_routes"] > 0 {
			perRoute = c["transport_route_stops"] / c["transport_routes"]
		}
		p("Data set (`benchdata`, transport part): the five modes of the demo; %s routes, an equal share per mode, each through about %d stops; "+
			"%s stops spread uniformly over Surakarta's bounding box; a season of dated trips for every route from tomorrow "+
			"(city bus every 10 minutes 05:00–21:50, andong every 20 minutes, electric cars every 30 minutes, Werkudara 3 and Jaladara 2 a day): "+
			"%s trips; %s bookings in the database when measured. Loaded with COPY in one transaction, then `VACUUM (ANALYZE)`.",
			thousands(c["transport_routes"]), perRoute, thousands(c["transport_stops"]), thousands(c["transport_trips"]), thousands(c["transport_bookings"]))
		if n, ok := last.Sizes["transport_trips"]; ok {
			p(" transport_trips takes %.0f MiB with its indexes.", float64(n)/(1<<20))
		}
		p("\n\n")
	}
	if len(runs) > 0 {
		p("### Reads against the catalog, same run\n\n")
		p("The issue's bar: `GET /transport/trips?route_id=&date=` (T1) and `GET /transport/stops?near=` (T2) on the database path reach at least the catalog's list-by-category rate (W1) measured in the same run, at the same concurrency.\n\n")
		p("| run | W1 req/s | T1 req/s | T1 ÷ W1 | T1 p99 ms | T2 req/s | T2 ÷ W1 | T2 p99 ms | verdict |\n|---|---:|---:|---:|---:|---:|---:|---:|---|\n")
		for _, rf := range runs {
			w1, t1, t2 := find(rf, "W1"), find(rf, "T1"), find(rf, "T2")
			if w1 == nil {
				continue
			}
			var why []string
			cell := func(r *Result) (string, string, string) {
				if r == nil {
					return "–", "–", "–"
				}
				if r.RPS < w1.RPS {
					why = append(why, fmt.Sprintf("%s below W1", r.ID))
				}
				return fmt.Sprintf("%.0f", r.RPS), fmt.Sprintf("%.2f", r.RPS/w1.RPS), fmt.Sprintf("%.1f", r.P99MS)
			}
			a1, a2, a3 := cell(t1)
			b1, b2, b3 := cell(t2)
			verdict := "met"
			if len(why) > 0 {
				verdict = "**not met** (" + strings.Join(why, "; ") + ")"
			}
			p("| %s | %.0f | %s | %s | %s | %s | %s | %s | %s |\n", runLabel(rf), w1.RPS, a1, a2, a3, b1, b2, b3, verdict)
		}
		p("\n")
	}
	if bk := in.Book; bk != nil {
		p("### Bookings\n\n")
		p("Riders are %s accounts of the data set; the load generator signs their access tokens with the API's secret. "+
			"Every request is `POST /api/v1/transport/trips/{id}/bookings` with `{\"seats\":1,\"passenger_name\":…}` and its own `Idempotency-Key`, "+
			"the way the app sends it, so each booking also claims and settles its key.\n\n", usersText(bk))
		if br := bk.Burst; br != nil {
			ok, why := br.Met()
			p("**Burst**: %d attempts at the same instant, each from a different rider on its own connection, on one %d-seat trip that transport staff created through the API just before.\n\n",
				br.Attempts, br.Seats)
			p("| settled in | p50 ms | p99 ms | answers | refusals | database afterwards | verdict |\n|---:|---:|---:|---|---|---|---|\n")
			p("| %.0f ms | %.0f | %.0f | %s | %s | %d confirmed bookings, %d seats, %d seats left | %s |\n\n",
				br.SettleMS, br.P50MS, br.P99MS, countsText(br.Status), countsText(br.Codes), br.DBConfirmed, br.DBSeats, br.DBSeatsAvailable,
				verdictWord(ok, why))
			p("Bar: settled in under 2 s with exactly %d confirmed (201 answers and rows in `transport_bookings`), the rest 409 `insufficient_seats`, no seat left.\n\n", br.Seats)
		}
		if s := bk.Sustained; s != nil {
			verdict := "met"
			if s.ConfirmedPS < TargetBookingsPS {
				verdict = fmt.Sprintf("**not met** (%.0f/s < %d/s)", s.ConfirmedPS, TargetBookingsPS)
			}
			p("**Sustained**: %d connections, closed loop, for %.0f s after a warm-up; each request a random rider on a random one of %s future trips of the steam train and the double-decker (72 and 43 seats).\n\n",
				s.Concurrency, s.ElapsedS, thousands(int64(s.Trips)))
			p("| confirmed | per second | database gained | p50 ms | p90 ms | p99 ms | max ms | answers | verdict |\n|---:|---:|---:|---:|---:|---:|---:|---|---|\n")
			p("| %s | %.0f | %s | %.1f | %.1f | %.1f | %.1f | %s | %s |\n\n", thousands(s.Confirmed), s.ConfirmedPS, thousands(s.DBConfirmed),
				s.P50MS, s.P90MS, s.P99MS, s.MaxMS, countsText(s.Status), verdict)
			if c := s.CPU; c != nil {
				p("CPU during the sustained run, in cores busy: API %.2f, PostgreSQL %.2f, load generator %.2f; machine %.0f %% busy.\n\n",
					c.ServerCores, c.PostgresCores, c.LoadgenCores, c.MachineBusy)
			}
			if len(s.ErrorSample) > 0 {
				p("Refusals seen: %s.\n\n", strings.Join(s.ErrorSample, "; "))
			}
		}
	}
	if db := lastDB(in.Runs); db != nil && len(db.TransportIndexes) > 0 {
		fmt.Fprintf(b, "<details><summary>Indexes on the transport tables</summary>\n\n```sql\n%s\n```\n\n</details>\n\n", strings.Join(db.TransportIndexes, ";\n")+";")
	}
}

func usersText(bk *BookFile) string {
	if bk.Sustained != nil {
		return thousands(int64(bk.Sustained.Users))
	}
	if bk.Burst != nil {
		return thousands(int64(bk.Burst.Attempts))
	}
	return "the"
}

func find(rf RunFile, id string) *Result {
	for i := range rf.Results {
		if rf.Results[i].ID == id {
			return &rf.Results[i]
		}
	}
	return nil
}

func lastDB(runs []RunFile) *DBInfo {
	for i := len(runs) - 1; i >= 0; i-- {
		if runs[i].DB != nil {
			return runs[i].DB
		}
	}
	return nil
}

// countsText renders {"201": 50, "409": 950} as "201 × 50, 409 × 950".
func countsText(m map[string]int64) string {
	if len(m) == 0 {
		return "–"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s × %s", k, thousands(m[k]))
	}
	return strings.Join(parts, ", ")
}
