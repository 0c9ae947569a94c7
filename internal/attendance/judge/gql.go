package judge

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// Statuses lists every daily result.
var Statuses = []Status{Normal, LateArrival, EarlyLeave, MissingCheckIn, Absent, OnLeave, OnTrip, Outing, RestDay, Holiday}

// MarshalGQL writes s as a GraphQL enum value.
func (s Status) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(s))) }

// UnmarshalGQL reads an AttendanceStatus.
func (s *Status) UnmarshalGQL(v any) error {
	str, _ := v.(string)
	if !slices.Contains(Statuses, Status(str)) {
		return fmt.Errorf("%v is not an AttendanceStatus", v)
	}
	*s = Status(str)
	return nil
}
