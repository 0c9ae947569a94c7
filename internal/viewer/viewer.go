// Package viewer carries who is making a request through the context.
//
// Identity enters once, at the edge (HTTP middleware or the websocket
// InitFunc), from a verified token; everything below reads it from here and
// never from an argument the client chooses.
package viewer

import (
	"context"
	"strings"
	"sync/atomic"

	"github.com/corpline/corpline/internal/audience"
)

// Kind says what sort of principal a viewer is.
type Kind int

const (
	// KindMember is a person of an enterprise's directory.
	KindMember Kind = iota + 1
	// KindApp is an enterprise app acting with its own credentials.
	KindApp
	// KindOperator runs the platform and sees every enterprise.
	KindOperator
)

// Visibility mirrors the enterprise setting directoryVisibility.
type Visibility string

const (
	VisibilityEveryone   Visibility = "EVERYONE"
	VisibilityDepartment Visibility = "DEPARTMENT"
)

// Viewer is the authenticated principal of one request.
type Viewer struct {
	Kind         Kind
	EnterpriseID string
	MemberID     string // set for KindMember
	OperatorID   string // set for KindOperator
	SessionID    string // the session the token belongs to, for logout
	Name         string

	// AppID is set for KindApp, with AppTokenID the token it presented.
	AppID      string
	AppTokenID string
	// Range is an app's visible range: the members and departments it may
	// read and send to. Set for KindApp only.
	Range *audience.Audience

	// Visibility is the enterprise's directoryVisibility when the viewer was loaded.
	Visibility Visibility
	// DeptPaths are the materialized paths ("/dep_a/dep_b/") of the member's departments.
	DeptPaths []string
	// TagIDs are the member's tags, for audiences that name tags.
	TagIDs []string
	// Admin is nil for members who administer nothing.
	Admin *Admin
}

// ID identifies who v is: the member, app or operator. It is the GraphQL
// Viewer's id, by which client caches normalize it.
func (v *Viewer) ID() string {
	switch {
	case v.MemberID != "":
		return v.MemberID
	case v.AppID != "":
		return v.AppID
	}
	return v.OperatorID
}

// Admin is what a viewer may administer.
type Admin struct {
	Super bool
	// ScopePaths are the paths of the department subtrees a scoped admin manages.
	ScopePaths []string
	Rights     map[Right]bool
}

// Can reports whether the admin holds right r (a super admin holds every right).
func (a *Admin) Can(r Right) bool {
	return a != nil && (a.Super || a.Rights[r])
}

// InScope reports whether the department at path lies in one of the admin's subtrees.
func (a *Admin) InScope(path string) bool {
	if a == nil {
		return false
	}
	if a.Super {
		return true
	}
	return UnderAny(path, a.ScopePaths)
}

// IsSuperAdmin reports whether v administers its whole enterprise.
func (v *Viewer) IsSuperAdmin() bool {
	return v != nil && v.Admin != nil && v.Admin.Super
}

// IsOperator reports whether v is a platform operator.
func (v *Viewer) IsOperator() bool {
	return v != nil && v.Kind == KindOperator
}

// Facts describe a member viewer for audience checks.
func (v *Viewer) Facts() audience.Facts {
	return audience.Facts{MemberID: v.MemberID, DeptPaths: v.DeptPaths, TagIDs: v.TagIDs}
}

// SeesWholeDirectory reports whether no department filter applies to v's reads.
func (v *Viewer) SeesWholeDirectory() bool {
	return v.Kind == KindOperator || v.IsSuperAdmin() ||
		(v.Kind == KindMember && v.Visibility != VisibilityDepartment) ||
		(v.Kind == KindApp && v.Range != nil && v.Range.Everyone)
}

// UnderAny reports whether path lies in the subtree of any of roots. Paths
// end in "/", so "/a/" never contains "/ab/"; an empty root contains nothing
// (it would otherwise contain everything).
func UnderAny(path string, roots []string) bool {
	for _, r := range roots {
		if r != "" && strings.HasPrefix(path, r) {
			return true
		}
	}
	return false
}

// Ancestors returns the IDs of the departments above the ones at paths (not
// the departments themselves), without duplicates.
func Ancestors(paths []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, p := range paths {
		parts := strings.Split(strings.Trim(p, "/"), "/")
		for _, id := range parts[:max(len(parts)-1, 0)] {
			if id != "" && !seen[id] {
				seen[id] = true
				out = append(out, id)
			}
		}
	}
	return out
}

type slotKey struct{}

// NewContext returns ctx carrying v, in a place that Adopt can change later.
// A live subscription relies on it: it re-checks its member on every wake-up
// and adopts the fresh viewer, so the fields of its later events are read as
// the member is now (moved, demoted or disabled), not as they were at connect.
func NewContext(ctx context.Context, v *Viewer) context.Context {
	s := new(atomic.Pointer[Viewer])
	s.Store(v)
	return context.WithValue(ctx, slotKey{}, s)
}

// WithSlot returns ctx with an empty place for a viewer that Adopt fills
// later in the same request. Login needs it: the viewer it creates must see
// the rest of the login response (`login { viewer { member { ... } } }`).
func WithSlot(ctx context.Context) context.Context {
	return NewContext(ctx, nil)
}

// Adopt makes v the viewer of the rest of the request (or connection), when
// ctx has a place for one. Adopting nil leaves the request without a viewer.
func Adopt(ctx context.Context, v *Viewer) {
	if s, ok := ctx.Value(slotKey{}).(*atomic.Pointer[Viewer]); ok {
		s.Store(v)
	}
}

// FromContext returns the viewer of ctx, or nil.
func FromContext(ctx context.Context) *Viewer {
	if s, ok := ctx.Value(slotKey{}).(*atomic.Pointer[Viewer]); ok {
		return s.Load()
	}
	return nil
}
