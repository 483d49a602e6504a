SWAG := github.com/swaggo/swag/cmd/swag@v1.16.6
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test?sslmode=disable

.PHONY: run test test-postgres docs ci bench bench-1m fuzz

run:
	go run ./cmd/api

test:
	go test ./...

test-postgres:
	TEST_DATABASE_URL='$(PG_TEST_URL)' go test ./...

# Regenerate the Swagger 2 spec from the handler annotations, then OpenAPI 3.
docs:
	go run $(SWAG) init -g internal/server/server.go --parseInternal -o docs --outputTypes go,json,yaml
	go run ./cmd/oas3

ci:
	bash .ci/run

# Catalog and transport load benchmark on the local PostgreSQL; writes docs/benchmarks.md.
# 10 000 listings per kind by default (SIZES=… for others).
bench:
	bash bench/run.sh

# The same at 1 000 000 listings per kind, in a database of its own (bench1m) so that
# both data sets stay loaded: the load takes a while and ~12 GB, so it is not part of CI.
# The report also holds the last `make bench` (10 000 per kind) and the growth between them.
bench-1m:
	BENCH_DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/bench1m?sslmode=disable} \
		ALSO_SIZES=$${ALSO_SIZES-10000} SIZES=1000000 bash bench/run.sh

# Coverage-guided fuzzing of request decoding, image uploads and the NIK/NOP/date/penalty/QRIS/NTPD
# packages in pkg/ (their seed corpora run in every go test), then many more requests generated from
# api/openapi.yaml than go test sends.
fuzz:
	go test -run '^$$' -fuzz FuzzBindJSON -fuzztime 60s ./internal/platform/web/
	go test -run '^$$' -fuzz FuzzSanitizeImage -fuzztime 60s ./internal/platform/storage/
	go test -run '^$$' -fuzz FuzzProfileName -fuzztime 30s ./internal/server/
	go test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 20s ./pkg/civil/
	go test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 30s ./pkg/nik/
	go test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 30s ./pkg/nop/
	go test -run '^$$' -fuzz '^FuzzStartedMonths$$' -fuzztime 30s ./pkg/penalty/
	go test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 30s ./pkg/qris/
	go test -run '^$$' -fuzz '^FuzzBuildDynamic$$' -fuzztime 30s ./pkg/qris/
	go test -run '^$$' -fuzz '^FuzzParse$$' -fuzztime 20s ./pkg/ntpd/
	go test -count=1 -run 'KeepsTheContract|KeepTheContract' -rapid.checks=20000 ./internal/server/
