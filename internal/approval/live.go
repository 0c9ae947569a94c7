package approval

import (
	"context"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/internal/realtime/live"
)

// Follow streams approval id as the viewer sees it: now, then after each
// change (its revision grows with every action). An approval the viewer
// may not see is NOT_FOUND, like one that does not exist; one they stop
// seeing ends the stream with NOT_FOUND.
func (s *Service) Follow(ctx context.Context, id string) (<-chan *ent.Approval, error) {
	if _, err := s.client.Approval.Get(ctx, id); err != nil {
		return nil, notFound(err, "approval")
	}
	last := -1
	return live.Run(ctx, s.live, live.Source[*ent.Approval]{
		Topics: []string{Topic(id)},
		Fetch: func(ctx context.Context, _ int) ([]*ent.Approval, bool, error) {
			a, err := s.client.Approval.Get(ctx, id)
			if err != nil {
				return nil, false, notFound(err, "approval")
			}
			if a.Revision <= last {
				return nil, false, nil
			}
			last = a.Revision
			return []*ent.Approval{a}, false, nil
		},
	})
}
