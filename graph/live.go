package graph

import (
	"context"

	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/viewer"
)

// wakeMember wakes the live connections of v's member once the request
// commits: they re-check their viewer (see package live) and end when it
// no longer holds, as after a logout.
func (r *Resolver) wakeMember(ctx context.Context, v *viewer.Viewer) {
	if v == nil || v.MemberID == "" {
		return
	}
	bus.PublishAfterCommit(ctx, r.Publisher, bus.MemberTopic(v.MemberID))
}
