package schema

import "time"

// timeNow is the clock of generated defaults; a variable so it reads as one place.
var timeNow = time.Now
