// Package geo is the small amount of sphere geometry the API needs: the
// haversine distance that every distance_m is, and the latitude/longitude
// box an index can search before the exact distance is checked.
package geo

import "math"

// EarthRadiusM is the mean Earth radius (IUGG). Every distance_m the API
// returns is the haversine great-circle distance on this sphere, on both
// databases.
const EarthRadiusM = 6371008.8

// DistanceM is the great-circle distance between two WGS84 points in metres.
func DistanceM(lat1, lng1, lat2, lng2 float64) float64 {
	const rad = math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLng := (lng2 - lng1) * rad
	h := math.Pow(math.Sin(dLat/2), 2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Pow(math.Sin(dLng/2), 2)
	return 2 * EarthRadiusM * math.Asin(math.Min(1, math.Sqrt(h)))
}

// RoundM keeps one decimal: centimetres would be false precision.
func RoundM(m float64) float64 { return math.Round(m*10) / 10 }

// Box bounds the points within r metres of (lat, lng): the latitude band is
// exact; the longitude band is widened to all longitudes near the poles and
// across the antimeridian.
func Box(lat, lng, r float64) (minLat, maxLat, minLng, maxLng float64) {
	dLat := r / EarthRadiusM * 180 / math.Pi
	minLat, maxLat = lat-dLat, lat+dLat
	cos := math.Cos(math.Max(math.Abs(minLat), math.Abs(maxLat)) * math.Pi / 180)
	if maxLat >= 90 || minLat <= -90 || cos < 1e-6 {
		return minLat, maxLat, -180, 180
	}
	dLng := dLat / cos
	if lng-dLng < -180 || lng+dLng > 180 {
		return minLat, maxLat, -180, 180
	}
	return minLat, maxLat, lng - dLng, lng + dLng
}
