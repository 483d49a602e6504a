#!/usr/bin/env bash
# Catalog, transport and tax benchmark, end to end: build, generate the data set
# (listings, a transport network with a season of trips, and citizens with
# tax objects and bills), start the API, run workloads W1–W5, T1–T2 and
# X1–X2, the booking workloads and the webhook workload, capture query plans,
# stop the API, write the report.
# Results land in docs/benchmarks.md; raw files in bench/results/.
#
# Settings (environment):
#   SIZES="10000"         listings per kind, one run per value ("10000 1000000" for the scaling check;
#                         make bench-1m runs 1000000 alone: ~12 GB and a long load)
#   PER_KIND              shorthand for a single size
#   DURATION=20s WARMUP=3s CONCURRENCY=64
#   MODES="shipped bypass"  "shipped" sends the workload URLs as they are (the API's response
#                         cache counts); "bypass" adds a unique query parameter per request so
#                         every request takes the database path, and each workload is also run against a
#                         static Go server answering the bytes of one of its responses (the bound)
#   BENCH_DB=postgres     or sqlite (embedded database in bench/results/sqlite; no plans)
#   BENCH_DATABASE_URL    default postgres://postgres@127.0.0.1:5432/bench?sslmode=disable
#   REGEN=1               regenerate the data set even when the database already holds it
#   FRESH=1               drop and recreate the bench database first (after an applied migration was edited)
#   EXPLAIN=0             skip the query-plan pass
#   PREWARM=0             skip reading the catalog's indexes and rows into PostgreSQL's shared buffers
#                         after the load (loadgen prewarm; as many as fit in 95 % of shared_buffers, the rest into the page cache).
#                         Without it the first runs after a load, or after the machine reclaimed its page
#                         cache, measure the disk rather than the plans
#   BOOK=0                skip the booking workloads (a burst of BURST attempts on a
#                         BURST_SEATS-seat trip, then sustained bookings for DURATION)
#   BURST=1000 BURST_SEATS=50
#   TRANSPORT_ROUTES=60 TRANSPORT_STOPS=1500 TRANSPORT_DAYS=120 TRANSPORT_USERS=2000
#                         size of the transport data set (TRANSPORT_ROUTES=0: none)
#   TAX_CITIZENS=2000 TAX_OBJECTS=50000 TAX_BILLS=100000
#                         size of the tax data set (TAX_CITIZENS=0: none, and no X1/X2 or webhooks)
#   WEBHOOK=0             skip the webhook workload (WEBHOOK_PAYMENTS pending payments created
#                         through the API, then a signed paid event for each, delivered twice)
#   WEBHOOK_PAYMENTS=5000
#   PERMIT_APPLICATIONS=0 permit applications in the data set (0: none); with some, the permits
#                         workloads P1–P3 (licensing queue, own applications, document uploads)
#                         run on the database path and write their own section of the report
#   CATALOG=0             skip the catalog workloads, their plans and the full report (for a run of
#                         the permits workloads alone: only the report's permits section is written)
#   PROFILE=1             record a CPU profile of the API with perf during the workloads
#                         (bench/results/perf-<size>.txt)
#   MATRIX=0              skip the filter × sort matrix (every filter alone under each sort it allows and
#                         the usual combinations, single client, against a static server answering the
#                         same bytes in the same run; plans captured with the others)
#   MATRIX_DURATION=1s    measured time per combination, on the API and on the static server each
#   REPORT=docs/benchmarks.md
#   ALSO_SIZES=""         sizes measured by earlier runs (on their own databases) whose raw results in
#                         bench/results/ join this run's report: e.g. `make bench` at 10 000, then
#                         ALSO_SIZES=10000 make bench-1m on another database gives one report with both sizes,
#                         the matrix at each with its plans, and the growth from one to the other
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_DB=${BENCH_DB:-postgres}
DB_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bench?sslmode=disable}
SIZES=${SIZES:-${PER_KIND:-10000}}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-3s}
CONCURRENCY=${CONCURRENCY:-64}
ADDR=${BENCH_ADDR:-127.0.0.1:18080}
SEED=${SEED:-1}
REGEN=${REGEN:-0}
FRESH=${FRESH:-0}
EXPLAIN=${EXPLAIN:-1}
PREWARM=${PREWARM:-1}
PROFILE=${PROFILE:-0}
MODES=${MODES:-shipped bypass}
BOOK=${BOOK:-1}
BURST=${BURST:-1000}
BURST_SEATS=${BURST_SEATS:-50}
TRANSPORT_ROUTES=${TRANSPORT_ROUTES:-60}
TRANSPORT_STOPS=${TRANSPORT_STOPS:-1500}
TRANSPORT_DAYS=${TRANSPORT_DAYS:-120}
TRANSPORT_USERS=${TRANSPORT_USERS:-2000}
TAX_CITIZENS=${TAX_CITIZENS:-2000}
TAX_OBJECTS=${TAX_OBJECTS:-50000}
TAX_BILLS=${TAX_BILLS:-100000}
WEBHOOK=${WEBHOOK:-1}
WEBHOOK_PAYMENTS=${WEBHOOK_PAYMENTS:-5000}
MATRIX=${MATRIX:-1}
MATRIX_DURATION=${MATRIX_DURATION:-1s}
PERMIT_APPLICATIONS=${PERMIT_APPLICATIONS:-0}
CATALOG=${CATALOG:-1}
# The matrix is part of the catalog's measurements.
[ "$CATALOG" = 0 ] && MATRIX=0
REPORT=${REPORT:-docs/benchmarks.md}
OUT=bench/results
BIN=$OUT/bin
# One fixtures file per size, so that runs of different sizes on their own
# databases each keep their data set.
FIXTURES=$OUT/fixtures.json
ALSO_SIZES=${ALSO_SIZES:-}
SQLITE_DIR=$OUT/sqlite
# The API and the load generator share this secret: the load generator signs
# the riders' access tokens with it instead of logging a thousand users in.
SECRET=$OUT/jwt_secret
# The generator seals the citizens' NIKs with the key the API opens them
# with, and the load generator signs the sandbox's webhooks with its secret.
NIK_KEY=$OUT/nik_key
HOOK_SECRET=$OUT/webhook_secret

case "$ADDR" in
127.*:* | localhost:*) ;;
*) echo "BENCH_ADDR must be a loopback address" >&2; exit 2 ;;
esac
case "$BENCH_DB" in
postgres | sqlite) ;;
*) echo "BENCH_DB must be postgres or sqlite" >&2; exit 2 ;;
esac

if [ "$PROFILE" = 1 ] && ! command -v perf >/dev/null; then
	echo "PROFILE=1 needs perf (apt-get install linux-perf)" >&2
	exit 2
fi

log() { printf '%s bench: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

mkdir -p "$BIN" "$SQLITE_DIR"
for f in "$SECRET" "$NIK_KEY" "$HOOK_SECRET"; do
	if [ ! -s "$f" ]; then
		(umask 077 && od -An -tx1 -N32 /dev/urandom | tr -d ' \n' >"$f")
	fi
done
log "building cmd/api, cmd/benchdata, cmd/loadgen"
go build -o "$BIN/api" ./cmd/api
go build -o "$BIN/benchdata" ./cmd/benchdata
go build -o "$BIN/loadgen" ./cmd/loadgen

API_PID=""
PERF_PID=""
AUTO_EXPLAIN_ON=0

stop_perf() {
	if [ -n "$PERF_PID" ]; then
		kill -INT "$PERF_PID" 2>/dev/null || true
		wait "$PERF_PID" 2>/dev/null || true
		PERF_PID=""
	fi
}

stop_api() {
	if [ -n "$API_PID" ]; then
		kill -TERM "$API_PID" 2>/dev/null || true
		wait "$API_PID" 2>/dev/null || true
		API_PID=""
	fi
}

cleanup() {
	stop_perf
	stop_api
	if [ "$AUTO_EXPLAIN_ON" = 1 ]; then
		"$BIN/loadgen" auto-explain -db "$DB_URL" off ||
			log "could not remove the auto_explain settings; run: $BIN/loadgen auto-explain -db '$DB_URL' off"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_busy() { (exec 3<>"/dev/tcp/${ADDR%:*}/${ADDR##*:}") 2>/dev/null; }

start_api() {
	if port_busy; then
		echo "something already listens on $ADDR; stop it or set BENCH_ADDR" >&2
		exit 1
	fi
	local dburl=""
	[ "$BENCH_DB" = postgres ] && dburl=$DB_URL
	# LOG_LEVEL=warn: per-request access logs would cost throughput. The rate
	# limits are off: every request comes from one address, and the benchmark
	# measures the API, not its limiter. Background jobs are off: their
	# polling is not a request's cost, and it would show up among the plans.
	env APP_ENV=development SEED_DEMO=false LOG_LEVEL=warn HTTP_ADDR="$ADDR" JOBS_ENABLED=false \
		DATA_DIR="$SQLITE_DIR" DATABASE_URL="$dburl" JWT_SECRET_FILE="$SECRET" \
		NIK_ENCRYPTION_KEY_FILE="$NIK_KEY" PAYMENT_GATEWAY=sandbox PAYMENT_WEBHOOK_SECRET_FILE="$HOOK_SECRET" \
		RATE_LIMIT_READS_PER_MIN=0 RATE_LIMIT_WRITES_PER_MIN=0 \
		"$BIN/api" serve >"$1" 2>&1 &
	API_PID=$!
	log "API started (pid $API_PID, log $1)"
}

db_args=(-database-url "$DB_URL" -create-db)
run_db_args=(-db "$DB_URL")
if [ "$BENCH_DB" = sqlite ]; then
	db_args=(-database-url "" -data-dir "$SQLITE_DIR")
	run_db_args=(-sqlite-dir "$SQLITE_DIR")
fi
keep=(-keep-existing)
[ "$REGEN" = 1 ] && keep=()
fresh=()
[ "$FRESH" = 1 ] && [ "$BENCH_DB" = postgres ] && fresh=(-recreate-db)
[ "$FRESH" = 1 ] && [ "$BENCH_DB" = sqlite ] && rm -f "$SQLITE_DIR"/solo.db*

results=()
matrices=()
book_args=()
webhook_args=()
for size in $SIZES; do
	FIXTURES=$OUT/fixtures-$size.json
	log "data set: $size listings per kind ($BENCH_DB)"
	"$BIN/benchdata" "${db_args[@]}" "${fresh[@]}" -per-kind "$size" -seed "$SEED" -fixtures "$FIXTURES" -reset "${keep[@]}" \
		-transport-routes "$TRANSPORT_ROUTES" -transport-stops "$TRANSPORT_STOPS" \
		-transport-days "$TRANSPORT_DAYS" -transport-users "$TRANSPORT_USERS" \
		-tax-citizens "$TAX_CITIZENS" -tax-objects "$TAX_OBJECTS" -tax-bills "$TAX_BILLS" -nik-key-file "$NIK_KEY" \
		-permit-applications "$PERMIT_APPLICATIONS"
	fresh=() # once per run
	if [ "$BENCH_DB" = postgres ] && [ "$PREWARM" = 1 ]; then
		log "reading the catalog into shared buffers"
		"$BIN/loadgen" prewarm -db "$DB_URL"
	fi

	start_api "$OUT/api-$size.log"
	if [ "$PROFILE" = 1 ]; then
		perf record -F 199 -g -p "$API_PID" -o "$OUT/perf-$size.data" >/dev/null 2>&1 &
		PERF_PID=$!
	fi
	catalog_modes=$MODES
	[ "$CATALOG" = 0 ] && catalog_modes=""
	for mode in $catalog_modes; do
		case "$mode" in
		shipped) bust=() suffix="" ;;
		bypass) bust=(-cache-bust -static) suffix="-bypass" ;;
		*) echo "unknown mode $mode (want shipped or bypass)" >&2; exit 2 ;;
		esac
		log "running workloads ($mode): $CONCURRENCY connections, $DURATION each after $WARMUP warm-up"
		"$BIN/loadgen" run -base "http://$ADDR" -wait-ready 60s -fixtures "$FIXTURES" "${run_db_args[@]}" \
			-server-pid "$API_PID" -c "$CONCURRENCY" -duration "$DURATION" -warmup "$WARMUP" -seed "$SEED" \
			-jwt-secret-file "$SECRET" "${bust[@]}" -out "$OUT/results-$size$suffix.json"
		results+=("$OUT/results-$size$suffix.json")
	done
	if [ "$MATRIX" = 1 ]; then
		log "filter × sort matrix: one client, $MATRIX_DURATION per combination on the API and on a static server"
		"$BIN/loadgen" matrix -base "http://$ADDR" -wait-ready 60s -fixtures "$FIXTURES" -seed "$SEED" \
			-jwt-secret-file "$SECRET" -duration "$MATRIX_DURATION" -out "$OUT/matrix-$size.json"
		matrices+=("$OUT/matrix-$size.json")
	fi
	if [ "$BOOK" = 1 ] && [ "$TRANSPORT_ROUTES" != 0 ]; then
		log "booking workloads: $BURST attempts on a $BURST_SEATS-seat trip, then $CONCURRENCY connections booking for $DURATION"
		"$BIN/loadgen" book -base "http://$ADDR" -wait-ready 60s -fixtures "$FIXTURES" "${run_db_args[@]}" \
			-jwt-secret-file "$SECRET" -server-pid "$API_PID" -burst "$BURST" -burst-seats "$BURST_SEATS" \
			-c "$CONCURRENCY" -duration "$DURATION" -warmup "$WARMUP" -seed "$SEED" -out "$OUT/results-book.json"
		book_args=(-book "$OUT/results-book.json")
	fi
	if [ "$WEBHOOK" = 1 ] && [ "$TAX_CITIZENS" != 0 ]; then
		log "webhook workload: $WEBHOOK_PAYMENTS pending payments, then each paid event delivered twice by $CONCURRENCY connections"
		"$BIN/loadgen" webhook -base "http://$ADDR" -wait-ready 60s -fixtures "$FIXTURES" "${run_db_args[@]}" \
			-jwt-secret-file "$SECRET" -webhook-secret-file "$HOOK_SECRET" -server-pid "$API_PID" \
			-payments "$WEBHOOK_PAYMENTS" -c "$CONCURRENCY" -seed "$SEED" -out "$OUT/results-webhook.json"
		webhook_args=(-webhook "$OUT/results-webhook.json")
	fi
	if [ "$PERMIT_APPLICATIONS" != 0 ]; then
		log "permits workloads: queue, own applications and uploads, $CONCURRENCY connections, $DURATION each after $WARMUP warm-up"
		"$BIN/loadgen" permits -base "http://$ADDR" -wait-ready 60s -fixtures "$FIXTURES" "${run_db_args[@]}" \
			-jwt-secret-file "$SECRET" -server-pid "$API_PID" -c "$CONCURRENCY" -duration "$DURATION" -warmup "$WARMUP" \
			-seed "$SEED" -cache-bust -out "$OUT/results-permits.json"
		permits_results=$OUT/results-permits.json
	fi
	kill -0 "$API_PID" 2>/dev/null || { echo "the API exited during the run; see $OUT/api-$size.log" >&2; exit 1; }
	if [ -n "$PERF_PID" ]; then
		stop_perf
		{
			echo "# self time per function"
			perf report -i "$OUT/perf-$size.data" --stdio --no-children -g none --sort symbol --percent-limit 0.5
			echo "# time including callees"
			perf report -i "$OUT/perf-$size.data" --stdio --children -g none --sort symbol --percent-limit 3
		} >"$OUT/perf-$size.txt" 2>/dev/null || true
		log "API CPU profile: $OUT/perf-$size.txt"
	fi
	stop_api
done

explain_args=()
if [ "$BENCH_DB" = postgres ] && [ "$EXPLAIN" = 1 ] && [ "$CATALOG" != 0 ]; then
	log "capturing query plans with auto_explain"
	AUTO_EXPLAIN_ON=1
	"$BIN/loadgen" auto-explain -db "$DB_URL" on
	start_api "$OUT/api-explain.log"
	"$BIN/loadgen" explain -base "http://$ADDR" -wait-ready 60s -fixtures "$FIXTURES" -db "$DB_URL" -jwt-secret-file "$SECRET" \
		-seed "$SEED" -out "$OUT/explain.json"
	if [ "$MATRIX" = 1 ]; then
		"$BIN/loadgen" explain -matrix -n 2 -base "http://$ADDR" -fixtures "$FIXTURES" -db "$DB_URL" -jwt-secret-file "$SECRET" \
			-seed "$SEED" -out "$OUT/explain-matrix-$size.json"
	fi
	stop_api
	"$BIN/loadgen" auto-explain -db "$DB_URL" off
	AUTO_EXPLAIN_ON=0
	explain_args=(-explain "$OUT/explain.json")
fi

# Earlier sizes first, as the report orders its runs by size anyway.
also_results=()
also_matrices=()
also_plans=""
for prev in $ALSO_SIZES; do
	for f in "$OUT/results-$prev.json" "$OUT/results-$prev-bypass.json"; do
		if [ -s "$f" ]; then also_results+=("$f"); fi
	done
	if [ "$MATRIX" = 1 ] && [ -s "$OUT/matrix-$prev.json" ]; then
		also_matrices+=("$OUT/matrix-$prev.json")
		if [ -s "$OUT/explain-matrix-$prev.json" ]; then also_plans="$also_plans$OUT/explain-matrix-$prev.json"; fi
		also_plans="$also_plans,"
	fi
done
results=("${also_results[@]}" "${results[@]}")
matrices=("${also_matrices[@]}" "${matrices[@]}")
joined=$(IFS=,; echo "${results[*]}")
# The settings that differ from the defaults, so the report can say how it was made.
command="make bench"
for v in ALSO_SIZES SIZES MODES DURATION WARMUP CONCURRENCY MATRIX MATRIX_DURATION BENCH_DB FRESH REGEN PREWARM BOOK BURST BURST_SEATS TRANSPORT_ROUTES TRANSPORT_STOPS TRANSPORT_DAYS TRANSPORT_USERS TAX_CITIZENS TAX_OBJECTS TAX_BILLS WEBHOOK WEBHOOK_PAYMENTS PROFILE; do
	if val=$(printenv "$v"); then
		command="$v=\"$val\" $command"
	fi
done
for v in PERMIT_APPLICATIONS CATALOG; do
	if val=$(printenv "$v"); then
		command="$v=\"$val\" $command"
	fi
done
if [ "$CATALOG" != 0 ]; then
"$BIN/loadgen" report -results "$joined" "${explain_args[@]}" "${book_args[@]}" "${webhook_args[@]}" -command "$command" -notes bench/NOTES.md -out "$REPORT"
if [ "${#matrices[@]}" -gt 0 ]; then
	# The plans were captured on the last size's data set (the one loaded).
	plans=$also_plans
	for ((i = ${#also_matrices[@]} + 1; i < ${#matrices[@]}; i++)); do plans="$plans,"; done
	[ -n "${explain_args[*]}" ] && [ -s "$OUT/explain-matrix-$size.json" ] && plans="$plans$OUT/explain-matrix-$size.json"
	"$BIN/loadgen" matrix-report -results "$(IFS=,; echo "${matrices[*]}")" -explain "$plans" -command "$command" -out "$REPORT"
fi
log "report written to $REPORT"
fi
if [ -n "${permits_results:-}" ]; then
	"$BIN/loadgen" permits-report -results "$permits_results" -command "$command" -out "$REPORT"
	log "permits section written to $REPORT"
fi
