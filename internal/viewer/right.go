package viewer

import (
	"fmt"
	"io"
	"strconv"
)

// Right is one power a scoped admin can be granted over their subtrees.
type Right string

const (
	RightManageMembers     Right = "MANAGE_MEMBERS"
	RightManageDepartments Right = "MANAGE_DEPARTMENTS"
	RightSendMessages      Right = "SEND_MESSAGES"
	RightManageApps        Right = "MANAGE_APPS"
	// RightManageAnnouncements writes, publishes and follows the reading of
	// announcements by authors of the admin's subtrees, to audiences inside them.
	RightManageAnnouncements Right = "MANAGE_ANNOUNCEMENTS"
)

// AllRights lists every right, in the order the schema shows them.
var AllRights = []Right{RightManageMembers, RightManageDepartments, RightSendMessages, RightManageApps, RightManageAnnouncements}

// IsValid reports whether r is a known right.
func (r Right) IsValid() bool {
	for _, k := range AllRights {
		if r == k {
			return true
		}
	}
	return false
}

// MarshalGQL writes r as a GraphQL enum value.
func (r Right) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(r))) }

// UnmarshalGQL reads r from a GraphQL enum value.
func (r *Right) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("AdminRight must be a string")
	}
	*r = Right(s)
	if !r.IsValid() {
		return fmt.Errorf("%q is not a valid AdminRight", s)
	}
	return nil
}
