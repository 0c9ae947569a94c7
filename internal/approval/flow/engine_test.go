package flow

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/audience"
)

// fakeDir is a directory of a few departments, tags and members.
type fakeDir struct {
	leaders  map[string][]string
	tags     map[string][]string
	supers   []string
	inactive map[string]bool
	paths    map[string][]string
}

func (d fakeDir) Leaders(id string) []string    { return d.leaders[id] }
func (d fakeDir) TagMembers(id string) []string { return d.tags[id] }
func (d fakeDir) SuperAdmins() []string         { return d.supers }
func (d fakeDir) Active(id string) bool         { return !d.inactive[id] }
func (d fakeDir) Facts(id string) audience.Facts {
	return audience.Facts{MemberID: id, DeptPaths: d.paths[id]}
}

// The tree: root > sales > east. boss leads root, vp leads sales, east has
// no leader of its own unless a test gives it one.
func newDir() fakeDir {
	return fakeDir{
		leaders:  map[string][]string{"root": {"boss"}, "sales": {"vp"}},
		tags:     map[string][]string{"finance": {"fin1", "fin2"}},
		supers:   []string{"admin"},
		inactive: map[string]bool{},
		paths:    map[string][]string{"rd1": {"/root/rd/"}, "s1": {"/root/sales/"}},
	}
}

var eastApplicant = Applicant{MemberID: "ann", PrimaryPath: "/root/sales/east/"}

func dec(s string) *decimal.Decimal { d := decimal.RequireFromString(s); return &d }
func str(s string) *string          { return &s }

func wantField(t *testing.T, err error, field string) {
	t.Helper()
	var e *apperr.Error
	if !errors.As(err, &e) || e.Code != apperr.BadUserInput || e.Field != field {
		t.Fatalf("want BAD_USER_INPUT on %q, got %v (%+v)", field, err, e)
	}
}

func approvalNode(id, next string, src ...Source) Node {
	return Node{ID: id, Name: id, Kind: NodeApproval, Mode: ModeAny, EmptyPolicy: EmptyToSuperAdmins,
		SelfPolicy: SelfAsk, Approvers: src, Next: next}
}

func members(ids ...string) Source { return Source{Kind: SourceMembers, MemberIDs: ids} }

var controls = []Control{
	{Key: "reason", Kind: ControlText, Label: "Reason", Required: true, MaxLength: intp(20)},
	{Key: "amount", Kind: ControlMoney, Label: "Amount", Currency: "CNY", Min: dec("0"), Max: dec("100000")},
	{Key: "days", Kind: ControlDateRange, Label: "Days"},
	{Key: "type", Kind: ControlSelect, Label: "Type", Options: []Option{{"travel", "Travel"}, {"meal", "Meal"}}},
	{Key: "note", Kind: ControlDescription, Label: "Note", Text: "Keep receipts"},
	{Key: "items", Kind: ControlTable, Label: "Items", Columns: []Control{
		{Key: "what", Kind: ControlText, Label: "What", Required: true},
		{Key: "cost", Kind: ControlNumber, Label: "Cost"},
	}},
}

func intp(i int) *int { return &i }

func TestFormValidationNamesTheControl(t *testing.T) {
	rows := func(n int) []Row {
		out := make([]Row, n)
		for i := range out {
			out[i] = Row{Fields: []Field{{Key: "what", Text: str("x")}}}
		}
		return out
	}
	cases := []struct {
		name  string
		form  Form
		field string
	}{
		{"unknown key", Form{{Key: "reason", Text: str("a")}, {Key: "nope", Text: str("a")}}, "nope"},
		{"required missing", Form{{Key: "amount", Number: dec("3")}}, "reason"},
		{"required blank", Form{{Key: "reason", Text: str("")}}, "reason"},
		{"wrong type", Form{{Key: "reason", Number: dec("3")}}, "reason"},
		{"two values", Form{{Key: "reason", Text: str("a"), Number: dec("1")}}, "reason"},
		{"too long", Form{{Key: "reason", Text: str("123456789012345678901")}}, "reason"},
		{"below min", Form{{Key: "reason", Text: str("a")}, {Key: "amount", Number: dec("-1")}}, "amount"},
		{"above max", Form{{Key: "reason", Text: str("a")}, {Key: "amount", Number: dec("100000.01")}}, "amount"},
		{"money decimals", Form{{Key: "reason", Text: str("a")}, {Key: "amount", Number: dec("1.001")}}, "amount"},
		{"unknown option", Form{{Key: "reason", Text: str("a")}, {Key: "type", OptionKeys: []string{"car"}}}, "type"},
		{"two options on single", Form{{Key: "reason", Text: str("a")}, {Key: "type", OptionKeys: []string{"travel", "meal"}}}, "type"},
		{"description value", Form{{Key: "reason", Text: str("a")}, {Key: "note", Text: str("x")}}, "note"},
		{"too many rows", Form{{Key: "reason", Text: str("a")}, {Key: "items", Rows: rows(101)}}, "items"},
		{"cell missing", Form{{Key: "reason", Text: str("a")}, {Key: "items", Rows: []Row{{Fields: []Field{{Key: "cost", Number: dec("1")}}}}}}, "items.0.what"},
		{"range backwards", Form{{Key: "reason", Text: str("a")}, {Key: "days", DateRange: &DateRange{Start: time.Unix(100, 0), End: time.Unix(50, 0)}}}, "days"},
		{"duplicate key", Form{{Key: "reason", Text: str("a")}, {Key: "reason", Text: str("b")}}, "reason"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := ValidateForm(controls, c.form)
			wantField(t, err, c.field)
		})
	}
	got, _, err := ValidateForm(controls, Form{{Key: "items", Rows: rows(100)}, {Key: "reason", Text: str("ok")}})
	if err != nil {
		t.Fatalf("a valid form: %v", err)
	}
	if got[0].Key != "reason" || got[1].Key != "items" {
		t.Fatalf("fields come back in control order, got %v, %v", got[0].Key, got[1].Key)
	}
}

func TestControlDefinitionsAreChecked(t *testing.T) {
	cases := []struct {
		name  string
		cs    []Control
		field string
	}{
		{"bad key", []Control{{Key: "1x", Kind: ControlText, Label: "x"}}, "controls.0.key"},
		{"repeated key", []Control{{Key: "a", Kind: ControlText, Label: "a"}, {Key: "a", Kind: ControlText, Label: "a"}}, "controls.1.key"},
		{"unknown kind", []Control{{Key: "a", Kind: "HOLOGRAM", Label: "a"}}, "controls.0.kind"},
		{"select without options", []Control{{Key: "a", Kind: ControlSelect, Label: "a"}}, "controls.0.options"},
		{"min above max", []Control{{Key: "a", Kind: ControlNumber, Label: "a", Min: dec("5"), Max: dec("1")}}, "controls.0.max"},
		{"table in table", []Control{{Key: "a", Kind: ControlTable, Label: "a", Columns: []Control{{Key: "b", Kind: ControlTable, Label: "b"}}}}, "controls.0.columns.0.kind"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantField(t, ValidateControls("controls", c.cs), c.field) })
	}
	if err := ValidateControls("controls", controls); err != nil {
		t.Fatalf("valid controls refused: %v", err)
	}
}

func TestFlowValidationRefusesBrokenFlows(t *testing.T) {
	many := Flow{Start: "n0"}
	for i := range 51 {
		next := fmt.Sprintf("n%d", i+1)
		if i == 50 {
			next = ""
		}
		many.Nodes = append(many.Nodes, approvalNode(fmt.Sprintf("n%d", i), next, members("a")))
	}
	crowd := make([]string, 101)
	for i := range crowd {
		crowd[i] = fmt.Sprintf("m%d", i)
	}
	cond := func(branches ...Branch) Node {
		return Node{ID: "c", Name: "c", Kind: NodeCondition, Branches: branches}
	}
	cases := []struct {
		name  string
		flow  Flow
		field string
	}{
		{"cycle", Flow{Start: "a", Nodes: []Node{approvalNode("a", "b", members("x")), approvalNode("b", "a", members("y"))}}, "flow.nodes"},
		{"unreachable", Flow{Start: "a", Nodes: []Node{approvalNode("a", "", members("x")), approvalNode("b", "", members("y"))}}, "flow.nodes.1"},
		{"branch without default", Flow{Start: "c", Nodes: []Node{
			cond(Branch{Name: "big", Conditions: []Condition{{Field: "amount", Op: OpGT, Number: dec("10")}}, Next: "a"}),
			approvalNode("a", "", members("x"))}}, "flow.nodes.0.branches"},
		{"more than 50 nodes", many, "flow.nodes"},
		{"more than 100 approvers", Flow{Start: "a", Nodes: []Node{approvalNode("a", "", members(crowd...))}}, "flow.nodes.0.approvers"},
		{"unknown next", Flow{Start: "a", Nodes: []Node{approvalNode("a", "zz", members("x"))}}, "flow.nodes.0"},
		{"condition on unknown control", Flow{Start: "c", Nodes: []Node{
			cond(Branch{Name: "x", Conditions: []Condition{{Field: "ghost", Op: OpGT, Number: dec("1")}}}, Branch{Name: "d", Default: true})}}, "flow.nodes.0.branches.0.conditions.0.field"},
		{"IN on a number", Flow{Start: "c", Nodes: []Node{
			cond(Branch{Name: "x", Conditions: []Condition{{Field: "amount", Op: OpIn, OptionKeys: []string{"a"}}}}, Branch{Name: "d", Default: true})}}, "flow.nodes.0.branches.0.conditions.0.op"},
		{"no mode", Flow{Start: "a", Nodes: []Node{{ID: "a", Name: "a", Kind: NodeApproval, EmptyPolicy: EmptyAutoApprove, SelfPolicy: SelfAsk, Approvers: []Source{members("x")}}}}, "flow.nodes.0.mode"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { wantField(t, ValidateFlow("flow", c.flow, controls), c.field) })
	}
}

func TestLeaderChainIsBottomUpFromThePrimaryDepartment(t *testing.T) {
	dir := newDir()
	dir.leaders["east"] = []string{"lead"}
	cases := []struct {
		name  string
		a     Applicant
		level int
		want  []string
	}{
		{"level 1 is the own department's leader", eastApplicant, 1, []string{"lead"}},
		{"level 2 is the parent's", eastApplicant, 2, []string{"vp"}},
		{"level 3 is the root's", eastApplicant, 3, []string{"boss"}},
		{"above the root is nobody", eastApplicant, 4, nil},
		{"a leader's level 1 is their parent's leader", Applicant{MemberID: "lead", PrimaryPath: "/root/sales/east/"}, 1, []string{"vp"}},
		{"after a move, the new department counts", Applicant{MemberID: "ann", PrimaryPath: "/root/rd/"}, 1, nil},
		{"no department, no leader", Applicant{MemberID: "ann"}, 1, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := LeaderAt(c.a, c.level, dir); !slices.Equal(got, c.want) {
				t.Fatalf("got %v, want %v", got, c.want)
			}
		})
	}
}

func TestEachApproverSourceResolves(t *testing.T) {
	dir := newDir()
	dir.inactive["gone"] = true
	flow := Flow{Start: "a", Nodes: []Node{
		approvalNode("a", "b", members("x", "gone", "y", "x")),
		approvalNode("b", "c", Source{Kind: SourceLeader, Level: 1}),
		approvalNode("c", "d", Source{Kind: SourceDepartmentLeaders, DepartmentIDs: []string{"sales", "root"}}),
		approvalNode("d", "e", Source{Kind: SourceTag, TagIDs: []string{"finance"}}),
		approvalNode("e", "", Source{Kind: SourceChosen, MinCount: 1, MaxCount: 2, Range: &audience.Audience{DepartmentIDs: []string{"rd"}}}),
	}, CcOnSubmit: []Source{members("cc1")}, CcOnFinish: []Source{{Kind: SourceTag, TagIDs: []string{"finance"}}}}
	flow.Nodes[1].EmptyPolicy = EmptyToSuperAdmins
	p, err := Resolve(flow, nil, eastApplicant, dir, Inputs{Chosen: map[string][]string{"e": {"rd1"}}, Cc: []string{"cc2"}})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"x", "y"}, {"admin"}, {"vp", "boss"}, {"fin1", "fin2"}, {"rd1"}}
	for i, w := range want {
		if !slices.Equal(p.Steps[i].Approvers, w) {
			t.Errorf("step %s: got %v, want %v", p.Steps[i].NodeID, p.Steps[i].Approvers, w)
		}
	}
	if !p.Steps[1].ToSuperAdmins {
		t.Errorf("east has no leader: step b goes to the super admins")
	}
	if !slices.Equal(p.CcOnSubmit, []string{"cc1", "cc2"}) || !slices.Equal(p.CcOnFinish, []string{"fin1", "fin2"}) {
		t.Errorf("cc: %v / %v", p.CcOnSubmit, p.CcOnFinish)
	}
	for name, chosen := range map[string][]string{"outside range": {"s1"}, "too many": {"rd1", "rd2", "rd3"}, "none": {}} {
		_, err := Resolve(flow, nil, eastApplicant, dir, Inputs{Chosen: map[string][]string{"e": chosen}})
		t.Run(name, func(t *testing.T) { wantField(t, err, "chosenApprovers") })
	}
}

func TestEmptyPolicies(t *testing.T) {
	dir := newDir()
	for policy, want := range map[EmptyPolicy]TaskStatus{EmptyAutoApprove: TaskApproved, EmptyAutoReject: TaskRejected} {
		n := approvalNode("a", "", Source{Kind: SourceTag, TagIDs: []string{"empty"}})
		n.EmptyPolicy = policy
		p, err := Resolve(Flow{Start: "a", Nodes: []Node{n}}, nil, eastApplicant, dir, Inputs{})
		if err != nil || p.Steps[0].Auto != want || len(p.Steps[0].Approvers) != 0 {
			t.Errorf("%s: got %+v, %v", policy, p.Steps, err)
		}
	}
}

func TestEachBranchOperator(t *testing.T) {
	day := 24 * time.Hour
	form := Form{
		{Key: "amount", Number: dec("500")},
		{Key: "type", OptionKeys: []string{"travel"}},
		{Key: "days", DateRange: &DateRange{Start: time.Unix(0, 0), End: time.Unix(0, 0).Add(3 * day)}},
	}
	cases := []struct {
		c    Condition
		want bool
	}{
		{Condition{Field: "amount", Op: OpLT, Number: dec("500")}, false},
		{Condition{Field: "amount", Op: OpLTE, Number: dec("500")}, true},
		{Condition{Field: "amount", Op: OpGT, Number: dec("499.99")}, true},
		{Condition{Field: "amount", Op: OpGTE, Number: dec("500.01")}, false},
		{Condition{Field: "amount", Op: OpEQ, Number: dec("500.00")}, true},
		{Condition{Field: "type", Op: OpEQ, OptionKeys: []string{"travel"}}, true},
		{Condition{Field: "type", Op: OpEQ, OptionKeys: []string{"meal"}}, false},
		{Condition{Field: "type", Op: OpIn, OptionKeys: []string{"meal", "travel"}}, true},
		{Condition{Field: "days", Op: OpGT, Number: dec("2.5")}, true},
		{Condition{Field: "days", Op: OpLT, Number: dec("3")}, false},
		{Condition{Op: OpApplicantDepartmentIn, DepartmentIDs: []string{"sales"}}, true},
		{Condition{Op: OpApplicantDepartmentIn, DepartmentIDs: []string{"rd", "eas"}}, false},
		{Condition{Field: "missing", Op: OpGT, Number: dec("0")}, false},
	}
	for _, c := range cases {
		if got := Holds(c.c, form, eastApplicant); got != c.want {
			t.Errorf("%+v: got %v, want %v", c.c, got, c.want)
		}
	}
	flow := Flow{Start: "c", Nodes: []Node{
		{ID: "c", Name: "c", Kind: NodeCondition, Branches: []Branch{
			{Name: "default", Default: true, Next: "small"},
			{Name: "big", Conditions: []Condition{{Field: "amount", Op: OpGTE, Number: dec("1000")}}, Next: "big"},
		}},
		approvalNode("big", "small", members("cfo")),
		approvalNode("small", "", members("mgr")),
	}}
	if err := ValidateFlow("flow", flow, controls); err != nil {
		t.Fatal(err)
	}
	for amount, want := range map[string][]string{"999": {"small"}, "1000": {"big", "small"}} {
		p, err := Resolve(flow, Form{{Key: "amount", Number: dec(amount)}}, eastApplicant, newDir(), Inputs{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, s := range p.Steps {
			got = append(got, s.NodeID)
		}
		if !slices.Equal(got, want) {
			t.Errorf("amount %s: path %v, want %v", amount, got, want)
		}
	}
}

func TestTallyByMode(t *testing.T) {
	ab := []string{"a", "b"}
	cases := []struct {
		name  string
		mode  Mode
		votes []Vote
		want  NodeStatus
		ask   []string
	}{
		{"ALL waits for everyone", ModeAll, []Vote{{"a", TaskApproved}, {"b", TaskPending}}, NodeRunning, nil},
		{"ALL approves when all did", ModeAll, []Vote{{"a", TaskApproved}, {"b", TaskApproved}}, NodeApproved, nil},
		{"ALL rejects on one rejection", ModeAll, []Vote{{"a", TaskApproved}, {"b", TaskRejected}}, NodeRejected, nil},
		{"ALL asks everyone at once", ModeAll, nil, NodeRunning, ab},
		{"ANY first approval decides", ModeAny, []Vote{{"a", TaskPending}, {"b", TaskApproved}}, NodeApproved, nil},
		{"ANY first rejection decides", ModeAny, []Vote{{"a", TaskRejected}, {"b", TaskPending}}, NodeRejected, nil},
		{"SEQUENTIAL asks the first", ModeSequential, nil, NodeRunning, []string{"a"}},
		{"SEQUENTIAL then the next", ModeSequential, []Vote{{"a", TaskApproved}}, NodeRunning, []string{"b"}},
		{"SEQUENTIAL waits on the pending one", ModeSequential, []Vote{{"a", TaskApproved}, {"b", TaskPending}}, NodeRunning, nil},
		{"SEQUENTIAL approves after the last", ModeSequential, []Vote{{"a", TaskApproved}, {"b", TaskApproved}}, NodeApproved, nil},
		{"a transferred task carries no vote", ModeAny, []Vote{{"a", TaskTransferred}, {"b", TaskPending}}, NodeRunning, []string{"a"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Tally(c.mode, ab, c.votes)
			if got.Status != c.want || !slices.Equal(got.Ask, c.ask) {
				t.Fatalf("got %+v, want %s asking %v", got, c.want, c.ask)
			}
		})
	}
}
