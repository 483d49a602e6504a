//go:build race

package catalog_test

// raceDetector is on: the strategy agreement tests compare pages request
// by request, with no goroutines of their own, and the PostgreSQL and
// SQLite passes run them; under the detector they only add minutes to CI.
const raceDetector = true
