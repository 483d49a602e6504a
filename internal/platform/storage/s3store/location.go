package s3store

import (
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/minio/minio-go/v7/pkg/s3utils"

	"github.com/solodestination/api/internal/platform/storage"
)

// Location is a parsed STORAGE_URL:
//
//	s3://BUCKET[/PREFIX][?endpoint=URL][&region=REGION][&path_style=true|false]
//
// endpoint is the http:// or https:// origin of an S3-compatible service
// (MinIO, Ceph, SeaweedFS, Garage, a cloud's S3 API); without it the store is
// Amazon S3 over https. Credentials never belong in the URL: they come from
// STORAGE_ACCESS_KEY_ID and STORAGE_SECRET_ACCESS_KEY, or AWS's own
// variables and roles.
type Location struct {
	Bucket string
	// Prefix is where this deployment's objects start inside the bucket,
	// without leading or trailing slash; empty for the bucket's root.
	Prefix string
	// Endpoint is host[:port]; Secure says whether it speaks https.
	Endpoint string
	Secure   bool
	// Region is the bucket's region; empty lets the client ask the service.
	Region string
	// PathStyle: "true" puts the bucket in the path (what MinIO and most
	// self-hosted services want), "false" in the host name, "" lets the
	// client decide by the endpoint.
	PathStyle string
}

// AmazonS3 is the endpoint when STORAGE_URL names none.
const AmazonS3 = "s3.amazonaws.com"

// knownParams are the query parameters STORAGE_URL accepts.
var knownParams = map[string]bool{"endpoint": true, "region": true, "path_style": true}

// ParseURL reads a STORAGE_URL. Its errors name what is wrong without
// repeating the URL.
func ParseURL(raw string) (Location, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Location{}, errors.New("not a URL")
	}
	if u.Scheme != "s3" {
		return Location{}, fmt.Errorf("scheme must be s3://, not %q", u.Scheme)
	}
	if u.User != nil {
		return Location{}, errors.New("credentials do not belong in the URL: set STORAGE_ACCESS_KEY_ID and STORAGE_SECRET_ACCESS_KEY")
	}
	if u.Fragment != "" || u.Opaque != "" {
		return Location{}, errors.New("a fragment or opaque part is not allowed")
	}
	loc := Location{Bucket: u.Host, Endpoint: AmazonS3, Secure: true}
	if err := s3utils.CheckValidBucketNameStrict(loc.Bucket); err != nil {
		return Location{}, fmt.Errorf("bucket %q: %v", loc.Bucket, err)
	}
	if p := strings.Trim(u.Path, "/"); p != "" {
		if !storage.ValidKey(p) {
			return Location{}, fmt.Errorf("prefix %q: use slash-separated segments of letters, digits, '.', '_' and '-', none starting with a dot", p)
		}
		loc.Prefix = p
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Location{}, errors.New("malformed query")
	}
	var unknown []string
	for k, v := range q {
		if !knownParams[k] {
			unknown = append(unknown, k)
		} else if len(v) != 1 {
			return Location{}, fmt.Errorf("%s given %d times", k, len(v))
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return Location{}, fmt.Errorf("unknown parameter %s (known: endpoint, region, path_style)", strings.Join(unknown, ", "))
	}
	if e := q.Get("endpoint"); e != "" {
		eu, err := url.Parse(e)
		switch {
		case err != nil || eu.Scheme != "http" && eu.Scheme != "https":
			return Location{}, errors.New("endpoint must be an http:// or https:// origin such as https://minio.internal:9000")
		case eu.Host == "" || eu.User != nil || strings.Trim(eu.Path, "/") != "" || eu.RawQuery != "" || eu.Fragment != "":
			return Location{}, errors.New("endpoint must be an origin (scheme, host and port) without user, path or query")
		}
		loc.Endpoint, loc.Secure = eu.Host, eu.Scheme == "https"
	}
	loc.Region = q.Get("region")
	if ps := q.Get("path_style"); ps != "" {
		b, err := strconv.ParseBool(ps)
		if err != nil {
			return Location{}, errors.New("path_style must be true or false")
		}
		loc.PathStyle = strconv.FormatBool(b)
	}
	return loc, nil
}

// String is the location as a URL, for logs: it holds no secret.
func (l Location) String() string {
	scheme := "http"
	if l.Secure {
		scheme = "https"
	}
	s := "s3://" + l.Bucket + "/" + l.Prefix + "?endpoint=" + scheme + "://" + l.Endpoint
	if l.Region != "" {
		s += "&region=" + url.QueryEscape(l.Region)
	}
	if l.PathStyle != "" {
		s += "&path_style=" + l.PathStyle
	}
	return s
}
