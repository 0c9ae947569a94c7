// Package events records what changed in an enterprise as typed events that
// its apps read (and, later, receive at their callback URL).
//
// An event is a row written in the transaction of the change, so it exists
// exactly when the change committed. It carries a unique id (apps deduplicate
// by it), its type, when it occurred, its enterprise, the ID of what changed
// (its subject) and a payload holding only fields every app that may see the
// subject may read: no mobile, no email, nothing confidential.
//
// Who reads events is policy.VisibleEvents: an app, for the subjects inside
// its visible range (as the range and the directory are when it reads), for
// policy.EventRetention; members and operators read none.
package events

import (
	"slices"

	"github.com/corpline/corpline/internal/apperr"
)

// Type names one kind of event, as apps subscribe to it.
type Type string

// The catalog of event types. Apps subscribe to these names.
const (
	MemberCreated   Type = "member.created"
	MemberUpdated   Type = "member.updated"
	MemberActivated Type = "member.activated"
	MemberDisabled  Type = "member.disabled"
	MemberEnabled   Type = "member.enabled"
	MemberDeleted   Type = "member.deleted"
	MemberMoved     Type = "member.moved"
)

// Described is one entry of the catalog as clients list it.
type Described struct {
	Name        Type
	Description string
}

// Catalog lists every event type, in a stable order.
var Catalog = []Described{
	{MemberCreated, "A member was added to the directory (one by one or by import)."},
	{MemberUpdated, "A member's name, position or contacts changed."},
	{MemberActivated, "A member became a follower (ACTIVE)."},
	{MemberDisabled, "An admin disabled a member."},
	{MemberEnabled, "An admin enabled a disabled member again."},
	{MemberDeleted, "A member was deleted from the directory."},
	{MemberMoved, "A member's departments changed."},
}

// Known reports whether t is in the catalog.
func Known(t Type) bool {
	return slices.ContainsFunc(Catalog, func(d Described) bool { return d.Name == t })
}

// CheckTypes normalizes a subscription list: unknown names are
// BAD_USER_INPUT naming field; repeats are dropped.
func CheckTypes(field string, names []string) ([]string, error) {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if !Known(Type(n)) {
			return nil, apperr.Input(field, "unknown event type %q (see eventTypes)", n)
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}
