package judge

import "math"

// EarthRadius is the mean radius of the Earth in meters (IUGG).
const EarthRadius = 6371008.8

// MaxAccuracy is the worst position accuracy, in meters, a check-in may
// report: beyond it the position says nothing about being at a place.
const MaxAccuracy = 1000

// Distance is the great-circle distance in meters between two positions in
// degrees, by the haversine formula (exact on a sphere, within 0.5% on the
// Earth: enough to tell 300 m from 3 km).
func Distance(lat1, lng1, lat2, lng2 float64) float64 {
	rad := math.Pi / 180
	dLat := (lat2 - lat1) * rad
	dLng := (lng2 - lng1) * rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return 2 * EarthRadius * math.Asin(math.Min(1, math.Sqrt(a)))
}

// Place is where members may check in: a point and a radius.
type Place struct {
	Name      string  `json:"name"`
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	// Radius in meters.
	Radius int `json:"radius"`
}

// ValidPosition reports whether lat and lng are degrees on the Earth.
func ValidPosition(lat, lng float64) bool {
	return !math.IsNaN(lat) && !math.IsNaN(lng) && lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180
}

// Nearest is the place among places whose circle holds the position and
// whose center is nearest to it, with the distance; nil when none holds it.
func Nearest(places []Place, lat, lng float64) (*Place, float64) {
	var best *Place
	bestD := math.Inf(1)
	for i := range places {
		d := Distance(lat, lng, places[i].Latitude, places[i].Longitude)
		if d <= float64(places[i].Radius) && d < bestD {
			best, bestD = &places[i], d
		}
	}
	return best, bestD
}
