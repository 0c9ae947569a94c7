package apitest

// Directory fixtures, made through the API as an admin would.

// CreateDepartment creates a department under parent and returns its ID.
func (c *Client) CreateDepartment(name, parentID string) string {
	c.env.T.Helper()
	var out struct{ CreateDepartment struct{ ID string } }
	c.MustDo(`mutation($in: CreateDepartmentInput!) { createDepartment(input: $in) { id } }`,
		map[string]any{"in": map[string]any{"name": name, "parentId": parentID}}, &out)
	return out.CreateDepartment.ID
}

// MemberSpec describes a member to create.
type MemberSpec struct {
	Userid   string
	Name     string
	Depts    []string // the first is primary
	LeaderOf []string // departments (among Depts) the member leads
	Mobile   string
	Email    string
}

// CreateMember creates an active member (password TestPassword) and returns its ID.
func (c *Client) CreateMember(s MemberSpec) string {
	c.env.T.Helper()
	if s.Name == "" {
		s.Name = s.Userid
	}
	leader := map[string]bool{}
	for _, d := range s.LeaderOf {
		leader[d] = true
	}
	var depts []map[string]any
	for i, d := range s.Depts {
		depts = append(depts, map[string]any{"departmentId": d, "isPrimary": i == 0, "isLeader": leader[d]})
	}
	in := map[string]any{"userid": s.Userid, "name": s.Name, "departments": depts, "password": TestPassword}
	if s.Mobile != "" {
		in["mobile"] = s.Mobile
	}
	if s.Email != "" {
		in["email"] = s.Email
	}
	var out struct{ CreateMember struct{ ID string } }
	c.MustDo(`mutation($in: CreateMemberInput!) { createMember(input: $in) { id } }`, map[string]any{"in": in}, &out)
	return out.CreateMember.ID
}

// GrantScoped makes memberID a scoped admin of depts with rights.
func (c *Client) GrantScoped(memberID string, depts []string, rights ...string) {
	c.env.T.Helper()
	c.MustDo(`mutation($in: GrantAdminInput!) { grantAdmin(input: $in) { id } }`, map[string]any{"in": map[string]any{
		"memberId": memberID, "kind": "SCOPED", "departmentIds": depts, "rights": rights,
	}}, nil)
}

// SetVisibility sets the enterprise's directoryVisibility (EVERYONE or DEPARTMENT).
func (c *Client) SetVisibility(v string) {
	c.env.T.Helper()
	c.MustDo(`mutation($v: EnterpriseDirectoryVisibility) { updateEnterpriseSettings(input: {directoryVisibility: $v}) { id } }`,
		map[string]any{"v": v}, nil)
}
