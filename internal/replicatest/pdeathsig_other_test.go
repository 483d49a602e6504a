//go:build !linux

package replicatest

import "syscall"

// dieWithParent has no portable equivalent outside Linux; the test's
// cleanup kills replicas it did not stop.
func dieWithParent() *syscall.SysProcAttr { return nil }
