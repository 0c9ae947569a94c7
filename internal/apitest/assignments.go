package apitest

// AssignmentFields is what the assignment helpers read back.
const AssignmentFields = `id title status completionMode overdue dueDate reopenReason doneAt verifiedAt myRoles
	assigner { id } verifier { id }
	assignees { member { id } completedAt } followers { member { id } }`

// Assignment is an assignment as AssignmentFields reads it.
type Assignment struct {
	ID             string
	Title          string
	Status         string
	CompletionMode string
	Overdue        bool
	DueDate        *string
	ReopenReason   *string
	DoneAt         *string
	VerifiedAt     *string
	MyRoles        []string
	Assigner       *struct{ ID string }
	Verifier       *struct{ ID string }
	Assignees      []struct {
		Member      *struct{ ID string }
		CompletedAt *string
	}
	Followers []struct{ Member *struct{ ID string } }
}

// CompletedBy reports whether member id has completed their part.
func (a Assignment) CompletedBy(id string) bool {
	for _, p := range a.Assignees {
		if p.Member != nil && p.Member.ID == id {
			return p.CompletedAt != nil
		}
	}
	return false
}

// AssignmentOp is the mutation name(input: $in) returning AssignmentFields.
func AssignmentOp(name string) string {
	return `mutation($in: ` + inputOf(name) + `!) { ` + name + `(input: $in) { ` + AssignmentFields + ` } }`
}

func inputOf(name string) string {
	return string(name[0]-'a'+'A') + name[1:] + "Input"
}

// Assign creates an assignment from in (CreateAssignmentInput) and returns it.
func (c *Client) Assign(in map[string]any) Assignment {
	c.env.T.Helper()
	var out struct{ CreateAssignment Assignment }
	c.MustDo(AssignmentOp("createAssignment"), map[string]any{"in": in}, &out)
	return out.CreateAssignment
}

// ActOnAssignment runs completeAssignment, verifyAssignment,
// reopenAssignment or updateAssignment with in and returns the assignment.
func (c *Client) ActOnAssignment(mutation string, in map[string]any) Assignment {
	c.env.T.Helper()
	var out map[string]Assignment
	c.MustDo(AssignmentOp(mutation), map[string]any{"in": in}, &out)
	return out[mutation]
}

// GetAssignment reads an assignment through node(id).
func (c *Client) GetAssignment(id string) Assignment {
	c.env.T.Helper()
	var out struct{ Node *Assignment }
	c.MustDo(`query($id: ID!) { node(id: $id) { ... on Assignment { `+AssignmentFields+` } } }`, map[string]any{"id": id}, &out)
	if out.Node == nil {
		c.env.T.Fatalf("assignment %s not found", id)
	}
	return *out.Node
}

// SubjectSubscription follows the inbox, reading the item each entry is about.
const SubjectSubscription = `subscription { inbox { kind seq entry { id subjectType subjectEvent actor { id }
	subject { ... on Assignment { id status } } } } }`

// SubjectEvent is one event of SubjectSubscription.
type SubjectEvent struct {
	Kind  string
	Seq   int
	Entry *struct {
		ID           string
		SubjectType  *string
		SubjectEvent *string
		Actor        *struct{ ID string }
		Subject      *struct {
			ID     string
			Status string
		}
	}
}

// SubscribeSubjects starts SubjectSubscription as id and returns once it is live.
func (w *WS) SubscribeSubjects(id string) {
	w.t.Helper()
	w.Subscribe(id, SubjectSubscription, nil)
	if ev := w.SubjectEvent(id); ev.Kind != "SYNC" {
		w.t.Fatalf("a subscription from now starts with SYNC, got %+v", ev)
	}
}

// SubjectEvent reads the next event of a SubjectSubscription.
func (w *WS) SubjectEvent(id string) SubjectEvent {
	w.t.Helper()
	var out struct{ Inbox SubjectEvent }
	w.NextData(id, &out)
	return out.Inbox
}
