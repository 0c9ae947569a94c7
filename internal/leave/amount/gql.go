package amount

import (
	"fmt"
	"io"
	"slices"
	"strconv"
)

// MarshalGQL writes p as a GraphQL enum value.
func (p Part) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(p))) }

// UnmarshalGQL reads a LeavePart.
func (p *Part) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	if !slices.Contains([]Part{PartFull, PartAM, PartPM, PartHours}, Part(s)) {
		return fmt.Errorf("%v is not a LeavePart", v)
	}
	*p = Part(s)
	return nil
}

// MarshalGQL writes k as a GraphQL enum value.
func (k GrantKind) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(k))) }

// UnmarshalGQL reads a LeaveGrantKind.
func (k *GrantKind) UnmarshalGQL(v any) error {
	s, _ := v.(string)
	if !slices.Contains([]GrantKind{GrantNone, GrantFixed, GrantByService}, GrantKind(s)) {
		return fmt.Errorf("%v is not a LeaveGrantKind", v)
	}
	*k = GrantKind(s)
	return nil
}
