package apitest

// Conversation helpers, as a member's client would call them.

// CreateConversation starts a conversation and returns its ID and whether it is new.
func (c *Client) CreateConversation(kind string, title string, memberIDs ...string) (string, bool) {
	c.env.T.Helper()
	var out struct {
		CreateConversation struct {
			Conversation struct{ ID string }
			Created      bool
		}
	}
	c.MustDo(`mutation($in: CreateConversationInput!) { createConversation(input: $in) { conversation { id } created } }`,
		map[string]any{"in": map[string]any{"kind": kind, "memberIds": memberIDs, "title": title}}, &out)
	return out.CreateConversation.Conversation.ID, out.CreateConversation.Created
}

// Say posts a text message into a conversation.
func (c *Client) Say(conversationID, text string) SendResult {
	c.env.T.Helper()
	var out struct{ SendConversationMessage SendResult }
	c.MustDo(`mutation($in: SendConversationMessageInput!) { sendConversationMessage(input: $in) { `+SendFields+` } }`,
		map[string]any{"in": map[string]any{"conversationId": conversationID, "kind": "TEXT", "content": map[string]any{"text": text}}}, &out)
	return out.SendConversationMessage
}

// SayQuery is the sendConversationMessage mutation, for tests that expect it to fail.
const SayQuery = `mutation($in: SendConversationMessageInput!) { sendConversationMessage(input: $in) { recipientCount } }`
