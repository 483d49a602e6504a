package catalog

import (
	"math"
	"strings"

	"github.com/solodestination/api/internal/platform/web"
)

// Location is a WGS84 point.
type Location struct {
	Lat float64 `json:"lat" minimum:"-90" maximum:"90" example:"-7.5778"`
	Lng float64 `json:"lng" minimum:"-180" maximum:"180" example:"110.8278"`
} // @name GeoPoint

// earthRadiusM is the mean Earth radius (IUGG). Every distance_m the API
// returns is the haversine great-circle distance on this sphere, on both
// databases.
const earthRadiusM = 6371008.8

// Radius limits of the near filter.
const (
	DefaultRadiusM = 5000
	MaxRadiusM     = 50000
)

// distanceM is the great-circle distance between two points in metres.
func distanceM(a, b Location) float64 {
	const rad = math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLng := (b.Lng - a.Lng) * rad
	h := math.Pow(math.Sin(dLat/2), 2) + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Pow(math.Sin(dLng/2), 2)
	return 2 * earthRadiusM * math.Asin(math.Min(1, math.Sqrt(h)))
}

// roundDistance keeps one decimal: centimetres would be false precision.
func roundDistance(m float64) float64 { return math.Round(m*10) / 10 }

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

// latLngBox bounds the points within r metres of p: the latitude band is
// exact; the longitude band is widened to all longitudes near the poles.
func latLngBox(p Location, r float64) (minLat, maxLat, minLng, maxLng float64) {
	dLat := r / earthRadiusM * 180 / math.Pi
	minLat, maxLat = p.Lat-dLat, p.Lat+dLat
	cos := math.Cos(math.Max(math.Abs(minLat), math.Abs(maxLat)) * math.Pi / 180)
	if maxLat >= 90 || minLat <= -90 || cos < 1e-6 {
		return minLat, maxLat, -180, 180
	}
	dLng := dLat / cos
	if p.Lng-dLng < -180 || p.Lng+dLng > 180 {
		return minLat, maxLat, -180, 180 // crosses the antimeridian: keep it simple
	}
	return minLat, maxLat, p.Lng - dLng, p.Lng + dLng
}
