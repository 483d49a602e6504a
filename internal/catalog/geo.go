package catalog

import (
	"math"
	"strings"

	"github.com/solodestination/api/internal/platform/web"
	"github.com/solodestination/api/pkg/geo"
)

// Location is a WGS84 point.
type Location struct {
	Lat float64 `json:"lat" minimum:"-90" maximum:"90" example:"-7.5778"`
	Lng float64 `json:"lng" minimum:"-180" maximum:"180" example:"110.8278"`
} // @name GeoPoint

// Radius limits of the near filter.
const (
	DefaultRadiusM = 5000
	MaxRadiusM     = 50000
)

// distanceM is the great-circle distance between two points in metres.
func distanceM(a, b Location) float64 { return geo.DistanceM(a.Lat, a.Lng, b.Lat, b.Lng) }

// parseNear reads "lat,lng"; false unless both are numbers in range.
func parseNear(s string) (Location, bool) {
	a, b, ok := strings.Cut(s, ",")
	if !ok {
		return Location{}, false
	}
	lat, err1 := web.ParseFinite(strings.TrimSpace(a))
	lng, err2 := web.ParseFinite(strings.TrimSpace(b))
	if err1 != nil || err2 != nil || !validLatLng(lat, lng) {
		return Location{}, false
	}
	return Location{Lat: lat, Lng: lng}, true
}

func validLatLng(lat, lng float64) bool {
	return !math.IsNaN(lat) && !math.IsNaN(lng) && lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180
}

// latLngBox bounds the points within r metres of p (geo.Box).
func latLngBox(p Location, r float64) (minLat, maxLat, minLng, maxLng float64) {
	return geo.Box(p.Lat, p.Lng, r)
}
