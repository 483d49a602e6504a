//go:build race

package replicatest

// raceDetector is on: the processes this package starts are built without
// it, so its test adds nothing to the race pass but a minute of CI.
const raceDetector = true
