package model

import (
	"fmt"
	"io"
	"strconv"

	"github.com/99designs/gqlgen/graphql"
	"github.com/shopspring/decimal"

	"github.com/corpline/corpline/internal/approval/flow"
)

// MarshalDecimal writes a Decimal scalar as a string, so no client rounds it.
func MarshalDecimal(d decimal.Decimal) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { io.WriteString(w, strconv.Quote(d.String())) })
}

// UnmarshalDecimal reads a Decimal scalar from a string or a number.
func UnmarshalDecimal(v any) (decimal.Decimal, error) {
	switch v := v.(type) {
	case string:
		return decimal.NewFromString(v)
	case int:
		return decimal.NewFromInt(int64(v)), nil
	case int64:
		return decimal.NewFromInt(v), nil
	case float64:
		return decimal.NewFromFloat(v), nil
	}
	return decimal.Decimal{}, fmt.Errorf("a Decimal is a string such as \"12.50\"")
}

// ApprovalControl is a form control as GraphQL shows it: one type per
// family of kinds (see schema/approvals.graphql).
type ApprovalControl interface{ IsApprovalControl() }

// ControlBase holds what every control shows.
type ControlBase struct {
	Key      string
	Kind     flow.ControlKind
	Label    string
	Required bool
}

// IsApprovalControl marks a control type.
func (ControlBase) IsApprovalControl() {}

// ApprovalTextControl shows TEXT and TEXTAREA.
type ApprovalTextControl struct {
	ControlBase
	MinLength, MaxLength *int
}

// ApprovalNumberControl shows NUMBER and MONEY.
type ApprovalNumberControl struct {
	ControlBase
	Min, Max *decimal.Decimal
	Currency *string
}

// ApprovalDateControl shows DATE, DATE_TIME and DATE_RANGE.
type ApprovalDateControl struct{ ControlBase }

// ApprovalSelectControl shows SELECT and MULTI_SELECT.
type ApprovalSelectControl struct {
	ControlBase
	Options []flow.Option
}

// ApprovalPickerControl shows MEMBER and DEPARTMENT.
type ApprovalPickerControl struct {
	ControlBase
	Multiple bool
}

// ApprovalDescriptionControl shows DESCRIPTION.
type ApprovalDescriptionControl struct {
	ControlBase
	Text string
}

// ApprovalTableControl shows TABLE.
type ApprovalTableControl struct {
	ControlBase
	Columns []ApprovalControl
}

// ApprovalBasicControl shows kinds with no settings of their own.
type ApprovalBasicControl struct{ ControlBase }

// Controls turns stored controls into their GraphQL types.
func Controls(cs []flow.Control) []ApprovalControl {
	out := make([]ApprovalControl, len(cs))
	for i, c := range cs {
		out[i] = control(c)
	}
	return out
}

func control(c flow.Control) ApprovalControl {
	b := ControlBase{Key: c.Key, Kind: c.Kind, Label: c.Label, Required: c.Required}
	switch c.Kind {
	case flow.ControlText, flow.ControlTextarea:
		return ApprovalTextControl{ControlBase: b, MinLength: c.MinLength, MaxLength: c.MaxLength}
	case flow.ControlNumber, flow.ControlMoney:
		out := ApprovalNumberControl{ControlBase: b, Min: c.Min, Max: c.Max}
		if c.Currency != "" {
			out.Currency = &c.Currency
		}
		return out
	case flow.ControlDate, flow.ControlDateTime, flow.ControlDateRange:
		return ApprovalDateControl{ControlBase: b}
	case flow.ControlSelect, flow.ControlMultiSelect:
		return ApprovalSelectControl{ControlBase: b, Options: c.Options}
	case flow.ControlMember, flow.ControlDepartment:
		return ApprovalPickerControl{ControlBase: b, Multiple: c.Multiple}
	case flow.ControlDescription:
		return ApprovalDescriptionControl{ControlBase: b, Text: c.Text}
	case flow.ControlTable:
		return ApprovalTableControl{ControlBase: b, Columns: Controls(c.Columns)}
	}
	return ApprovalBasicControl{ControlBase: b}
}
