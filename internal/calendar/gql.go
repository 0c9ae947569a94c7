package calendar

import (
	"fmt"
	"io"
	"strconv"
)

// MarshalGQL writes d as a GraphQL Date ("2006-01-02").
func (d Date) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(d.String())) }

// UnmarshalGQL reads a GraphQL Date.
func (d *Date) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("a Date is a string YYYY-MM-DD")
	}
	got, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = got
	return nil
}

// MarshalGQL writes k as a GraphQL enum value.
func (k DayKind) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(k))) }

// UnmarshalGQL reads a DayKind.
func (k *DayKind) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok || (s != string(Workday) && s != string(RestDay) && s != string(Holiday)) {
		return fmt.Errorf("%v is not a DayKind", v)
	}
	*k = DayKind(s)
	return nil
}

// Clock writes minutes after midnight as "HH:MM".
func Clock(minute int) string { return fmt.Sprintf("%02d:%02d", minute/60, minute%60) }

// ParseClock reads "HH:MM" (00:00 to 24:00) as minutes after midnight.
func ParseClock(s string) (int, error) {
	var h, m int
	if n, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil || n != 2 || len(s) != 5 || h < 0 || m < 0 || m > 59 || h*60+m > 24*60 {
		return 0, fmt.Errorf("%q is not a clock time HH:MM", s)
	}
	return h*60 + m, nil
}

// DayInfo is one day of the calendar as the API shows it.
type DayInfo struct {
	Date    Date
	Kind    DayKind
	Holiday *string
}

// Days lists the days from first to last with their kinds.
func (c *Calendar) Days(first, last Date) []DayInfo {
	var out []DayInfo
	for d := first; !d.After(last); d = d.AddDays(1) {
		info := DayInfo{Date: d, Kind: c.Kind(d)}
		if name, ok := c.holidays[d]; ok {
			info.Holiday = &name
		}
		out = append(out, info)
	}
	return out
}
