package e2e

import (
	"context"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/policy"
)

type auditPage struct {
	AuditLog struct {
		TotalCount int
		PageInfo   struct {
			HasNextPage bool
			EndCursor   string
		}
		Edges []struct {
			Node struct {
				ID, ActorKind, ActorID, ActorName, Action, TargetID, TargetType string
				EnterpriseID                                                    *string
				Details                                                         map[string]any
			}
		}
	}
}

const auditQ = `query($after: Cursor, $where: AuditEntryWhereInput) {
  auditLog(first: 2, after: $after, where: $where) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id actorKind actorID actorName action targetID targetType enterpriseID details } }
  } }`

func TestAdminAndOperatorActionsAreAuditedWithTheirActionNewestFirst(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	samID := admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{sales}})
	admin.MustFail("FORBIDDEN", disableM, map[string]any{"id": acme.AdminID}) // refused: not recorded
	admin.MustDo(disableM, map[string]any{"id": samID}, nil)
	env.Anonymous().MustFail("UNAUTHENTICATED", apitest.LoginMutation, apitest.LoginVars("acme", "sam", "wrong-password-1"))
	env.NewEnterprise("other")

	var page auditPage
	admin.MustDo(auditQ, nil, &page)
	log := page.AuditLog
	// bootstrapEnterprise, createDepartment, createMember, disableMember.
	if log.TotalCount != 4 || len(log.Edges) != 2 || !log.PageInfo.HasNextPage {
		t.Fatalf("audit log = %+v", log)
	}
	last := log.Edges[0].Node
	if last.Action != "disableMember" || last.ActorKind != "MEMBER" || last.ActorID != acme.AdminID ||
		last.TargetID != samID || last.TargetType != "Member" || last.EnterpriseID == nil || *last.EnterpriseID != acme.ID {
		t.Fatalf("newest entry = %+v", last)
	}
	create := log.Edges[1].Node
	in, _ := create.Details["input"].(map[string]any)
	if create.Action != "createMember" || create.TargetID != samID || in["userid"] != "sam" || in["password"] != "[redacted]" {
		t.Fatalf("createMember entry = %+v", create)
	}
	var next auditPage
	admin.MustDo(auditQ, map[string]any{"after": log.PageInfo.EndCursor}, &next)
	if len(next.AuditLog.Edges) != 2 || next.AuditLog.Edges[0].Node.Action != "createDepartment" ||
		next.AuditLog.Edges[1].Node.Action != "bootstrapEnterprise" || next.AuditLog.Edges[1].Node.ActorKind != "SYSTEM" {
		t.Fatalf("second page = %+v", next.AuditLog.Edges)
	}

	// Operators' actions are recorded too, and operators read every enterprise's.
	op := env.NewOperator("root")
	var created struct{ CreateEnterprise struct{ ID string } }
	op.MustDo(createEnterpriseM, enterpriseIn("beta", "REGISTERED", nil), &created)
	var opPage auditPage
	op.MustDo(auditQ, map[string]any{"where": map[string]any{"action": "createEnterprise"}}, &opPage)
	e := opPage.AuditLog.Edges[0].Node
	if opPage.AuditLog.TotalCount != 1 || e.ActorKind != "OPERATOR" || e.ActorName != "root" || e.TargetID != created.CreateEnterprise.ID ||
		e.Details["input"].(map[string]any)["adminPassword"] != "[redacted]" {
		t.Fatalf("operator's entry = %+v", opPage.AuditLog)
	}
	var all struct{ AuditLog struct{ TotalCount int } }
	op.MustDo(`{ auditLog(first: 1) { totalCount } }`, nil, &all)
	// acme's 4, other's bootstrap, the operator's bootstrap and createEnterprise.
	if all.AuditLog.TotalCount != 7 {
		t.Fatalf("operator reads %d entries, want 7", all.AuditLog.TotalCount)
	}
}

// Who must not read the audit log: members, scoped admins, apps (none yet),
// and super admins of other enterprises; not even through node(id).
func TestTheAuditLogIsForSuperAdminsAndOperatorsOnly(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	lead := admin.CreateMember(apitest.MemberSpec{Userid: "lead", Depts: []string{sales}})
	admin.GrantScoped(lead, []string{sales}, "MANAGE_MEMBERS")
	admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{sales}})
	other := env.Admin(env.NewEnterprise("other"))

	var page auditPage
	admin.MustDo(auditQ, nil, &page)
	entryID := page.AuditLog.Edges[0].Node.ID
	var node struct{ Node struct{ ID, Action string } }
	admin.MustDo(`query($id: ID!) { node(id: $id) { id ... on AuditEntry { action } } }`, map[string]any{"id": entryID}, &node)
	if node.Node.ID != entryID || node.Node.Action == "" {
		t.Fatalf("the super admin's node(id) of their audit entry = %+v", node.Node)
	}
	for _, c := range []*apitest.Client{env.Login("acme", "lead", apitest.TestPassword), env.Login("acme", "sam", apitest.TestPassword)} {
		c.MustFail("FORBIDDEN", `{ auditLog(first: 5) { totalCount } }`, nil)
		if r := c.Do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": entryID}); !r.HasCode("FORBIDDEN") {
			t.Fatalf("node(id) of an audit entry answered %v %s", r.Errors, r.Data)
		}
	}
	var theirs struct{ AuditLog struct{ TotalCount int } }
	other.MustDo(`{ auditLog(first: 5) { totalCount } }`, nil, &theirs)
	if theirs.AuditLog.TotalCount != 1 { // their own bootstrap only
		t.Fatalf("another enterprise's super admin reads %d entries", theirs.AuditLog.TotalCount)
	}
	if r := other.Do(`query($id: ID!) { node(id: $id) { id } }`, map[string]any{"id": entryID}); !r.HasCode("NOT_FOUND") {
		t.Fatalf("node(id) across enterprises: %v %s", r.Errors, r.Data)
	}
	env.Anonymous().MustFail("UNAUTHENTICATED", `{ auditLog(first: 5) { totalCount } }`, nil)
}

// The audit log is append-only, even for the server acting as the system.
func TestAuditEntriesCannotBeChangedOrDeleted(t *testing.T) {
	env := apitest.Start(t)
	env.NewEnterprise("acme")
	sys := policy.SystemContext(context.Background())
	e, err := env.DB.Client.AuditEntry.Query().First(sys)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.DB.Client.AuditEntry.UpdateOne(e).Exec(sys); err == nil {
		t.Fatal("an audit entry was changed")
	}
	if err := env.DB.Client.AuditEntry.DeleteOne(e).Exec(sys); err == nil {
		t.Fatal("an audit entry was deleted")
	}
	if n, _ := env.DB.Client.AuditEntry.Query().Count(sys); n != 1 {
		t.Fatalf("%d entries", n)
	}
}
