// Package k8scheck holds the checks of the Kubernetes manifests in
// deployments/k8s: every manifest decodes strictly into the k8s.io/api types,
// and the probes, ports, drain time, security settings and configuration
// references agree with the API binary. It is a module of its own so the
// API's go.mod carries no Kubernetes dependencies.
//
//	cd deployments/k8scheck && go test ./...
package k8scheck
