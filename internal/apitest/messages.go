package apitest

// Messaging helpers: send as an app or admin, read an inbox as a member.

// SendResult is the answer of sendMessage or forwardMessage.
type SendResult struct {
	Message struct {
		ID string
	}
	RecipientCount    int
	UnknownTargets    []string
	OutOfRangeTargets []string
	Replayed          bool
}

// SendFields selects every field of SendResult.
const SendFields = `message { id } recipientCount unknownTargets outOfRangeTargets replayed`

// Text is the SendMessageInput of a text message to targets.
func Text(text string, targets Range) map[string]any {
	return map[string]any{"kind": "TEXT", "content": map[string]any{"text": text}, "targets": targets.Input()}
}

// Send sends a message and fails the test on error.
func (c *Client) Send(in map[string]any) SendResult {
	c.env.T.Helper()
	var out struct{ SendMessage SendResult }
	c.MustDo(`mutation($in: SendMessageInput!) { sendMessage(input: $in) { `+SendFields+` } }`, map[string]any{"in": in}, &out)
	return out.SendMessage
}

// TrySend sends a message and returns the raw response.
func (c *Client) TrySend(in map[string]any) *Response {
	c.env.T.Helper()
	return c.Do(`mutation($in: SendMessageInput!) { sendMessage(input: $in) { `+SendFields+` } }`, map[string]any{"in": in})
}

// Entry is an inbox entry as tests read it.
type Entry struct {
	ID           string
	Seq          int
	ReadAt       *string
	Confidential bool
	Withheld     bool
	Message      struct {
		ID   string
		Kind string
	}
}

// EntryFields selects every field of Entry.
const EntryFields = `id seq readAt confidential withheld message { id kind }`

// Inbox is a page of a member's inbox with its counts.
type Inbox struct {
	TotalCount int
	Entries    []Entry
	EndCursor  string
	Unread     struct {
		Total  int
		Others int
		Apps   []struct {
			App   *struct{ ID string }
			Count int
		}
		Conversations []struct {
			Conversation *struct{ ID string }
			Count        int
		}
	}
}

// Inbox reads the newest first entries of the signed-in member's inbox.
func (c *Client) Inbox(first int) Inbox {
	c.env.T.Helper()
	var out struct {
		Inbox struct {
			TotalCount int
			Edges      []struct{ Node Entry }
			PageInfo   struct{ EndCursor string }
			Unread     struct {
				Total  int
				Others int
				Apps   []struct {
					App   *struct{ ID string }
					Count int
				}
				Conversations []struct {
					Conversation *struct{ ID string }
					Count        int
				}
			}
		}
	}
	c.MustDo(`query($n: Int) { inbox(first: $n) { totalCount edges { node { `+EntryFields+` } } pageInfo { endCursor }
		unread { total others apps { app { id } count } conversations { conversation { id } count } } } }`,
		map[string]any{"n": first}, &out)
	in := Inbox{TotalCount: out.Inbox.TotalCount, EndCursor: out.Inbox.PageInfo.EndCursor}
	in.Unread.Total, in.Unread.Others = out.Inbox.Unread.Total, out.Inbox.Unread.Others
	in.Unread.Apps, in.Unread.Conversations = out.Inbox.Unread.Apps, out.Inbox.Unread.Conversations
	for _, e := range out.Inbox.Edges {
		in.Entries = append(in.Entries, e.Node)
	}
	return in
}
