package judge

import (
	"math"
	"testing"
)

func TestHaversineAtKnownCoordinates(t *testing.T) {
	for _, c := range []struct {
		name                   string
		lat1, lng1, lat2, lng2 float64
		want, tolerance        float64
	}{
		// One degree of latitude on a sphere of the mean radius.
		{"one degree of latitude", 0, 0, 1, 0, 111195.08, 0.5},
		// A quarter of the equator.
		{"quarter equator", 0, 0, 0, 90, math.Pi / 2 * EarthRadius, 0.5},
		{"pole to pole", 90, 0, -90, 0, math.Pi * EarthRadius, 0.5},
		// Tiananmen to the Bund, Shanghai: 1,067 km by great circle.
		{"Beijing to Shanghai", 39.9087, 116.3975, 31.2397, 121.4998, 1067.3e3, 2e3},
		// Paris (Notre-Dame) to London (Trafalgar Square): 343 km.
		{"Paris to London", 48.8530, 2.3499, 51.5080, -0.1281, 343.5e3, 1e3},
		{"same point", 31.23, 121.47, 31.23, 121.47, 0, 1e-6},
		// Across the antimeridian: 0.2 degrees of longitude at the equator.
		{"antimeridian", 0, 179.9, 0, -179.9, 22239.0, 1},
	} {
		if got := Distance(c.lat1, c.lng1, c.lat2, c.lng2); math.Abs(got-c.want) > c.tolerance {
			t.Errorf("%s: %.1f m, want %.1f ± %.1f", c.name, got, c.want, c.tolerance)
		}
	}
}

func TestNearestPlaceHoldingThePosition(t *testing.T) {
	office := Place{Name: "Office", Latitude: 31.2304, Longitude: 121.4737, Radius: 300}
	annex := Place{Name: "Annex", Latitude: 31.2330, Longitude: 121.4737, Radius: 500}
	// About 111 m north of the office, 178 m south of the annex: both hold
	// it, the office is nearer.
	p, d := Nearest([]Place{annex, office}, 31.2314, 121.4737)
	if p == nil || p.Name != "Office" || math.Abs(d-111.2) > 1 {
		t.Fatalf("nearest: %v %.1f", p, d)
	}
	// About 1.1 km away: neither.
	if p, _ := Nearest([]Place{office}, 31.2404, 121.4737); p != nil {
		t.Fatalf("1.1 km away matched %v", p)
	}
	if ValidPosition(91, 0) || ValidPosition(0, -181) || ValidPosition(math.NaN(), 0) || !ValidPosition(-90, 180) {
		t.Errorf("ValidPosition")
	}
}
