package graph

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect/sql"
	"github.com/99designs/gqlgen/graphql"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/adminrole"
	"github.com/corpline/corpline/ent/confidentialview"
	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/inboxentry"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/ent/message"
	"github.com/corpline/corpline/ent/tag"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// ScopeToViewer implements the @scopeToViewer directive (schema/visibility.graphql).
//
// It closes the gap of ent's privacy layer that filters reach through: a
// has...With filter runs its inner predicates as a subquery, without the
// inner type's policy, so `members(where: {hasDepartmentsWith: {name:
// "Secret"}})` would tell who belongs to a department the viewer cannot see.
// gqlgen runs the directive each time it reads a where-input, wherever the
// input sits: a root field's argument, an input nested in has...With, and,
// importantly, the arguments of edges that entgql eager-loads (it reads those
// itself while collecting fields, before any resolver of the edge runs). Each
// input gets the visibility predicate of its type, so every subquery only
// ever matches rows the viewer may see. Bare edge filters (hasMembers: true)
// are rewritten to count visible rows only (bareHas).
func ScopeToViewer(ctx context.Context, _ any, next graphql.Resolver) (any, error) {
	in, err := next(ctx)
	if err != nil {
		return in, err
	}
	v := viewer.FromContext(ctx)
	if v == nil {
		// Without a viewer ent's policies refuse every query anyway.
		return in, nil
	}
	switch w := in.(type) {
	case ent.DepartmentWhereInput:
		if p := policy.VisibleDepartments(v); p != nil {
			w.AddPredicates(p)
			w.HasParent, w.Predicates = bareHas(w.HasParent, department.HasParentWith(p), department.Not, w.Predicates)
			w.HasChildren, w.Predicates = bareHas(w.HasChildren, department.HasChildrenWith(p), department.Not, w.Predicates)
		}
		if p := policy.VisibleMembers(v); p != nil {
			w.HasMembers, w.Predicates = bareHas(w.HasMembers, department.HasMembersWith(p), department.Not, w.Predicates)
		}
		if p := policy.VisibleMemberships(v); p != nil {
			w.HasMemberships, w.Predicates = bareHas(w.HasMemberships, department.HasMembershipsWith(p), department.Not, w.Predicates)
		}
		return w, nil
	case ent.MemberWhereInput:
		if p := policy.VisibleMembers(v); p != nil {
			w.AddPredicates(p)
		}
		if p := policy.VisibleDepartments(v); p != nil {
			w.HasDepartments, w.Predicates = bareHas(w.HasDepartments, member.HasDepartmentsWith(p), member.Not, w.Predicates)
		}
		if p := policy.VisibleMemberships(v); p != nil {
			w.HasMemberships, w.Predicates = bareHas(w.HasMemberships, member.HasMembershipsWith(p), member.Not, w.Predicates)
		}
		return w, nil
	case ent.MembershipWhereInput:
		if p := policy.VisibleMemberships(v); p != nil {
			w.AddPredicates(p)
		}
		return w, nil
	case ent.TagWhereInput:
		if p := policy.VisibleTags(v); p != nil {
			w.AddPredicates(p)
		}
		// Tags are seen by every member of the enterprise; their members are not.
		if p := policy.VisibleMembers(v); p != nil {
			w.HasMembers, w.Predicates = bareHas(w.HasMembers, tag.HasMembersWith(p), tag.Not, w.Predicates)
		}
		return w, nil
	case ent.AdminRoleWhereInput:
		if p := policy.VisibleAdminRoles(v); p != nil {
			w.AddPredicates(p)
		}
		if p := policy.VisibleMembers(v); p != nil {
			w.HasMember, w.Predicates = bareHas(w.HasMember, adminrole.HasMemberWith(p), adminrole.Not, w.Predicates)
		}
		if p := policy.VisibleDepartments(v); p != nil {
			w.HasDepartments, w.Predicates = bareHas(w.HasDepartments, adminrole.HasDepartmentsWith(p), adminrole.Not, w.Predicates)
		}
		return w, nil
	case ent.AppWhereInput:
		if p := policy.VisibleApps(v); p != nil {
			w.AddPredicates(p)
		}
		return w, nil
	case ent.MessageWhereInput:
		if p := policy.VisibleMessages(v); p != nil {
			w.AddPredicates(p)
		}
		w.HasApp, w.Predicates = bareHas(w.HasApp, message.HasAppWith(orAll(policy.VisibleApps(v))), message.Not, w.Predicates)
		w.HasSender, w.Predicates = bareHas(w.HasSender, message.HasSenderWith(orAll(policy.VisibleMembers(v))), message.Not, w.Predicates)
		w.HasConversation, w.Predicates = bareHas(w.HasConversation, message.HasConversationWith(orAll(policy.OwnConversations(v))), message.Not, w.Predicates)
		return w, nil
	case ent.InboxEntryWhereInput:
		w.AddPredicates(policy.OwnInbox(v))
		w.HasApp, w.Predicates = bareHas(w.HasApp, inboxentry.HasAppWith(orAll(policy.VisibleApps(v))), inboxentry.Not, w.Predicates)
		w.HasConversation, w.Predicates = bareHas(w.HasConversation, inboxentry.HasConversationWith(orAll(policy.OwnConversations(v))), inboxentry.Not, w.Predicates)
		return w, nil
	case ent.ConversationWhereInput:
		if p := policy.OwnConversations(v); p != nil {
			w.AddPredicates(p)
		}
		return w, nil
	case ent.ConfidentialViewWhereInput:
		if p := policy.VisibleConfidentialViews(v); p != nil {
			w.AddPredicates(p)
		}
		w.HasMember, w.Predicates = bareHas(w.HasMember, confidentialview.HasMemberWith(orAll(policy.VisibleMembers(v))), confidentialview.Not, w.Predicates)
		w.HasMessage, w.Predicates = bareHas(w.HasMessage, confidentialview.HasMessageWith(orAll(policy.VisibleMessages(v))), confidentialview.Not, w.Predicates)
		return w, nil
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
