package messaging

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/msgtype"
	"github.com/corpline/corpline/internal/viewer"
)

// Content is a message's body as one reader reads it.
type Content struct {
	msgtype.Body
	// Watermark names the reader of a confidential message, to be shown
	// over the content so that a screenshot traces back to them.
	Watermark *string
}

var errNotReader = apperr.E(apperr.Forbidden, "only the sender and the recipients read a message's content")

// errWithheld is what a recipient of a forwarded confidential message gets.
var errWithheld = apperr.E(apperr.Forbidden, "this message is confidential: forwarding does not pass its content on")

// Content returns m's content for the viewer: its sender or a recipient.
// Seeing a message (a super admin does) is not reading it. A confidential
// message is read only by its original recipients and sender, each reading
// is recorded, and the content comes with a watermark naming the reader.
// A recalled message has no content left (nil).
func (s *Service) Content(ctx context.Context, m *ent.Message) (*Content, error) {
	v := viewer.FromContext(ctx)
	if m.RecalledAt != nil {
		return nil, nil
	}
	sender := sentBy(m, v)
	if !sender {
		if v.Kind != viewer.KindMember {
			return nil, errNotReader
		}
		e, err := s.readerEntry(ctx, m, v)
		if ent.IsNotFound(err) {
			return nil, errNotReader
		}
		if err != nil {
			return nil, fmt.Errorf("content: %w", err)
		}
		if e.Withheld {
			return nil, errWithheld
		}
	}
	if m.Body == nil {
		return nil, errWithheld // a confidential forward, read by its forwarder
	}
	c := &Content{Body: *m.Body}
	if !m.Confidential || v.Kind != viewer.KindMember {
		return c, nil
	}
	// The reader records their own reading; a member always sees
	// themselves, so their userid is there for the watermark.
	db := s.db(ctx)
	reader, err := db.Member.Get(ctx, v.MemberID)
	if err != nil {
		return nil, fmt.Errorf("content: reader: %w", err)
	}
	now := s.now()
	err = db.ConfidentialView.Create().
		SetMessageID(m.ID).
		SetMemberID(v.MemberID).
		SetCreatedAt(now).
		Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("content: record reading: %w", err)
	}
	w := Watermark(reader.Name, reader.Userid)
	c.Watermark = &w
	return c, nil
}

// readerEntry is the viewer's own unrecalled entry of m: the one the inbox
// stream loaded with it (see changes), or else read through the inbox
// policy, which shows only that one.
func (s *Service) readerEntry(ctx context.Context, m *ent.Message, v *viewer.Viewer) (*ent.InboxEntry, error) {
	for _, e := range m.Edges.Entries {
		if e.MemberID == v.MemberID && e.RecalledAt == nil {
			return e, nil
		}
	}
	return s.db(ctx).InboxEntry.Query().Where(inboxentry.MessageID(m.ID)).Only(ctx)
}

// Watermark is the text shown over a confidential message: the reader's
// name and userid.
func Watermark(name, userid string) string {
	return fmt.Sprintf("Confidential · %s (%s)", name, userid)
}
