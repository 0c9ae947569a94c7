package e2e

import (
	"slices"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

const eventsQuery = `query($after: Cursor, $first: Int, $types: [String!]) {
  events(after: $after, first: $first, types: $types) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id type subjectID enterpriseId occurredAt payload } }
  }
}`

type eventsPage struct {
	Events struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   *string
		}
		Edges []struct {
			Node struct {
				ID, Type, SubjectID, EnterpriseID, OccurredAt string
				Payload                                       map[string]any
			}
		}
	}
}

// seen lists "type subject" of a page, in feed order.
func (p eventsPage) seen() []string {
	var out []string
	for _, e := range p.Events.Edges {
		out = append(out, e.Node.Type+" "+e.Node.SubjectID)
	}
	return out
}

func readEvents(c *apitest.Client, vars map[string]any) eventsPage {
	var p eventsPage
	c.MustDo(eventsQuery, vars, &p)
	return p
}

func fieldOf(r *apitest.Response) string {
	for _, e := range r.Errors {
		if f, ok := e.Extensions["field"].(string); ok {
			return f
		}
	}
	return ""
}

func TestAppReadsTheEventsOfItsRangeInOrderAndNobodyElseDoes(t *testing.T) {
	o := newOrg(t)
	id, secret := o.admin.CreateApp("crm", apitest.Range{Departments: []string{o.sales}})
	crm := o.env.AsApp("acme", id, secret)

	// The directory of newOrg was built before the app existed: its events
	// are in the feed all the same (the feed is the enterprise's, cut to the
	// range), sam and eve only.
	if got, want := readEvents(crm, nil).seen(), []string{"member.created " + o.sam, "member.created " + o.eve}; !slices.Equal(got, want) {
		t.Fatalf("initial feed %q, want %q", got, want)
	}

	o.admin.MustDo(`mutation($id: ID!) { disableMember(input: {id: $id}) { id } }`, map[string]any{"id": o.sam}, nil)
	o.admin.MustDo(`mutation($id: ID!) { enableMember(input: {id: $id}) { id } }`, map[string]any{"id": o.sam}, nil)
	o.admin.MustDo(`mutation($id: ID!) { updateMember(input: {id: $id, name: "Eve E."}) { id } }`, map[string]any{"id": o.eve}, nil)
	o.admin.MustDo(`mutation($id: ID!) { disableMember(input: {id: $id}) { id } }`, map[string]any{"id": o.ray}, nil)
	o.admin.MustDo(`mutation($id: ID!, $d: ID!) { updateMember(input: {id: $id, departments: [{departmentId: $d, isPrimary: true}]}) { id } }`,
		map[string]any{"id": o.rita, "d": o.east}, nil)

	// Rita moved into the range, so her history is the app's now; Ray's
	// disabling stays outside it.
	want := []string{
		"member.created " + o.sam, "member.created " + o.eve, "member.created " + o.rita,
		"member.disabled " + o.sam, "member.enabled " + o.sam, "member.updated " + o.eve, "member.moved " + o.rita,
	}
	all := readEvents(crm, nil)
	if got := all.seen(); !slices.Equal(got, want) {
		t.Fatalf("feed %q, want %q", got, want)
	}
	ids := map[string]bool{}
	for _, e := range all.Events.Edges {
		n := e.Node
		if ids[n.ID] || n.EnterpriseID != o.acme.ID || n.OccurredAt == "" {
			t.Fatalf("event %+v repeats an id or lacks its enterprise or time", n)
		}
		ids[n.ID] = true
		if _, leaked := n.Payload["mobile"]; leaked || n.Payload["id"] != n.SubjectID {
			t.Fatalf("payload %v: want the subject's public fields only", n.Payload)
		}
	}
	if all.Events.Edges[5].Node.Payload["name"] != "Eve E." {
		t.Fatalf("updated payload %v, want the new name", all.Events.Edges[5].Node.Payload)
	}

	// Paging by cursor resumes exactly after the last event read.
	first := readEvents(crm, map[string]any{"first": 3})
	if !first.Events.PageInfo.HasNextPage || first.Events.PageInfo.EndCursor == nil {
		t.Fatalf("first page %+v, want more", first.Events.PageInfo)
	}
	rest := readEvents(crm, map[string]any{"after": *first.Events.PageInfo.EndCursor})
	if got := append(first.seen(), rest.seen()...); !slices.Equal(got, want) {
		t.Fatalf("paged feed %q, want %q", got, want)
	}

	only := readEvents(crm, map[string]any{"types": []string{"member.disabled", "member.enabled"}})
	if got := only.seen(); !slices.Equal(got, []string{"member.disabled " + o.sam, "member.enabled " + o.sam}) {
		t.Fatalf("types-filtered feed %q", got)
	}
	r := crm.MustFail("BAD_USER_INPUT", eventsQuery, map[string]any{"types": []string{"member.exploded"}})
	if fieldOf(r) != "types" {
		t.Fatalf("unknown type names field %q, want types", fieldOf(r))
	}

	// Members, the admin included, read no event; an app of another
	// enterprise reads its own enterprise's only. To both, an event's ID
	// answers as one that never existed.
	eventID := all.Events.Edges[0].Node.ID
	for name, c := range map[string]*apitest.Client{"admin": o.admin, "sam": o.login("sam")} {
		if p := readEvents(c, nil); p.Events.TotalCount != 0 || len(p.Events.Edges) != 0 {
			t.Errorf("%s reads events %q", name, p.seen())
		}
		mustNotFind(t, c, eventID)
	}
	otherID, otherSecret := o.env.Admin(o.other).CreateApp("erp", apitest.Range{Everyone: true})
	erp := o.env.AsApp("other", otherID, otherSecret)
	theirs := readEvents(erp, nil)
	if len(theirs.Events.Edges) == 0 {
		t.Fatal("the other enterprise's app reads none of its own events")
	}
	for _, e := range theirs.Events.Edges {
		if ids[e.Node.ID] || e.Node.EnterpriseID != o.other.ID {
			t.Fatalf("the other enterprise's app reads %+v", e.Node)
		}
	}
	mustNotFind(t, erp, eventID)
	mustFind(t, crm, eventID)
}

func TestUpdateAppSetsEventTypesAndAnHttpsCallbackURL(t *testing.T) {
	o := newOrg(t)
	id, secret := o.admin.CreateApp("crm", apitest.Range{Departments: []string{o.sales}})
	const update = `mutation($in: UpdateAppInput!) { updateApp(input: $in) { id eventTypes callbackUrl } }`

	var types struct {
		EventTypes []struct{ Name, Description string }
	}
	o.admin.MustDo(`{ eventTypes { name description } }`, nil, &types)
	var names []string
	for _, e := range types.EventTypes {
		names = append(names, e.Name)
	}
	for _, n := range []string{"member.created", "member.updated", "member.activated", "member.disabled", "member.enabled", "member.deleted", "member.moved"} {
		if !slices.Contains(names, n) {
			t.Fatalf("eventTypes %q lacks %s", names, n)
		}
	}

	for field, in := range map[string]map[string]any{
		"eventTypes":  {"id": id, "eventTypes": []string{"member.created", "member.exploded"}},
		"callbackUrl": {"id": id, "callbackUrl": "http://receiver.example/hook"},
	} {
		r := o.admin.MustFail("BAD_USER_INPUT", update, map[string]any{"in": in})
		if fieldOf(r) != field {
			t.Errorf("bad %s answered on field %q", field, fieldOf(r))
		}
	}

	var out struct {
		UpdateApp struct {
			EventTypes  []string
			CallbackURL *string
		}
	}
	o.admin.MustDo(update, map[string]any{"in": map[string]any{
		"id": id, "eventTypes": []string{"member.moved", "member.created", "member.moved"}, "callbackUrl": "https://receiver.example/hook",
	}}, &out)
	if !slices.Equal(out.UpdateApp.EventTypes, []string{"member.moved", "member.created"}) ||
		out.UpdateApp.CallbackURL == nil || *out.UpdateApp.CallbackURL != "https://receiver.example/hook" {
		t.Fatalf("updateApp = %+v", out.UpdateApp)
	}

	// The app reads its own callback URL; a member who merely uses it does not.
	const read = `query($id: ID!) { node(id: $id) { ... on App { callbackUrl } } }`
	var self struct{ Node struct{ CallbackURL *string } }
	o.env.AsApp("acme", id, secret).MustDo(read, map[string]any{"id": id}, &self)
	if self.Node.CallbackURL == nil || *self.Node.CallbackURL != "https://receiver.example/hook" {
		t.Fatalf("the app reads callbackUrl %v", self.Node.CallbackURL)
	}
	var user struct {
		Node *struct{ CallbackURL *string }
	}
	o.login("sam").MustDo(read, map[string]any{"id": id}, &user)
	if user.Node == nil || user.Node.CallbackURL != nil {
		t.Fatalf("member sam reads app %+v, want the app without its callback URL", user.Node)
	}
}
