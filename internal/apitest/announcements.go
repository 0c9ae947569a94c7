package apitest

// AnnouncementFields is what the announcement helpers read back.
const AnnouncementFields = `id title status category confidential pinned pinnedUntil publishAt publishedAt readAt watermark
	author { id }`

// Announcement is an announcement as AnnouncementFields reads it.
type Announcement struct {
	ID           string
	Title        string
	Status       string
	Category     string
	Confidential bool
	Pinned       bool
	PinnedUntil  *string
	PublishAt    *string
	PublishedAt  *string
	ReadAt       *string
	Watermark    *string
	Author       *struct{ ID string }
}

// AnnouncementOp is the mutation name(input: $in) returning AnnouncementFields.
func AnnouncementOp(name string) string {
	return `mutation($in: ` + inputOf(name) + `!) { ` + name + `(input: $in) { ` + AnnouncementFields + ` } }`
}

// ActOnAnnouncement runs an announcement mutation with in and returns the announcement.
func (c *Client) ActOnAnnouncement(mutation string, in map[string]any) Announcement {
	c.env.T.Helper()
	var out map[string]Announcement
	c.MustDo(AnnouncementOp(mutation), map[string]any{"in": in}, &out)
	return out[mutation]
}

// Announce creates an announcement for audience (an AudienceInput) and
// publishes it now.
func (c *Client) Announce(title string, audience map[string]any) Announcement {
	c.env.T.Helper()
	a := c.ActOnAnnouncement("createAnnouncement", map[string]any{"title": title, "body": "About " + title, "audience": audience})
	return c.ActOnAnnouncement("publishAnnouncement", map[string]any{"id": a.ID})
}

// AnnouncementIDs lists the IDs of the announcements c sees (newest
// published first), checking that totalCount agrees.
func (c *Client) AnnouncementIDs(filter string) []string {
	c.env.T.Helper()
	if filter == "" {
		filter = "{}"
	}
	var out struct {
		Announcements struct {
			TotalCount int
			Edges      []struct{ Node struct{ ID string } }
		}
	}
	c.MustDo(`{ announcements(first: 50, filter: `+filter+`, orderBy: [{field: PUBLISHED_AT, direction: DESC}]) { totalCount edges { node { id } } } }`, nil, &out)
	ids := []string{}
	for _, e := range out.Announcements.Edges {
		ids = append(ids, e.Node.ID)
	}
	if out.Announcements.TotalCount != len(ids) {
		c.env.T.Fatalf("announcements: totalCount %d for %d rows", out.Announcements.TotalCount, len(ids))
	}
	return ids
}

// GetAnnouncement reads an announcement through node(id).
func (c *Client) GetAnnouncement(id string) Announcement {
	c.env.T.Helper()
	var out struct{ Node *Announcement }
	c.MustDo(`query($id: ID!) { node(id: $id) { ... on Announcement { `+AnnouncementFields+` } } }`, map[string]any{"id": id}, &out)
	if out.Node == nil {
		c.env.T.Fatalf("announcement %s not found", id)
	}
	return *out.Node
}
