package approval_test

import (
	"context"
	"errors"
	"testing"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/approval"
	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/apperr"
	appr "github.com/corpline/corpline/internal/approval"
	"github.com/corpline/corpline/internal/approval/flow"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

var leaveControls = []flow.Control{
	{Key: "days", Kind: flow.ControlDateRange, Label: "Days", Required: true},
	{Key: "reason", Kind: flow.ControlText, Label: "Reason", Required: true},
}

var leaveFlow = flow.Flow{Start: "leader", Nodes: []flow.Node{{
	ID: "leader", Name: "Leader", Kind: flow.NodeApproval, Mode: flow.ModeAny,
	EmptyPolicy: flow.EmptyToSuperAdmins, SelfPolicy: flow.SelfAsk,
	Approvers: []flow.Source{{Kind: flow.SourceLeader, Level: 1}},
}}}

// TestKindHooksRunInTheActionsTransaction registers a built-in kind as an
// app would, submits through SubmitKind in the caller's transaction, and
// checks that each hook sees the approval in its new state, and that a hook
// refusing rolls the whole action back.
func TestKindHooksRunInTheActionsTransaction(t *testing.T) {
	env := apitest.Start(t)
	ent1 := env.NewEnterprise("acme")
	admin := env.Admin(ent1)
	dept := admin.CreateDepartment("Team", ent1.RootID)
	lead := admin.CreateMember(apitest.MemberSpec{Userid: "lead", Depts: []string{dept}, LeaderOf: []string{dept}})
	ann := admin.CreateMember(apitest.MemberSpec{Userid: "ann", Depts: []string{dept}})

	client := env.DB.Client
	svc := env.Main.Approvals
	var events []appr.Event
	svc.RegisterKind(appr.KindLeave, appr.KindSpec{
		Title: "Leave", DefaultControls: leaveControls, DefaultFlow: leaveFlow,
		Hooks: appr.KindHooks{
			OnSubmit: func(ctx context.Context, e appr.Event) error {
				if f := e.Approval.Form.Get("reason"); f != nil && *f.Text == "refuse" {
					return apperr.Input("days", "no balance left")
				}
				events = append(events, e)
				return nil
			},
			OnApproved: func(ctx context.Context, e appr.Event) error {
				events = append(events, e)
				return nil
			},
		},
	})
	auth := env.Main.Auth
	as := func(memberID string) context.Context {
		v, err := auth.LoadViewer(policy.SystemContext(context.Background()), memberID)
		if err != nil {
			t.Fatal(err)
		}
		return viewer.NewContext(context.Background(), v)
	}
	inTx := func(ctx context.Context, f func(ctx context.Context) error) error {
		tx, err := client.Tx(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ctx = ent.NewTxContext(ent.NewContext(ctx, tx.Client()), tx)
		if err := f(ctx); err != nil {
			_ = tx.Rollback()
			return err
		}
		return tx.Commit()
	}
	form := func(reason string) flow.Form {
		r := reason
		return flow.Form{
			{Key: "days", DateRange: &flow.DateRange{Start: env.Now(), End: env.Now().AddDate(0, 0, 2)}},
			{Key: "reason", Text: &r},
		}
	}

	err := inTx(as(ann), func(ctx context.Context) error {
		_, err := svc.SubmitKind(ctx, appr.KindSubmission{Kind: appr.KindLeave, Form: form("refuse")})
		return err
	})
	var e *apperr.Error
	if !errors.As(err, &e) || e.Field != "days" {
		t.Fatalf("a refusing OnSubmit refuses the submit: %v", err)
	}
	if n, _ := client.Approval.Query().Count(policy.SystemContext(context.Background())); n != 0 {
		t.Fatalf("a refused submit left %d approvals", n)
	}

	var id string
	if err := inTx(as(ann), func(ctx context.Context) error {
		a, err := svc.SubmitKind(ctx, appr.KindSubmission{Kind: appr.KindLeave, Form: form("trip")})
		if a != nil {
			id = a.ID
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 || events[0].Action != flow.ActionSubmitted || events[0].Approval.Kind != appr.KindLeave {
		t.Fatalf("after submit, events: %+v", events)
	}
	tasks, err := client.ApprovalTask.Query().All(as(lead))
	if err != nil || len(tasks) != 1 {
		t.Fatalf("the leader's tasks: %v, %v", tasks, err)
	}
	if err := inTx(as(lead), func(ctx context.Context) error {
		_, err := svc.Approve(ctx, appr.Decision{TaskID: tasks[0].ID})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if len(events) != 2 || events[1].Action != flow.ActionApproved || events[1].Actor != lead ||
		events[1].Approval.Status != flow.StatusApproved {
		t.Fatalf("after approval, events: %+v", events)
	}
	got, err := client.Approval.Query().Where(approval.ID(id)).Only(as(ann))
	if err != nil || got.Status != flow.StatusApproved || got.Title != "Leave" {
		t.Fatalf("approval %+v, %v", got, err)
	}
}
