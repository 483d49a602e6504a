package main

import (
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// CPUUse says where the machine's CPU went during a measurement, in cores
// (CPU seconds per wall second). Server, PostgreSQL and the load generator
// share one machine, so this shows which of them was the bottleneck.
type CPUUse struct {
	LoadgenCores  float64 `json:"loadgen_cores"`
	ServerCores   float64 `json:"server_cores,omitempty"`
	PostgresCores float64 `json:"postgres_cores,omitempty"`
	MachineBusy   float64 `json:"machine_busy_pct"`
}

// clockTicks is USER_HZ, 100 on every Linux platform Go supports.
const clockTicks = 100

type cpuSample struct {
	self     time.Duration
	server   time.Duration
	postgres time.Duration
	busy     uint64
	total    uint64
}

func sampleCPU(serverPID int) cpuSample {
	var s cpuSample
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		s.self = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	if serverPID > 0 {
		s.server, _ = procCPU(serverPID)
	}
	s.postgres = postgresCPU()
	s.busy, s.total = machineTicks()
	return s
}

func (s cpuSample) since(before cpuSample, elapsed time.Duration) *CPUUse {
	if elapsed <= 0 {
		return nil
	}
	cores := func(d time.Duration) float64 { return math.Round(d.Seconds()/elapsed.Seconds()*100) / 100 }
	u := &CPUUse{
		LoadgenCores:  cores(s.self - before.self),
		ServerCores:   cores(s.server - before.server),
		PostgresCores: cores(s.postgres - before.postgres),
	}
	if dt := s.total - before.total; dt > 0 {
		u.MachineBusy = math.Round(float64(s.busy-before.busy)/float64(dt)*1000) / 10
	}
	return u
}

// procCPU reads utime+stime of a process from /proc/<pid>/stat.
func procCPU(pid int) (time.Duration, string) {
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "stat"))
	if err != nil {
		return 0, ""
	}
	return parseProcStat(string(b))
}

// parseProcStat returns the CPU time and command name of a /proc/<pid>/stat
// line. The name is in parentheses and may contain spaces.
func parseProcStat(line string) (time.Duration, string) {
	open, close := strings.IndexByte(line, '('), strings.LastIndexByte(line, ')')
	if open < 0 || close < open {
		return 0, ""
	}
	name := line[open+1 : close]
	f := strings.Fields(line[close+1:])
	// After the name: state(0) ppid(1) … utime(11) stime(12).
	if len(f) < 13 {
		return 0, name
	}
	ut, _ := strconv.ParseUint(f[11], 10, 64)
	st, _ := strconv.ParseUint(f[12], 10, 64)
	return time.Duration(ut+st) * time.Second / clockTicks, name
}

// postgresCPU adds up every postgres process on the machine (other
// databases of the same server included).
func postgresCPU() time.Duration {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return 0
	}
	var total time.Duration
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if d, name := procCPU(pid); name == "postgres" {
			total += d
		}
	}
	return total
}

// machineTicks returns busy and total jiffies from the first line of /proc/stat.
func machineTicks() (busy, total uint64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return 0, 0
	}
	var idle uint64
	for i, v := range f[1:] {
		n, _ := strconv.ParseUint(v, 10, 64)
		total += n
		if i == 3 || i == 4 { // idle, iowait
			idle += n
		}
	}
	return total - idle, total
}

// Memory is the API process's resident memory, in MiB: RSS now and the
// peak (VmHWM) since it started.
type Memory struct {
	RSSMiB  float64 `json:"rss_mib"`
	PeakMiB float64 `json:"peak_mib"`
}

// procMemory reads VmRSS and VmHWM of a process from /proc/<pid>/status;
// nil when the process cannot be read.
func procMemory(pid int) *Memory {
	if pid <= 0 {
		return nil
	}
	b, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "status"))
	if err != nil {
		return nil
	}
	return parseProcStatus(string(b))
}

func parseProcStatus(s string) *Memory {
	var m Memory
	found := 0
	for _, line := range strings.Split(s, "\n") {
		name, rest, ok := strings.Cut(line, ":")
		if !ok || (name != "VmRSS" && name != "VmHWM") {
			continue
		}
		f := strings.Fields(rest) // "123456 kB"
		if len(f) != 2 || f[1] != "kB" {
			continue
		}
		kb, err := strconv.ParseFloat(f[0], 64)
		if err != nil {
			continue
		}
		mib := math.Round(kb/1024*10) / 10
		if name == "VmRSS" {
			m.RSSMiB = mib
		} else {
			m.PeakMiB = mib
		}
		found++
	}
	if found != 2 {
		return nil
	}
	return &m
}

// loadAverage is /proc/loadavg's 1, 5 and 15 minute averages, as text.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return ""
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}
