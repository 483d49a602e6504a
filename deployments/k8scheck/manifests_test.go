package k8scheck

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	autoscalingv2 "k8s.io/api/autoscaling/v2"
	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
	policyv1 "k8s.io/api/policy/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/intstr"
	"sigs.k8s.io/yaml"
)

const (
	manifestDir = "../k8s"
	repoRoot    = "../.."
	// placeholder marks every value of the Secret template.
	placeholder = "REPLACE_ME"
)

// extraEnv are variables the ConfigMap or Secret may set beyond README
// "Configuration", with the reason.
var extraEnv = map[string]string{
	"GOMEMLIMIT": "the Go runtime's soft memory limit",
	"REDIS_URL":  "shared limits and cache invalidation across replicas (issue 15)",
}

// newObject returns the typed object for a manifest's apiVersion and kind.
func newObject(tm metav1.TypeMeta) (any, bool) {
	switch tm.APIVersion + "/" + tm.Kind {
	case "v1/Namespace":
		return &corev1.Namespace{}, true
	case "v1/ConfigMap":
		return &corev1.ConfigMap{}, true
	case "v1/Secret":
		return &corev1.Secret{}, true
	case "v1/Service":
		return &corev1.Service{}, true
	case "apps/v1/Deployment":
		return &appsv1.Deployment{}, true
	case "batch/v1/Job":
		return &batchv1.Job{}, true
	case "autoscaling/v2/HorizontalPodAutoscaler":
		return &autoscalingv2.HorizontalPodAutoscaler{}, true
	case "policy/v1/PodDisruptionBudget":
		return &policyv1.PodDisruptionBudget{}, true
	case "networking.k8s.io/v1/NetworkPolicy":
		return &networkingv1.NetworkPolicy{}, true
	}
	return nil, false
}

// kustomization is the part of kustomize's Kustomization these manifests
// use; decoding it strictly refuses any other field.
type kustomization struct {
	APIVersion string   `json:"apiVersion"`
	Kind       string   `json:"kind"`
	Namespace  string   `json:"namespace"`
	Resources  []string `json:"resources"`
	Images     []struct {
		Name    string `json:"name"`
		NewName string `json:"newName,omitempty"`
		NewTag  string `json:"newTag,omitempty"`
		Digest  string `json:"digest,omitempty"`
	} `json:"images,omitempty"`
}

// decodeStrict decodes one YAML document into a k8s.io/api type: unknown
// fields and duplicate keys are errors.
func decodeStrict(doc []byte) (any, error) {
	var tm metav1.TypeMeta
	if err := yaml.Unmarshal(doc, &tm); err != nil {
		return nil, err
	}
	obj, ok := newObject(tm)
	if !ok {
		return nil, fmt.Errorf("no checked type for apiVersion %q kind %q", tm.APIVersion, tm.Kind)
	}
	if err := yaml.UnmarshalStrict(doc, obj); err != nil {
		return nil, err
	}
	return obj, nil
}

// documents splits a YAML stream on "---" lines and drops empty documents.
func documents(b []byte) [][]byte {
	var docs [][]byte
	var cur bytes.Buffer
	flush := func() {
		if strings.TrimSpace(stripComments(cur.String())) != "" {
			docs = append(docs, bytes.Clone(cur.Bytes()))
		}
		cur.Reset()
	}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if strings.TrimRight(sc.Text(), " \t") == "---" {
			flush()
			continue
		}
		cur.WriteString(sc.Text() + "\n")
	}
	flush()
	return docs
}

func stripComments(s string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if !strings.HasPrefix(strings.TrimSpace(l), "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}

// manifests is every object of deployments/k8s, decoded strictly.
type manifests struct {
	kust        kustomization
	configMaps  map[string]*corev1.ConfigMap
	secrets     map[string]*corev1.Secret
	deployments []*appsv1.Deployment
	services    []*corev1.Service
	jobs        []*batchv1.Job
	hpas        []*autoscalingv2.HorizontalPodAutoscaler
	pdbs        []*policyv1.PodDisruptionBudget
	policies    []*networkingv1.NetworkPolicy
}

func load(t *testing.T) *manifests {
	t.Helper()
	m := &manifests{configMaps: map[string]*corev1.ConfigMap{}, secrets: map[string]*corev1.Secret{}}
	kb, err := os.ReadFile(filepath.Join(manifestDir, "kustomization.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := yaml.UnmarshalStrict(kb, &m.kust); err != nil {
		t.Fatalf("kustomization.yaml: %v", err)
	}
	if m.kust.APIVersion != "kustomize.config.k8s.io/v1beta1" || m.kust.Kind != "Kustomization" {
		t.Fatalf("kustomization.yaml: apiVersion %q kind %q", m.kust.APIVersion, m.kust.Kind)
	}
	files, err := filepath.Glob(filepath.Join(manifestDir, "*.y*ml"))
	if err != nil {
		t.Fatal(err)
	}
	var onDisk []string
	for _, f := range files {
		if base := filepath.Base(f); base != "kustomization.yaml" {
			onDisk = append(onDisk, base)
		}
	}
	listed := slices.Sorted(slices.Values(m.kust.Resources))
	if !slices.Equal(listed, onDisk) {
		t.Errorf("kustomization.yaml resources %v, files in deployments/k8s %v: every manifest must be listed, and only those", listed, onDisk)
	}
	for _, name := range onDisk {
		b, err := os.ReadFile(filepath.Join(manifestDir, name))
		if err != nil {
			t.Fatal(err)
		}
		docs := documents(b)
		if len(docs) == 0 {
			t.Errorf("%s: no manifest", name)
		}
		for i, doc := range docs {
			obj, err := decodeStrict(doc)
			if err != nil {
				t.Errorf("%s (document %d): %v", name, i+1, err)
				continue
			}
			switch o := obj.(type) {
			case *corev1.ConfigMap:
				m.configMaps[o.Name] = o
			case *corev1.Secret:
				m.secrets[o.Name] = o
			case *appsv1.Deployment:
				m.deployments = append(m.deployments, o)
			case *corev1.Service:
				m.services = append(m.services, o)
			case *batchv1.Job:
				m.jobs = append(m.jobs, o)
			case *autoscalingv2.HorizontalPodAutoscaler:
				m.hpas = append(m.hpas, o)
			case *policyv1.PodDisruptionBudget:
				m.pdbs = append(m.pdbs, o)
			case *networkingv1.NetworkPolicy:
				m.policies = append(m.policies, o)
			}
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	if len(m.deployments) != 1 || len(m.jobs) != 1 || len(m.services) != 1 || len(m.configMaps) != 1 ||
		len(m.secrets) != 1 || len(m.hpas) != 1 || len(m.pdbs) != 1 || len(m.policies) != 1 {
		t.Fatalf("want one each of Deployment, Job, Service, ConfigMap, Secret, HPA, PDB, NetworkPolicy; got %d, %d, %d, %d, %d, %d, %d, %d",
			len(m.deployments), len(m.jobs), len(m.services), len(m.configMaps), len(m.secrets), len(m.hpas), len(m.pdbs), len(m.policies))
	}
	return m
}

// env is the environment the ConfigMap and the Secret give the API.
func (m *manifests) env() map[string]string {
	env := map[string]string{}
	for _, cm := range m.configMaps {
		for k, v := range cm.Data {
			env[k] = v
		}
	}
	for _, s := range m.secrets {
		for k, v := range s.StringData {
			env[k] = v
		}
	}
	return env
}

// addrPort is the port of a listen address such as ":8080".
func addrPort(t *testing.T, name, addr string) int32 {
	t.Helper()
	_, p, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("%s %q: %v", name, addr, err)
	}
	n, err := strconv.ParseInt(p, 10, 32)
	if err != nil || n <= 0 {
		t.Fatalf("%s %q: port %q", name, addr, p)
	}
	return int32(n)
}

// httpPort is the port of HTTP_ADDR in the ConfigMap.
func (m *manifests) httpPort(t *testing.T) int32 {
	t.Helper()
	addr, ok := m.env()["HTTP_ADDR"]
	if !ok {
		t.Fatal("the ConfigMap sets no HTTP_ADDR: the container port would rest on the binary's default")
	}
	return addrPort(t, "HTTP_ADDR", addr)
}

// resolvePort turns a probe's or Service's port (a number or a container
// port's name) into a number; 0 when a name matches no container port.
func resolvePort(p intstr.IntOrString, c corev1.Container) int32 {
	if p.Type == intstr.Int {
		return p.IntVal
	}
	for _, cp := range c.Ports {
		if cp.Name == p.StrVal {
			return cp.ContainerPort
		}
	}
	return 0
}

func container(t *testing.T, spec corev1.PodSpec, name string) corev1.Container {
	t.Helper()
	for _, c := range spec.Containers {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no container %q", name)
	return corev1.Container{}
}

// TestDecoderIsStrict proves the decoder refuses what the manifests must not
// contain, so a passing TestManifests means something.
func TestDecoderIsStrict(t *testing.T) {
	for name, doc := range map[string]string{
		"unknown field":    "apiVersion: v1\nkind: Service\nmetadata:\n  name: x\nspec:\n  prots: []\n",
		"misplaced field":  "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  data: {}\n",
		"duplicate key":    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  A: \"1\"\n  A: \"2\"\n",
		"unknown kind":     "apiVersion: v1\nkind: Pdo\nmetadata:\n  name: x\n",
		"wrong value type": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replicas: two\n",
	} {
		if _, err := decodeStrict([]byte(doc)); err == nil {
			t.Errorf("%s: decoded without an error", name)
		}
	}
	if _, err := decodeStrict([]byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  A: \"1\"\n")); err != nil {
		t.Errorf("a valid ConfigMap: %v", err)
	}
}

func TestManifests(t *testing.T) {
	m := load(t)
	port := m.httpPort(t)
	dep := m.deployments[0]
	pod := dep.Spec.Template.Spec
	api := container(t, pod, "api")

	t.Run("container port is HTTP_ADDR's", func(t *testing.T) {
		if got := resolvePort(intstr.FromString("http"), api); got != port {
			t.Errorf("container port \"http\" is %d; HTTP_ADDR listens on %d", got, port)
		}
		if addr := m.env()["METRICS_ADDR"]; addr != "" {
			mp := addrPort(t, "METRICS_ADDR", addr)
			if got := resolvePort(intstr.FromString("metrics"), api); got != mp {
				t.Errorf("container port \"metrics\" is %d; METRICS_ADDR listens on %d", got, mp)
			}
		}
		if len(api.Args) != 1 || api.Args[0] != "serve" || len(api.Command) != 0 {
			t.Errorf("the API container runs command %v args %v; want the image's entry point with args [serve]", api.Command, api.Args)
		}
	})

	t.Run("probes", func(t *testing.T) {
		for _, p := range []struct {
			name  string
			probe *corev1.Probe
			path  string
			must  bool
		}{
			{"livenessProbe", api.LivenessProbe, "/healthz", true},
			{"readinessProbe", api.ReadinessProbe, "/readyz", true},
			{"startupProbe", api.StartupProbe, "/healthz", false},
		} {
			if p.probe == nil {
				if p.must {
					t.Errorf("%s is missing", p.name)
				}
				continue
			}
			g := p.probe.HTTPGet
			if g == nil {
				t.Errorf("%s is not an HTTP GET", p.name)
				continue
			}
			if g.Path != p.path {
				t.Errorf("%s path %q, want %q", p.name, g.Path, p.path)
			}
			if got := resolvePort(g.Port, api); got != port {
				t.Errorf("%s port %s is %d; HTTP_ADDR listens on %d", p.name, g.Port.String(), got, port)
			}
			if g.Scheme != "" && g.Scheme != corev1.URISchemeHTTP {
				t.Errorf("%s scheme %s: the API speaks plain HTTP", p.name, g.Scheme)
			}
		}
	})

	t.Run("termination grace exceeds the drain time", func(t *testing.T) {
		drain := drainSeconds(t)
		var sleep int64
		if api.Lifecycle != nil && api.Lifecycle.PreStop != nil {
			if api.Lifecycle.PreStop.Sleep == nil {
				t.Fatal("preStop is not a sleep action (the image has no shell)")
			}
			sleep = api.Lifecycle.PreStop.Sleep.Seconds
		}
		grace := int64(30) // the Kubernetes default
		if pod.TerminationGracePeriodSeconds != nil {
			grace = *pod.TerminationGracePeriodSeconds
		}
		if grace <= sleep+drain {
			t.Errorf("terminationGracePeriodSeconds %d must exceed the preStop sleep (%d s) plus the drain (%d s, cmd/api/run.go)",
				grace, sleep, drain)
		}
	})

	t.Run("resources", func(t *testing.T) {
		for _, c := range append(slices.Clone(pod.Containers), m.jobs[0].Spec.Template.Spec.Containers...) {
			for _, r := range []corev1.ResourceName{corev1.ResourceCPU, corev1.ResourceMemory} {
				req, lim := c.Resources.Requests[r], c.Resources.Limits[r]
				if req.IsZero() || lim.IsZero() {
					t.Errorf("container %s: %s needs a request and a limit", c.Name, r)
				} else if req.Cmp(lim) > 0 {
					t.Errorf("container %s: %s request %s exceeds its limit %s", c.Name, r, req.String(), lim.String())
				}
			}
		}
	})

	t.Run("security context", func(t *testing.T) {
		checkSecurity(t, "Deployment", pod, m.env()["DATA_DIR"])
		checkSecurity(t, "migration Job", m.jobs[0].Spec.Template.Spec, m.env()["DATA_DIR"])
	})

	t.Run("migration Job runs api migrate", func(t *testing.T) {
		job := m.jobs[0]
		spec := job.Spec.Template.Spec
		if len(spec.Containers) != 1 {
			t.Fatalf("the Job has %d containers, want 1", len(spec.Containers))
		}
		c := spec.Containers[0]
		if len(c.Command) != 0 || !slices.Equal(c.Args, []string{"migrate"}) {
			t.Errorf("the Job runs command %v args %v; want the image's entry point with args [migrate]", c.Command, c.Args)
		}
		if c.Image != api.Image {
			t.Errorf("the Job's image %q differs from the Deployment's %q: it would migrate for another version", c.Image, api.Image)
		}
		if spec.RestartPolicy != corev1.RestartPolicyNever && spec.RestartPolicy != corev1.RestartPolicyOnFailure {
			t.Errorf("the Job's restartPolicy is %q", spec.RestartPolicy)
		}
		if job.Spec.BackoffLimit == nil || job.Spec.ActiveDeadlineSeconds == nil {
			t.Error("the Job needs a backoffLimit and an activeDeadlineSeconds, so a failing migration stops")
		}
	})

	// deployments/README.md applies these first, by this label, before the
	// Deployment rolls out.
	t.Run("migration step's labels", func(t *testing.T) {
		const label = "app.kubernetes.io/component"
		if got := m.jobs[0].Labels[label]; got != "migrate" {
			t.Errorf("the Job's %s is %q, want migrate", label, got)
		}
		for _, cm := range m.configMaps {
			if cm.Labels[label] != "config" {
				t.Errorf("ConfigMap %s: %s is %q, want config", cm.Name, label, cm.Labels[label])
			}
		}
		for _, s := range m.secrets {
			if s.Labels[label] != "config" {
				t.Errorf("Secret %s: %s is %q, want config", s.Name, label, s.Labels[label])
			}
		}
		if got := dep.Labels[label]; got == "migrate" || got == "config" || got == "namespace" {
			t.Errorf("the Deployment's %s is %q: it would roll out with the migration step", label, got)
		}
	})

	t.Run("service targets the HTTP port", func(t *testing.T) {
		svc := m.services[0]
		matches(t, "Service selector", svc.Spec.Selector, dep.Spec.Template.Labels)
		var found bool
		for _, p := range svc.Spec.Ports {
			if p.Name == "http" {
				found = true
				if got := resolvePort(p.TargetPort, api); got != port {
					t.Errorf("the Service's http port targets %s = %d; HTTP_ADDR listens on %d", p.TargetPort.String(), got, port)
				}
			}
			if resolvePort(p.TargetPort, api) == 0 {
				t.Errorf("the Service's port %q targets %s, which no container port is", p.Name, p.TargetPort.String())
			}
		}
		if !found {
			t.Error("the Service has no port named http")
		}
	})

	t.Run("autoscaler and disruption budget", func(t *testing.T) {
		h := m.hpas[0]
		if h.Spec.ScaleTargetRef.Kind != "Deployment" || h.Spec.ScaleTargetRef.Name != dep.Name || h.Spec.ScaleTargetRef.APIVersion != "apps/v1" {
			t.Errorf("the HPA scales %+v, not the Deployment %q", h.Spec.ScaleTargetRef, dep.Name)
		}
		if h.Spec.MinReplicas == nil || *h.Spec.MinReplicas < 2 || h.Spec.MaxReplicas < *h.Spec.MinReplicas {
			t.Errorf("the HPA scales between %v and %d; want at least 2", h.Spec.MinReplicas, h.Spec.MaxReplicas)
		}
		if dep.Spec.Replicas != nil {
			t.Error("the Deployment sets replicas: every apply would reset the autoscaler's count")
		}
		if len(h.Spec.Metrics) == 0 {
			t.Error("the HPA has no metric")
		}
		p := m.pdbs[0]
		if p.Spec.Selector == nil {
			t.Fatal("the PDB has no selector")
		}
		matches(t, "PDB selector", p.Spec.Selector.MatchLabels, dep.Spec.Template.Labels)
		matches(t, "Deployment selector", dep.Spec.Selector.MatchLabels, dep.Spec.Template.Labels)
		if (p.Spec.MinAvailable == nil) == (p.Spec.MaxUnavailable == nil) {
			t.Error("the PDB needs exactly one of minAvailable and maxUnavailable")
		}
	})

	t.Run("network policy", func(t *testing.T) {
		np := m.policies[0]
		matches(t, "NetworkPolicy podSelector", np.Spec.PodSelector.MatchLabels, dep.Spec.Template.Labels)
		matches(t, "NetworkPolicy podSelector", np.Spec.PodSelector.MatchLabels, m.jobs[0].Spec.Template.Labels)
		allowed := map[int32]bool{}
		for _, r := range np.Spec.Ingress {
			if len(r.From) == 0 {
				t.Error("an ingress rule admits every source")
			}
			if len(r.Ports) == 0 {
				t.Error("an ingress rule admits every port")
			}
			for _, p := range r.Ports {
				if p.Port == nil {
					t.Error("an ingress rule admits every port")
					continue
				}
				n := resolvePort(*p.Port, api)
				allowed[n] = true
				if n != port && n != resolvePort(intstr.FromString("metrics"), api) {
					t.Errorf("ingress admits port %s, which is neither HTTP_ADDR's nor METRICS_ADDR's", p.Port.String())
				}
			}
		}
		if !allowed[port] {
			t.Errorf("no ingress rule admits the HTTP port %d", port)
		}
		egress := map[string]bool{}
		for _, r := range np.Spec.Egress {
			for _, p := range r.Ports {
				if p.Port == nil {
					t.Error("an egress rule admits every port")
					continue
				}
				proto := corev1.ProtocolTCP
				if p.Protocol != nil {
					proto = *p.Protocol
				}
				egress[fmt.Sprintf("%s/%s", proto, p.Port.String())] = true
			}
			if len(r.Ports) == 0 {
				t.Error("an egress rule admits every port")
			}
		}
		for _, want := range []string{"UDP/53", "TCP/53", "TCP/5432", "TCP/6379", "TCP/443"} {
			if !egress[want] {
				t.Errorf("egress does not allow %s", want)
			}
		}
		if !slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeIngress) || !slices.Contains(np.Spec.PolicyTypes, networkingv1.PolicyTypeEgress) {
			t.Errorf("policyTypes %v: want Ingress and Egress", np.Spec.PolicyTypes)
		}
	})

	t.Run("environment references exist", func(t *testing.T) {
		for _, c := range append(slices.Clone(pod.Containers), m.jobs[0].Spec.Template.Spec.Containers...) {
			if len(c.EnvFrom) == 0 {
				t.Errorf("container %s takes nothing from the ConfigMap or the Secret", c.Name)
			}
			for _, ef := range c.EnvFrom {
				switch {
				case ef.ConfigMapRef != nil:
					if m.configMaps[ef.ConfigMapRef.Name] == nil {
						t.Errorf("container %s: envFrom ConfigMap %q does not exist", c.Name, ef.ConfigMapRef.Name)
					}
				case ef.SecretRef != nil:
					if m.secrets[ef.SecretRef.Name] == nil {
						t.Errorf("container %s: envFrom Secret %q does not exist", c.Name, ef.SecretRef.Name)
					}
				}
			}
			for _, e := range c.Env {
				if e.ValueFrom == nil {
					continue
				}
				if r := e.ValueFrom.ConfigMapKeyRef; r != nil {
					if cm := m.configMaps[r.Name]; cm == nil || !hasKey(cm.Data, r.Key) {
						t.Errorf("container %s: %s comes from ConfigMap %q key %q, which does not exist", c.Name, e.Name, r.Name, r.Key)
					}
				}
				if r := e.ValueFrom.SecretKeyRef; r != nil {
					if s := m.secrets[r.Name]; s == nil || !hasKey(s.StringData, r.Key) {
						t.Errorf("container %s: %s comes from Secret %q key %q, which does not exist", c.Name, e.Name, r.Name, r.Key)
					}
				}
			}
		}
		known := documentedEnv(t)
		for name := range m.env() {
			base := strings.TrimSuffix(name, "_FILE")
			if !known[base] && extraEnv[base] == "" {
				t.Errorf("%s is set but is no variable of README \"Configuration\"", name)
			}
		}
		for _, cm := range m.configMaps {
			for k := range cm.Data {
				for _, s := range m.secrets {
					if hasKey(s.StringData, k) {
						t.Errorf("%s is set in both the ConfigMap and the Secret", k)
					}
				}
			}
		}
		if m.env()["APP_ENV"] != "production" {
			t.Errorf("APP_ENV is %q; the cluster runs production", m.env()["APP_ENV"])
		}
	})

	t.Run("secret holds placeholders only", func(t *testing.T) {
		for _, s := range m.secrets {
			if len(s.Data) > 0 {
				t.Errorf("Secret %s has base64 data; the template keeps readable placeholders in stringData", s.Name)
			}
			if len(s.StringData) == 0 {
				t.Errorf("Secret %s is empty", s.Name)
			}
			for k, v := range s.StringData {
				if !strings.Contains(v, placeholder) {
					t.Errorf("Secret %s key %s holds a value without the %s placeholder: no real secret belongs in the repository", s.Name, k, placeholder)
				}
			}
		}
	})
}

// checkSecurity holds a pod to the restricted profile: non-root, no
// privilege escalation, no capabilities, seccomp, a read-only root with
// writable volumes at DATA_DIR and /tmp.
func checkSecurity(t *testing.T, what string, spec corev1.PodSpec, dataDir string) {
	t.Helper()
	psc := spec.SecurityContext
	if psc == nil {
		psc = &corev1.PodSecurityContext{}
	}
	podSeccomp := psc.SeccompProfile != nil && psc.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault
	if len(spec.InitContainers) > 0 || len(spec.EphemeralContainers) > 0 {
		t.Errorf("%s: init or ephemeral containers are not checked here", what)
	}
	if spec.HostNetwork || spec.HostPID || spec.HostIPC {
		t.Errorf("%s: shares a host namespace", what)
	}
	volumes := map[string]corev1.Volume{}
	for _, v := range spec.Volumes {
		volumes[v.Name] = v
	}
	for _, c := range spec.Containers {
		sc := c.SecurityContext
		if sc == nil {
			t.Errorf("%s container %s: no securityContext", what, c.Name)
			continue
		}
		if !isTrue(sc.RunAsNonRoot) && !isTrue(psc.RunAsNonRoot) {
			t.Errorf("%s container %s: runAsNonRoot is not true", what, c.Name)
		}
		if uid := sc.RunAsUser; uid != nil && *uid == 0 || sc.RunAsUser == nil && psc.RunAsUser != nil && *psc.RunAsUser == 0 {
			t.Errorf("%s container %s: runs as uid 0", what, c.Name)
		}
		if sc.AllowPrivilegeEscalation == nil || *sc.AllowPrivilegeEscalation {
			t.Errorf("%s container %s: allowPrivilegeEscalation is not false", what, c.Name)
		}
		if isTrue(sc.Privileged) {
			t.Errorf("%s container %s: privileged", what, c.Name)
		}
		if !isTrue(sc.ReadOnlyRootFilesystem) {
			t.Errorf("%s container %s: readOnlyRootFilesystem is not true", what, c.Name)
		}
		if sc.Capabilities == nil || !slices.Equal(sc.Capabilities.Drop, []corev1.Capability{"ALL"}) || len(sc.Capabilities.Add) > 0 {
			t.Errorf("%s container %s: capabilities must drop ALL and add none", what, c.Name)
		}
		seccomp := podSeccomp
		if sc.SeccompProfile != nil {
			seccomp = sc.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault
		}
		if !seccomp {
			t.Errorf("%s container %s: seccomp profile is not RuntimeDefault", what, c.Name)
		}
		for _, dir := range []string{dataDir, "/tmp"} {
			if dir == "" {
				t.Errorf("%s: DATA_DIR is not set in the ConfigMap", what)
				continue
			}
			if !writableMount(c, volumes, dir) {
				t.Errorf("%s container %s: %s is not a writable volume (emptyDir or PersistentVolumeClaim) on the read-only root", what, c.Name, dir)
			}
		}
	}
}

func writableMount(c corev1.Container, volumes map[string]corev1.Volume, dir string) bool {
	for _, vm := range c.VolumeMounts {
		if filepath.Clean(vm.MountPath) != filepath.Clean(dir) || vm.ReadOnly || vm.SubPath != "" {
			continue
		}
		v := volumes[vm.Name]
		return v.EmptyDir != nil || v.PersistentVolumeClaim != nil && !v.PersistentVolumeClaim.ReadOnly
	}
	return false
}

func matches(t *testing.T, what string, selector, labels map[string]string) {
	t.Helper()
	if len(selector) == 0 {
		t.Errorf("%s is empty", what)
	}
	for k, v := range selector {
		if labels[k] != v {
			t.Errorf("%s %s=%s does not match the pod labels %v", what, k, v, labels)
		}
	}
}

func hasKey(m map[string]string, k string) bool { _, ok := m[k]; return ok }

func isTrue(b *bool) bool { return b != nil && *b }

// documentedEnv is the set of variables README "Configuration" lists in its
// table (first column).
func documentedEnv(t *testing.T) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(b), "\n## Configuration\n")
	if !ok {
		t.Fatal("README.md has no \"## Configuration\" section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	name := regexp.MustCompile("`([A-Z][A-Z0-9_]+)`")
	known := map[string]bool{}
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		first := strings.SplitN(line, "|", 3)[1]
		for _, m := range name.FindAllStringSubmatch(first, -1) {
			known[m[1]] = true
		}
	}
	if len(known) < 10 {
		t.Fatalf("README \"Configuration\" lists %d variables; the table's layout changed", len(known))
	}
	return known
}

// drainSeconds reads how long `api serve` drains in-flight requests after
// SIGTERM from its source: the timeout of shutdownCtx in cmd/api/run.go's
// serve (context.WithTimeout(context.Background(), N*time.Second)).
func drainSeconds(t *testing.T) int64 {
	t.Helper()
	path := filepath.Join(repoRoot, "cmd", "api", "run.go")
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var secs int64 = -1
	ast.Inspect(f, func(n ast.Node) bool {
		as, ok := n.(*ast.AssignStmt)
		if !ok || len(as.Lhs) != 2 || len(as.Rhs) != 1 {
			return true
		}
		if id, ok := as.Lhs[0].(*ast.Ident); !ok || id.Name != "shutdownCtx" {
			return true
		}
		call, ok := as.Rhs[0].(*ast.CallExpr)
		if !ok || len(call.Args) != 2 {
			return true
		}
		if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "WithTimeout" {
			return true
		}
		secs = durationSeconds(call.Args[1])
		return false
	})
	if secs <= 0 {
		t.Fatalf("%s: no shutdownCtx := context.WithTimeout(…, N*time.Second) found; update drainSeconds to read the drain time", path)
	}
	return secs
}

// durationSeconds evaluates N*time.Second or N*time.Minute; -1 otherwise.
func durationSeconds(e ast.Expr) int64 {
	b, ok := e.(*ast.BinaryExpr)
	if !ok || b.Op != token.MUL {
		return -1
	}
	lit, ok := b.X.(*ast.BasicLit)
	if !ok || lit.Kind != token.INT {
		return -1
	}
	n, err := strconv.ParseInt(lit.Value, 10, 64)
	if err != nil {
		return -1
	}
	sel, ok := b.Y.(*ast.SelectorExpr)
	if !ok {
		return -1
	}
	if pkg, ok := sel.X.(*ast.Ident); !ok || pkg.Name != "time" {
		return -1
	}
	switch sel.Sel.Name {
	case "Second":
		return n
	case "Minute":
		return 60 * n
	}
	return -1
}
