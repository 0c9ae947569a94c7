package policy

import (
	"fmt"

	"entgo.io/ent/dialect/sql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/adminrole"
	"github.com/corpline/corpline/ent/attendancerequest"
	"github.com/corpline/corpline/ent/checkin"
	"github.com/corpline/corpline/ent/confidentialview"
	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/ent/leavebalance"
	"github.com/corpline/corpline/ent/leavebalancechange"
	"github.com/corpline/corpline/ent/leaverequest"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/message"
	"github.com/corpline/corpline/ent/tag"
	"github.com/corpline/corpline/internal/viewer"
)

// ScopeWhereInput narrows a where-input of the GraphQL API to the rows v may
// see, for the @scopeToViewer directive (graph.ScopeToViewer).
//
// It closes the gap of ent's privacy layer that filters reach through: a
// has...With filter runs its inner predicates as a subquery, without the
// inner type's policy, so `members(where: {hasDepartmentsWith: {name:
// "Secret"}})` would tell who belongs to a department the viewer cannot see.
// Each input gets the visibility predicate of its type, so every subquery
// only ever matches rows the viewer may see. Bare edge filters (hasMembers:
// true) are rewritten to count visible rows only (bareHas). A where-input
// type without a case here is refused, never passed through unfiltered.
func ScopeWhereInput(v *viewer.Viewer, in any) (any, error) {
	switch w := in.(type) {
	case ent.DepartmentWhereInput:
		if p := VisibleDepartments(v); p != nil {
			w.AddPredicates(p)
			w.HasParent, w.Predicates = bareHas(w.HasParent, department.HasParentWith(p), department.Not, w.Predicates)
			w.HasChildren, w.Predicates = bareHas(w.HasChildren, department.HasChildrenWith(p), department.Not, w.Predicates)
		}
		if p := VisibleMembers(v); p != nil {
			w.HasMembers, w.Predicates = bareHas(w.HasMembers, department.HasMembersWith(p), department.Not, w.Predicates)
		}
		if p := VisibleMemberships(v); p != nil {
			w.HasMemberships, w.Predicates = bareHas(w.HasMemberships, department.HasMembershipsWith(p), department.Not, w.Predicates)
		}
		return w, nil
	case ent.MemberWhereInput:
		if p := VisibleMembers(v); p != nil {
			w.AddPredicates(p)
		}
		if p := VisibleDepartments(v); p != nil {
			w.HasDepartments, w.Predicates = bareHas(w.HasDepartments, member.HasDepartmentsWith(p), member.Not, w.Predicates)
		}
		if p := VisibleMemberships(v); p != nil {
			w.HasMemberships, w.Predicates = bareHas(w.HasMemberships, member.HasMembershipsWith(p), member.Not, w.Predicates)
		}
		return w, nil
	case ent.MembershipWhereInput:
		if p := VisibleMemberships(v); p != nil {
			w.AddPredicates(p)
		}
		return w, nil
	case ent.TagWhereInput:
		if p := VisibleTags(v); p != nil {
			w.AddPredicates(p)
		}
		// Tags are seen by every member of the enterprise; their members are not.
		if p := VisibleMembers(v); p != nil {
			w.HasMembers, w.Predicates = bareHas(w.HasMembers, tag.HasMembersWith(p), tag.Not, w.Predicates)
		}
		return w, nil
	case ent.AdminRoleWhereInput:
		if p := VisibleAdminRoles(v); p != nil {
			w.AddPredicates(p)
		}
		if p := VisibleMembers(v); p != nil {
			w.HasMember, w.Predicates = bareHas(w.HasMember, adminrole.HasMemberWith(p), adminrole.Not, w.Predicates)
		}
		if p := VisibleDepartments(v); p != nil {
			w.HasDepartments, w.Predicates = bareHas(w.HasDepartments, adminrole.HasDepartmentsWith(p), adminrole.Not, w.Predicates)
		}
		return w, nil
	case ent.AppWhereInput:
		if p := VisibleApps(v); p != nil {
			w.AddPredicates(p)
		}
		return w, nil
	case ent.MessageWhereInput:
		if p := VisibleMessages(v); p != nil {
			w.AddPredicates(p)
		}
		w.HasApp, w.Predicates = bareHas(w.HasApp, message.HasAppWith(orAll(VisibleApps(v))), message.Not, w.Predicates)
		w.HasSender, w.Predicates = bareHas(w.HasSender, message.HasSenderWith(orAll(VisibleMembers(v))), message.Not, w.Predicates)
		w.HasConversation, w.Predicates = bareHas(w.HasConversation, message.HasConversationWith(orAll(OwnConversations(v))), message.Not, w.Predicates)
		return w, nil
	case ent.InboxEntryWhereInput:
		w.AddPredicates(OwnInbox(v))
		w.HasApp, w.Predicates = bareHas(w.HasApp, inboxentry.HasAppWith(orAll(VisibleApps(v))), inboxentry.Not, w.Predicates)
		w.HasConversation, w.Predicates = bareHas(w.HasConversation, inboxentry.HasConversationWith(orAll(OwnConversations(v))), inboxentry.Not, w.Predicates)
		return w, nil
	case ent.ConversationWhereInput:
		if p := OwnConversations(v); p != nil {
			w.AddPredicates(p)
		}
		return w, nil
	case ent.ConfidentialViewWhereInput:
		if p := VisibleConfidentialViews(v); p != nil {
			w.AddPredicates(p)
		}
		w.HasMember, w.Predicates = bareHas(w.HasMember, confidentialview.HasMemberWith(orAll(VisibleMembers(v))), confidentialview.Not, w.Predicates)
		w.HasMessage, w.Predicates = bareHas(w.HasMessage, confidentialview.HasMessageWith(orAll(VisibleMessages(v))), confidentialview.Not, w.Predicates)
		return w, nil
	case ent.LeaveBalanceWhereInput:
		if p := AttendanceSubjects(v); p != nil {
			w.AddPredicates(leavebalance.HasMemberWith(p))
		}
		return w, nil
	case ent.LeaveBalanceChangeWhereInput:
		if p := AttendanceSubjects(v); p != nil {
			w.AddPredicates(leavebalancechange.HasMemberWith(p))
		}
		return w, nil
	case ent.LeaveRequestWhereInput:
		if p := AttendanceSubjects(v); p != nil {
			w.AddPredicates(leaverequest.HasMemberWith(p))
		}
		return w, nil
	case ent.CheckInWhereInput:
		if p := AttendanceSubjects(v); p != nil {
			w.AddPredicates(checkin.HasMemberWith(p))
		}
		return w, nil
	case ent.AttendanceRequestWhereInput:
		if p := AttendanceSubjects(v); p != nil {
			w.AddPredicates(attendancerequest.HasMemberWith(p))
		}
		return w, nil
	case ent.LeaveTypeWhereInput, ent.AttendanceRuleWhereInput:
		// Every member of the enterprise reads them.
		return in, nil
	}
	// A where-input marked @scopeToViewer without a rule here would filter
	// nothing: refuse it loudly rather than leak.
	return nil, fmt.Errorf("@scopeToViewer: no visibility rule for %T", in)
}

// orAll turns a visibility predicate that is nil (everything visible) into
// one that matches every row, for bareHas.
func orAll[P ~func(*sql.Selector)](p P) P {
	if p != nil {
		return p
	}
	return func(*sql.Selector) {}
}

// bareHas rewrites a bare edge filter (hasMembers: true or false) into the
// same question about the rows the viewer sees, hasVisible: otherwise "has
// members" would be true of a department whose members are all hidden. It
// returns the cleared flag and the predicates with the rewrite added.
func bareHas[P ~func(*sql.Selector)](has *bool, hasVisible P, not func(P) P, preds []P) (*bool, []P) {
	if has == nil {
		return nil, preds
	}
	if !*has {
		hasVisible = not(hasVisible)
	}
	return nil, append(preds, hasVisible)
}
