package replicatest

import "syscall"

// dieWithParent has the kernel kill a replica if the test binary dies
// without stopping it (a panic, go test's -timeout).
func dieWithParent() *syscall.SysProcAttr {
	return &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}
