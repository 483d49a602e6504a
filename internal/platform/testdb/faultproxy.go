package testdb

import (
	"io"
	"net"
	"net/url"
	"sync"
	"testing"
)

// FaultProxy is a TCP proxy between the API and its database that can fail
// the way networks do: refuse (close every connection, old and new) or
// blackhole (keep accepting but never answer, like a partition).
type FaultProxy struct {
	t      testing.TB
	ln     net.Listener
	target string

	mu    sync.Mutex
	mode  proxyMode
	conns map[net.Conn]struct{}
}

type proxyMode int

const (
	proxyHealthy proxyMode = iota
	proxyRefusing
	proxyBlackholed
)

// NewFaultProxy starts a healthy proxy to the PostgreSQL server of rawURL and
// returns it; URL gives the same connection string through the proxy. It
// stops when t ends.
func NewFaultProxy(t testing.TB, rawURL string) *FaultProxy {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	target := u.Host
	if u.Port() == "" {
		target = net.JoinHostPort(u.Hostname(), "5432")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &FaultProxy{t: t, ln: ln, target: target, conns: map[net.Conn]struct{}{}}
	go p.serve()
	t.Cleanup(func() {
		ln.Close()
		p.closeAll()
	})
	return p
}

// URL returns rawURL with its host replaced by the proxy's address.
func (p *FaultProxy) URL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		p.t.Fatal(err)
	}
	u.Host = p.ln.Addr().String()
	return u.String()
}

// Refuse closes every open connection and each new one as soon as it arrives.
func (p *FaultProxy) Refuse() {
	p.setMode(proxyRefusing)
	p.closeAll()
}

// Blackhole stops forwarding: bytes sent on open connections are dropped and
// new connections are accepted but never answered.
func (p *FaultProxy) Blackhole() { p.setMode(proxyBlackholed) }

// Heal forwards again. Connections that lost bytes while blackholed stay
// broken, as they would after a real partition; clients must replace them.
func (p *FaultProxy) Heal() { p.setMode(proxyHealthy) }

func (p *FaultProxy) setMode(m proxyMode) {
	p.mu.Lock()
	p.mode = m
	p.mu.Unlock()
}

func (p *FaultProxy) currentMode() proxyMode {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.mode
}

func (p *FaultProxy) track(c net.Conn) {
	p.mu.Lock()
	p.conns[c] = struct{}{}
	p.mu.Unlock()
}

func (p *FaultProxy) closeAll() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}

func (p *FaultProxy) serve() {
	for {
		client, err := p.ln.Accept()
		if err != nil {
			return
		}
		switch p.currentMode() {
		case proxyRefusing:
			client.Close()
		case proxyBlackholed:
			p.track(client)
			go io.Copy(io.Discard, client) // accepted, never answered
		default:
			go p.forward(client)
		}
	}
}

func (p *FaultProxy) forward(client net.Conn) {
	server, err := net.Dial("tcp", p.target)
	if err != nil {
		client.Close()
		return
	}
	p.track(client)
	p.track(server)
	go p.pipe(server, client)
	p.pipe(client, server)
}

// pipe copies from src to dst while the proxy is healthy; once a byte has
// been dropped the stream is corrupt, so it drops everything after it too.
func (p *FaultProxy) pipe(dst, src net.Conn) {
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	broken := false
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if p.currentMode() != proxyHealthy {
				broken = true
			}
			if !broken {
				if _, werr := dst.Write(buf[:n]); werr != nil {
					return
				}
			}
		}
		if err != nil {
			return
		}
	}
}
