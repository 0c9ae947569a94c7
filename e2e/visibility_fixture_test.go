package e2e

import (
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// The directory the visibility tests run against. acme:
//
//	acme Inc (root)             admin (super admin), ceo (leader)
//	├── HR                      salesadmin (scoped admin of Sales)
//	├── Sales                   sam, both (primary)
//	│   └── Sales East          east
//	└── R&D                     rdlead (leader), rdmem, both (leader)
//	    └── Platform            plat
//
// tags "Project X": east, plat, both; "R&D leads": rdlead. globex: globex Inc (root) with
// globex/admin (super admin) and gina; tag "Crew": gina.
//
// Rows are named by label: departments by name, members by userid (globex's
// prefixed "globex/"), tags by name, memberships "member@department", admin
// roles "role:member", enterprises "ent:code".

// placement is one membership of the fixture.
type placement struct {
	member, dept    string
	leader, primary bool
}

// fixturePlacements is the ground truth of who is where.
var fixturePlacements = []placement{
	{"admin", "acme Inc", false, true},
	{"ceo", "acme Inc", true, true},
	{"salesadmin", "HR", false, true},
	{"sam", "Sales", false, true},
	{"east", "Sales East", false, true},
	{"rdlead", "R&D", true, true},
	{"rdmem", "R&D", false, true},
	{"plat", "Platform", false, true},
	{"both", "Sales", false, true},
	{"both", "R&D", true, false},
	{"globex/admin", "globex Inc", false, true},
	{"gina", "globex Inc", false, true},
}

// fixtureParents is the department tree.
var fixtureParents = map[string]string{
	"HR": "acme Inc", "Sales": "acme Inc", "Sales East": "Sales", "R&D": "acme Inc", "Platform": "R&D",
}

// fixtureTags are the tags with their members.
var fixtureTags = map[string][]string{
	"Project X": {"east", "plat", "both"},
	"R&D leads": {"rdlead"},
	"Crew":      {"gina"},
}

var (
	acmeDepts   = []string{"acme Inc", "HR", "Sales", "Sales East", "R&D", "Platform"}
	acmeMembers = []string{"admin", "ceo", "salesadmin", "sam", "east", "rdlead", "rdmem", "plat", "both"}
	acmeTags    = []string{"Project X", "R&D leads"}
	globexDepts = []string{"globex Inc"}
	globexMembs = []string{"globex/admin", "gina"}
	globexTags  = []string{"Crew"}
)

// visFixture is the running server with the fixture loaded.
type visFixture struct {
	env         *apitest.Env
	acme        *apitest.Enterprise
	globex      *apitest.Enterprise
	admin       *apitest.Client // acme's super admin
	globexAdmin *apitest.Client
	viewers     map[string]*apitest.Client // by member label
	id          map[string]string          // label -> ID
	label       map[string]string          // ID -> label
}

func newVisFixture(t *testing.T) *visFixture {
	t.Helper()
	env := apitest.Start(t)
	f := &visFixture{env: env, id: map[string]string{}, label: map[string]string{}, viewers: map[string]*apitest.Client{}}
	f.acme, f.globex = env.NewEnterprise("acme"), env.NewEnterprise("globex")
	f.admin, f.globexAdmin = env.Admin(f.acme), env.Admin(f.globex)
	f.name("acme Inc", f.acme.RootID)
	f.name("globex Inc", f.globex.RootID)
	f.name("admin", f.acme.AdminID)
	f.name("globex/admin", f.globex.AdminID)
	f.name("ent:acme", f.acme.ID)
	f.name("ent:globex", f.globex.ID)

	for _, d := range []string{"HR", "Sales", "Sales East", "R&D", "Platform"} {
		f.name(d, f.admin.CreateDepartment(d, f.id[fixtureParents[d]]))
	}
	for _, p := range fixturePlacements {
		if _, done := f.id[p.member]; done || !p.primary {
			continue
		}
		spec := apitest.MemberSpec{Userid: strings.TrimPrefix(p.member, "globex/")}
		for _, q := range fixturePlacements {
			if q.member == p.member {
				spec.Depts = append(spec.Depts, f.id[q.dept])
				if q.leader {
					spec.LeaderOf = append(spec.LeaderOf, f.id[q.dept])
				}
			}
		}
		c := f.admin
		if p.dept == "globex Inc" {
			c = f.globexAdmin
		}
		f.name(p.member, c.CreateMember(spec))
	}
	f.admin.GrantScoped(f.id["salesadmin"], []string{f.id["Sales"]}, "MANAGE_MEMBERS", "MANAGE_DEPARTMENTS")
	for tag, members := range fixtureTags {
		c := f.admin
		if tag == "Crew" {
			c = f.globexAdmin
		}
		var out struct{ CreateTag struct{ ID string } }
		c.MustDo(`mutation($in: CreateTagInput!) { createTag(input: $in) { id } }`,
			map[string]any{"in": map[string]any{"name": tag, "memberIds": f.ids(members...)}}, &out)
		f.name(tag, out.CreateTag.ID)
	}
	f.nameRolesAndMemberships(f.admin)
	f.nameRolesAndMemberships(f.globexAdmin)

	f.viewers["admin"] = f.admin
	f.viewers["globex/admin"] = f.globexAdmin
	for _, who := range []string{"salesadmin", "sam", "east", "rdmem"} {
		f.viewers[who] = env.Login("acme", who, apitest.TestPassword)
	}
	f.viewers["gina"] = env.Login("globex", "gina", apitest.TestPassword)
	return f
}

func (f *visFixture) name(label, id string) {
	f.env.T.Helper()
	if id == "" {
		f.env.T.Fatalf("fixture: no ID for %s", label)
	}
	f.id[label], f.label[id] = id, label
}

// nameRolesAndMemberships labels the admin roles and memberships a super admin sees.
func (f *visFixture) nameRolesAndMemberships(c *apitest.Client) {
	var out struct {
		AdminRoles struct {
			Edges []struct {
				Node struct {
					ID     string
					Member struct{ ID string }
				}
			}
		}
		Members struct {
			Edges []struct {
				Node struct {
					ID          string
					Memberships []struct {
						ID         string
						Department struct{ ID string }
					}
				}
			}
		}
	}
	c.MustDo(`{
		adminRoles(first: 100) { edges { node { id member { id } } } }
		members(first: 100) { edges { node { id memberships { id department { id } } } } }
	}`, nil, &out)
	for _, e := range out.AdminRoles.Edges {
		f.name("role:"+f.label[e.Node.Member.ID], e.Node.ID)
	}
	for _, e := range out.Members.Edges {
		for _, m := range e.Node.Memberships {
			f.name(f.label[e.Node.ID]+"@"+f.label[m.Department.ID], m.ID)
		}
	}
}

// ids returns the IDs of labels.
func (f *visFixture) ids(labels ...string) []string {
	out := make([]string, 0, len(labels))
	for _, l := range labels {
		id, ok := f.id[l]
		if !ok {
			f.env.T.Fatalf("fixture: unknown label %q", l)
		}
		out = append(out, id)
	}
	return out
}

// labels maps IDs (and "ID>ID" pairs, "ID#n" counts, "word:ID" tags) back
// to labels, sorted.
func (f *visFixture) labels(vals []string) []string {
	out := make([]string, 0, len(vals))
	for _, v := range vals {
		parts := strings.FieldsFunc(v, func(r rune) bool { return r == '>' })
		for i, p := range parts {
			prefix := ""
			if pre, rest, ok := strings.Cut(p, ":"); ok {
				prefix, p = pre+":", rest
			}
			id, suffix, _ := strings.Cut(p, "#")
			if l, ok := f.label[id]; ok {
				id = l
			} else if strings.Contains(id, "_") {
				id = "?" + id // an ID outside the fixture
			}
			if suffix != "" {
				id += "#" + suffix
			}
			parts[i] = prefix + id
		}
		out = append(out, strings.Join(parts, ">"))
	}
	sort.Strings(out)
	return out
}

// allIDs is every labelled ID of both enterprises.
func (f *visFixture) allIDs() []string {
	out := make([]string, 0, len(f.id))
	for _, id := range f.id {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}

// sight is what one viewer may see: the departments and members, with the
// rest of the fixture judged from them.
type sight struct {
	enterprise string // "acme" or "globex"
	depts      []string
	members    []string
	roles      []string // admin roles by label
}

func (s sight) seesDept(d string) bool   { return slices.Contains(s.depts, d) }
func (s sight) seesMember(m string) bool { return slices.Contains(s.members, m) }

func (s sight) tags() []string {
	if s.enterprise == "globex" {
		return globexTags
	}
	return acmeTags
}

// placements are the memberships whose both ends s sees.
func (s sight) placements() []placement {
	var out []placement
	for _, p := range fixturePlacements {
		if s.seesMember(p.member) && s.seesDept(p.dept) {
			out = append(out, p)
		}
	}
	return out
}

// memberHas reports whether m has a visible placement matching ok.
func (s sight) memberHas(m string, ok func(placement) bool) bool {
	for _, p := range s.placements() {
		if p.member == m && ok(p) {
			return true
		}
	}
	return false
}

// membersWhere are the visible members with a visible placement matching ok.
func (s sight) membersWhere(ok func(placement) bool) []string {
	var out []string
	for _, m := range s.members {
		if s.memberHas(m, ok) {
			out = append(out, m)
		}
	}
	return out
}

// tagged are the visible members of tag.
func (s sight) tagged(tag string) []string {
	var out []string
	for _, m := range fixtureTags[tag] {
		if s.seesMember(m) {
			out = append(out, m)
		}
	}
	return out
}

// visibleLabels is every row s may see, as node(id) must find them.
func (s sight) visibleLabels() []string {
	out := append([]string{"ent:" + s.enterprise}, s.depts...)
	out = append(out, s.members...)
	out = append(out, s.tags()...)
	out = append(out, s.roles...)
	for _, p := range s.placements() {
		out = append(out, p.member+"@"+p.dept)
	}
	return sorted(out)
}

func sorted(in []string) []string {
	out := append([]string{}, in...)
	sort.Strings(out)
	if out == nil {
		out = []string{}
	}
	return out
}

// pick walks decoded JSON along dot-separated keys, flattening lists, and
// returns the string (or number) leaves.
func pick(v any, path string) []string {
	var out []string
	var walk func(v any, keys []string)
	walk = func(v any, keys []string) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e, keys)
			}
		case map[string]any:
			if len(keys) > 0 {
				walk(x[keys[0]], keys[1:])
			}
		case string:
			if len(keys) == 0 {
				out = append(out, x)
			}
		case float64:
			if len(keys) == 0 {
				out = append(out, strconv.FormatFloat(x, 'f', -1, 64))
			}
		}
	}
	walk(v, strings.Split(path, "."))
	return out
}

// objects walks decoded JSON along path and returns the objects found there.
func objects(v any, path string) []map[string]any {
	var out []map[string]any
	var walk func(v any, keys []string)
	walk = func(v any, keys []string) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				walk(e, keys)
			}
		case map[string]any:
			if len(keys) == 0 {
				out = append(out, x)
			} else {
				walk(x[keys[0]], keys[1:])
			}
		}
	}
	keys := []string{}
	if path != "" {
		keys = strings.Split(path, ".")
	}
	walk(v, keys)
	return out
}

// pairs returns "outer>inner" for every object at outerPath (named by its
// id) and every leaf at innerPath below it.
func pairs(v any, outerPath, innerPath string) []string {
	var out []string
	for _, o := range objects(v, outerPath) {
		id, _ := o["id"].(string)
		for _, leaf := range pick(o, innerPath) {
			out = append(out, id+">"+leaf)
		}
	}
	return out
}

// counts returns "id#n" for every object at outerPath with its count at countPath.
func counts(v any, outerPath, countPath string) []string {
	var out []string
	for _, o := range objects(v, outerPath) {
		id, _ := o["id"].(string)
		for _, n := range pick(o, countPath) {
			out = append(out, id+"#"+n)
		}
	}
	return out
}
