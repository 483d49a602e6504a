// Command api serves the Solo Destination API.
//
//	api [serve]      migrate, seed when configured, and serve HTTP (default)
//	api migrate      apply pending migrations and exit
//	api seed         load the demo content into an empty database and exit
//	api healthcheck  exit 0 when the server on HTTP_ADDR answers /healthz (for containers)
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}
