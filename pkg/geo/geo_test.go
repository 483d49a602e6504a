package geo_test

import (
	"math"
	"testing"

	"github.com/solodestination/api/pkg/geo"
)

func TestDistanceM(t *testing.T) {
	// Two points in the old town of Surakarta, about 1 km apart.
	d := geo.DistanceM(-7.5778, 110.8278, -7.5692, 110.8316)
	if d < 1000 || d > 1100 {
		t.Fatalf("distance = %.1f m, want about 1 030 m", d)
	}
	if geo.DistanceM(-7.5, 110.8, -7.5, 110.8) != 0 {
		t.Fatal("a point is 0 m from itself")
	}
	// A quarter of a meridian.
	if q := geo.DistanceM(0, 0, 90, 0); math.Abs(q-geo.EarthRadiusM*math.Pi/2) > 1e-6 {
		t.Fatalf("quarter meridian = %f", q)
	}
}

func TestBoxHoldsEveryPointWithinTheRadius(t *testing.T) {
	for _, c := range []struct{ lat, lng, r float64 }{{-7.5755, 110.8243, 5000}, {-7.5755, 110.8243, 50000}, {89.9, 10, 50000}, {0, 179.9, 50000}} {
		minLat, maxLat, minLng, maxLng := geo.Box(c.lat, c.lng, c.r)
		for i := range 360 {
			// A point on the circle of radius r, by bearing.
			b := float64(i) * math.Pi / 180
			d := c.r / geo.EarthRadiusM
			lat1 := c.lat * math.Pi / 180
			lat2 := math.Asin(math.Sin(lat1)*math.Cos(d) + math.Cos(lat1)*math.Sin(d)*math.Cos(b))
			lng2 := c.lng*math.Pi/180 + math.Atan2(math.Sin(b)*math.Sin(d)*math.Cos(lat1), math.Cos(d)-math.Sin(lat1)*math.Sin(lat2))
			plat, plng := lat2*180/math.Pi, lng2*180/math.Pi
			if plng > 180 {
				plng -= 360
			}
			if plat < minLat-1e-9 || plat > maxLat+1e-9 || plng < minLng-1e-9 || plng > maxLng+1e-9 {
				t.Fatalf("%+v: bearing %d° point (%f, %f) outside the box [%f,%f]×[%f,%f]", c, i, plat, plng, minLat, maxLat, minLng, maxLng)
			}
		}
	}
}
