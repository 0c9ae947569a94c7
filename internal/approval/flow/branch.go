package flow

import (
	"slices"

	"github.com/shopspring/decimal"

	"github.com/corpline/corpline/internal/audience"
)

// chooseBranch returns where a condition node leads for form: the first
// branch (in order) whose conditions all hold, else the default.
func chooseBranch(n Node, form Form, a Applicant) string {
	def := ""
	for _, b := range n.Branches {
		if b.Default {
			def = b.Next
			continue
		}
		if allHold(b.Conditions, form, a) {
			return b.Next
		}
	}
	return def
}

func allHold(cs []Condition, form Form, a Applicant) bool {
	for _, c := range cs {
		if !Holds(c, form, a) {
			return false
		}
	}
	return true
}

// Holds reports whether c holds for form and applicant. A condition on a
// value the form left empty does not hold.
func Holds(c Condition, form Form, a Applicant) bool {
	if c.Op == OpApplicantDepartmentIn {
		for _, d := range c.DepartmentIDs {
			if audience.PathUnder(a.PrimaryPath, d) {
				return true
			}
		}
		return false
	}
	f := form.Get(c.Field)
	if f == nil {
		return false
	}
	switch {
	case f.OptionKeys != nil:
		if c.Op == OpEQ {
			return slices.Equal(slices.Sorted(slices.Values(f.OptionKeys)), slices.Sorted(slices.Values(c.OptionKeys)))
		}
		for _, k := range f.OptionKeys {
			if slices.Contains(c.OptionKeys, k) {
				return true
			}
		}
		return false
	case f.Number != nil && c.Number != nil:
		return compare(*f.Number, c.Op, *c.Number)
	case f.DateRange != nil && c.Number != nil:
		return compare(f.DateRange.Days(), c.Op, *c.Number)
	}
	return false
}

func compare(v decimal.Decimal, op CondOp, to decimal.Decimal) bool {
	switch op {
	case OpLT:
		return v.LessThan(to)
	case OpLTE:
		return v.LessThanOrEqual(to)
	case OpGT:
		return v.GreaterThan(to)
	case OpGTE:
		return v.GreaterThanOrEqual(to)
	case OpEQ:
		return v.Equal(to)
	}
	return false
}
