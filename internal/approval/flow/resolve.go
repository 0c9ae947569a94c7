package flow

import (
	"slices"
	"strings"

	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/audience"
)

// Directory answers the questions a flow asks about people while it is
// resolved. Lists hold only members who can act (not disabled or deleted),
// in a stable order.
type Directory interface {
	// Leaders are the leaders of a department.
	Leaders(departmentID string) []string
	// TagMembers are the members carrying a tag.
	TagMembers(tagID string) []string
	// SuperAdmins are the enterprise's super admins.
	SuperAdmins() []string
	// Active reports whether a member can act.
	Active(memberID string) bool
	// Facts describe a member for audience checks (chosen approvers' range).
	Facts(memberID string) audience.Facts
}

// Applicant is who submits, and from where.
type Applicant struct {
	MemberID string
	// PrimaryPath is the materialized path of the applicant's primary
	// department ("/root/sales/east/"); "" when they have none.
	PrimaryPath string
}

// Step is one approval node of a resolved path, with its people.
type Step struct {
	NodeID    string   `json:"nodeId"`
	Name      string   `json:"name"`
	Mode      Mode     `json:"mode"`
	Approvers []string `json:"approvers"`
	// Auto is APPROVED or REJECTED when the node resolved to nobody and its
	// empty policy decides it; "" when people decide.
	Auto       TaskStatus `json:"auto,omitempty"`
	SelfPolicy SelfPolicy `json:"selfPolicy"`
	// ToSuperAdmins marks a node that went to the super admins because its
	// own approvers resolved to nobody.
	ToSuperAdmins bool `json:"toSuperAdmins,omitempty"`
}

// Path is a flow resolved for one applicant and form: the steps in order,
// and who is copied.
type Path struct {
	Steps      []Step   `json:"steps"`
	CcOnSubmit []string `json:"ccOnSubmit,omitempty"`
	CcOnFinish []string `json:"ccOnFinish,omitempty"`
}

// Inputs are what the applicant adds at submit: approvers chosen for CHOSEN
// sources (by node ID) and extra CC recipients.
type Inputs struct {
	Chosen map[string][]string
	Cc     []string
}

// Resolve follows f for the applicant and form: it takes the branches whose
// conditions hold, and turns each approval node's sources into people.
//
// The N-th level leader is found bottom-up from the applicant's primary
// department: level 1 is that department's leaders, level 2 its parent's,
// and so on; when the applicant leads their primary department, counting
// starts at its parent (nobody approves their own request as their leader).
// A level whose department has no leader, or that lies above the root,
// yields nobody, and the node's empty policy applies.
func Resolve(f Flow, form Form, a Applicant, dir Directory, in Inputs) (Path, error) {
	var p Path
	id := f.Start
	for steps := 0; id != ""; steps++ {
		n := f.node(id)
		if n == nil || steps > len(f.Nodes) {
			return Path{}, apperr.E(apperr.Internal, "flow does not end")
		}
		if n.Kind == NodeCondition {
			id = chooseBranch(*n, form, a)
			continue
		}
		people, err := sources(n.ID, n.Approvers, a, dir, in.Chosen)
		if err != nil {
			return Path{}, err
		}
		if len(people) > MaxApprovers {
			return Path{}, apperr.Input("form", "node %q resolves to %d approvers; at most %d", n.ID, len(people), MaxApprovers)
		}
		st := Step{NodeID: n.ID, Name: n.Name, Mode: n.Mode, Approvers: people, SelfPolicy: n.SelfPolicy}
		if len(people) == 0 {
			switch n.EmptyPolicy {
			case EmptyAutoApprove:
				st.Auto = TaskApproved
			case EmptyAutoReject:
				st.Auto = TaskRejected
			case EmptyToSuperAdmins:
				st.Approvers, st.ToSuperAdmins = dir.SuperAdmins(), true
				if len(st.Approvers) == 0 {
					st.Auto = TaskApproved
				}
			}
		}
		p.Steps = append(p.Steps, st)
		id = n.Next
	}
	var err error
	if p.CcOnSubmit, err = sources("cc", f.CcOnSubmit, a, dir, nil); err != nil {
		return Path{}, err
	}
	p.CcOnSubmit = dedupe(append(p.CcOnSubmit, activeOnly(in.Cc, dir)...))
	if p.CcOnFinish, err = sources("cc", f.CcOnFinish, a, dir, nil); err != nil {
		return Path{}, err
	}
	return p, nil
}

// sources turns approver sources into active members, without repeats, in
// the order the sources name them.
func sources(nodeID string, ss []Source, a Applicant, dir Directory, chosen map[string][]string) ([]string, error) {
	var out []string
	for _, s := range ss {
		switch s.Kind {
		case SourceMembers:
			out = append(out, s.MemberIDs...)
		case SourceLeader:
			out = append(out, LeaderAt(a, s.Level, dir)...)
		case SourceDepartmentLeaders:
			for _, d := range s.DepartmentIDs {
				out = append(out, dir.Leaders(d)...)
			}
		case SourceTag:
			for _, t := range s.TagIDs {
				out = append(out, dir.TagMembers(t)...)
			}
		case SourceChosen:
			got, err := checkChosen(nodeID, s, chosen[nodeID], dir)
			if err != nil {
				return nil, err
			}
			out = append(out, got...)
		}
	}
	return dedupe(activeOnly(out, dir)), nil
}

func checkChosen(nodeID string, s Source, picked []string, dir Directory) ([]string, error) {
	picked = dedupe(picked)
	if len(picked) < s.MinCount || len(picked) > s.MaxCount {
		return nil, apperr.Input("chosenApprovers", "node %q takes %d to %d chosen approvers", nodeID, s.MinCount, s.MaxCount)
	}
	for _, m := range picked {
		if !dir.Active(m) || s.Range != nil && !audience.Contains(*s.Range, dir.Facts(m)) {
			return nil, apperr.Input("chosenApprovers", "member %q is outside the approvers node %q allows", m, nodeID)
		}
	}
	return picked, nil
}

// LeaderAt returns the applicant's level-th leaders (see Resolve).
func LeaderAt(a Applicant, level int, dir Directory) []string {
	chain := pathIDs(a.PrimaryPath)
	slices.Reverse(chain) // own department first
	if len(chain) == 0 {
		return nil
	}
	start := 0
	if slices.Contains(dir.Leaders(chain[0]), a.MemberID) {
		start = 1
	}
	i := start + level - 1
	if i >= len(chain) {
		return nil
	}
	return dir.Leaders(chain[i])
}

// LeaderDepartments lists the departments whose leaders Resolve may ask
// for: the applicant's primary path, bottom-up.
func LeaderDepartments(a Applicant) []string { return pathIDs(a.PrimaryPath) }

func pathIDs(path string) []string {
	var out []string
	for _, id := range strings.Split(path, "/") {
		if id != "" {
			out = append(out, id)
		}
	}
	return out
}

func activeOnly(ids []string, dir Directory) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if dir.Active(id) {
			out = append(out, id)
		}
	}
	return out
}

// dedupe drops repeats, keeping the first place of each.
func dedupe(ids []string) []string {
	seen := make(map[string]bool, len(ids))
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// Needs lists the departments and tags a flow's sources name, so a
// Directory can be loaded in a few queries before Resolve runs.
func (f Flow) Needs() (departmentIDs, tagIDs []string) {
	add := func(ss []Source) {
		for _, s := range ss {
			departmentIDs = append(departmentIDs, s.DepartmentIDs...)
			tagIDs = append(tagIDs, s.TagIDs...)
		}
	}
	for _, n := range f.Nodes {
		add(n.Approvers)
	}
	add(f.CcOnSubmit)
	add(f.CcOnFinish)
	return dedupe(departmentIDs), dedupe(tagIDs)
}

// NamedMembers lists the members a flow names directly, for the same loading.
func (f Flow) NamedMembers() []string {
	var out []string
	for _, ss := range append([][]Source{f.CcOnSubmit, f.CcOnFinish}, nodesSources(f)...) {
		for _, s := range ss {
			out = append(out, s.MemberIDs...)
		}
	}
	return dedupe(out)
}

func nodesSources(f Flow) [][]Source {
	out := make([][]Source, len(f.Nodes))
	for i, n := range f.Nodes {
		out[i] = n.Approvers
	}
	return out
}
