// Package replicatest runs the API binary twice, as two replicas behind a
// load balancer would run it: two processes on their own ports, one
// PostgreSQL database, one Redis. Its test checks the promises that only hold
// across processes when the shared state really is shared: a login lock-out
// earned on one replica holds on the other, a catalog write on one empties the
// other's response cache at once, seat bookings spread over both never
// oversell, and a refresh token spent on one is refused on the other.
//
// It needs PostgreSQL (TEST_DATABASE_URL) and the Redis on 127.0.0.1:6379;
// on SQLite, which is one node, it is skipped. The package has no code of its
// own: everything is in the test, which builds ./cmd/api with the go command.
package replicatest
