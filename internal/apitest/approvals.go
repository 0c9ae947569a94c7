package apitest

// Approval fixtures and actions, through the API as clients send them.

// ApprovalNode is an approval node of a flow input: approvers from sources,
// next node (or "" to end). Mode defaults to ANY, the empty policy to
// SUPER_ADMINS and the self policy to ASK.
func ApprovalNode(id, next string, mode string, sources ...map[string]any) map[string]any {
	if mode == "" {
		mode = "ANY"
	}
	n := map[string]any{"id": id, "name": id, "kind": "APPROVAL", "mode": mode,
		"emptyPolicy": "SUPER_ADMINS", "selfPolicy": "ASK", "approvers": sources}
	if next != "" {
		n["next"] = next
	}
	return n
}

// Members is an approver source naming members.
func Members(ids ...string) map[string]any {
	return map[string]any{"kind": "MEMBERS", "memberIds": ids}
}

// Leader is an approver source: the applicant's level-th leader.
func Leader(level int) map[string]any { return map[string]any{"kind": "LEADER", "level": level} }

// TemplateInput is an ApprovalTemplateInput for everyone with one text
// control "reason" (required), one money control "amount", and nodes (the
// first is the start).
func TemplateInput(name string, nodes ...map[string]any) map[string]any {
	return map[string]any{
		"name":     name,
		"audience": map[string]any{"everyone": true},
		"controls": []map[string]any{
			{"key": "reason", "kind": "TEXT", "label": "Reason", "required": true},
			{"key": "amount", "kind": "MONEY", "label": "Amount", "currency": "CNY", "min": "0"},
		},
		"flow": map[string]any{"start": nodes[0]["id"], "nodes": nodes},
	}
}

// CreateApprovalTemplate creates a template and returns its ID.
func (c *Client) CreateApprovalTemplate(in map[string]any) string {
	c.env.T.Helper()
	var out struct{ CreateApprovalTemplate struct{ ID string } }
	c.MustDo(`mutation($in: ApprovalTemplateInput!) { createApprovalTemplate(input: $in) { id } }`,
		map[string]any{"in": in}, &out)
	return out.CreateApprovalTemplate.ID
}

// Reason is a form with the reason text and, when amount is not "", the amount.
func Reason(text, amount string) []map[string]any {
	f := []map[string]any{{"key": "reason", "text": text}}
	if amount != "" {
		f = append(f, map[string]any{"key": "amount", "number": amount})
	}
	return f
}

// SubmitApproval submits form along templateID and returns the approval's ID.
func (c *Client) SubmitApproval(templateID string, form []map[string]any) string {
	c.env.T.Helper()
	var out struct {
		SubmitApproval struct{ Approval struct{ ID string } }
	}
	c.MustDo(`mutation($in: SubmitApprovalInput!) { submitApproval(input: $in) { approval { id } } }`,
		map[string]any{"in": map[string]any{"templateId": templateID, "form": form}}, &out)
	return out.SubmitApproval.Approval.ID
}

// ApprovalTask is a task as the to-do list shows it.
type ApprovalTask struct {
	ID       string
	Status   string
	NodeKey  string
	Approval struct {
		ID     string
		Title  string
		Status string
	}
}

// PendingTasks lists the viewer's pending tasks.
func (c *Client) PendingTasks() []ApprovalTask {
	c.env.T.Helper()
	var out struct {
		ApprovalTasks struct {
			Edges []struct{ Node ApprovalTask }
		}
	}
	c.MustDo(`{ approvalTasks(first: 100) { edges { node { id status nodeKey approval { id title status } } } } }`, nil, &out)
	tasks := make([]ApprovalTask, len(out.ApprovalTasks.Edges))
	for i, e := range out.ApprovalTasks.Edges {
		tasks[i] = e.Node
	}
	return tasks
}

// TaskOf returns the viewer's pending task in approvalID; it fails the test when there is none.
func (c *Client) TaskOf(approvalID string) string {
	c.env.T.Helper()
	for _, t := range c.PendingTasks() {
		if t.Approval.ID == approvalID {
			return t.ID
		}
	}
	c.env.T.Fatalf("no pending task of %s for %s", approvalID, c.MemberID)
	return ""
}

// DecideTask approves (or rejects) a task with a comment and returns the
// response, errors included.
func (c *Client) DecideTask(approve bool, taskID, comment string) *Response {
	op := "approveApprovalTask"
	if !approve {
		op = "rejectApprovalTask"
	}
	return c.Do(`mutation($in: ApprovalDecisionInput!) { `+op+`(input: $in) { id status } }`,
		map[string]any{"in": map[string]any{"taskId": taskID, "comment": comment}})
}

// ApprovalStatus returns the status of an approval the viewer sees.
func (c *Client) ApprovalStatus(id string) string {
	c.env.T.Helper()
	var out struct{ Node struct{ Status string } }
	c.MustDo(`query($id: ID!) { node(id: $id) { ... on Approval { status } } }`, map[string]any{"id": id}, &out)
	return out.Node.Status
}
