package viewer

import "context"

// HasSlot reports whether ctx has a place for a viewer (see WithSlot).
func HasSlot(ctx context.Context) bool {
	_, ok := ctx.Value(slotKey{}).(interface{ Load() *Viewer })
	return ok
}
