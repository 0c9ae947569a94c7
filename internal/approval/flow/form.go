package flow

import (
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"

	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/msgtype"
)

// Field is one submitted value of a form, for the control with Key. Exactly
// the member that fits the control's kind is set: text for TEXT and
// TEXTAREA, number for NUMBER and MONEY, and so on.
type Field struct {
	Key           string                  `json:"key"`
	Text          *string                 `json:"text,omitempty"`
	Number        *decimal.Decimal        `json:"number,omitempty"`
	Date          *string                 `json:"date,omitempty"` // YYYY-MM-DD
	DateTime      *time.Time              `json:"dateTime,omitempty"`
	DateRange     *DateRange              `json:"dateRange,omitempty"`
	OptionKeys    []string                `json:"optionKeys,omitempty"`
	MemberIDs     []string                `json:"memberIds,omitempty"`
	DepartmentIDs []string                `json:"departmentIds,omitempty"`
	Attachments   []msgtype.FileReference `json:"attachments,omitempty"`
	Location      *Location               `json:"location,omitempty"`
	Rows          []Row                   `json:"rows,omitempty"`
	ApprovalIDs   []string                `json:"approvalIds,omitempty"`
}

// Row is one row of a TABLE value.
type Row struct {
	Fields []Field `json:"fields"`
}

// DateRange is a span of time; its duration drives leave days and branch
// conditions.
type DateRange struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// Days is the range's length in days (fractions for part days).
func (r DateRange) Days() decimal.Decimal {
	return decimal.NewFromFloat(r.End.Sub(r.Start).Hours()).Div(decimal.NewFromInt(24)).Round(2)
}

// Location is a place picked on a map.
type Location struct {
	Latitude  float64 `json:"latitude"`
	Longitude float64 `json:"longitude"`
	Address   string  `json:"address,omitempty"`
}

// Form is a submitted form: its fields in the order of the controls.
type Form []Field

// Get returns the field with key, or nil.
func (f Form) Get(key string) *Field {
	for i := range f {
		if f[i].Key == key {
			return &f[i]
		}
	}
	return nil
}

// References lists the members, departments and approvals a form names, for
// the service to check they exist for the applicant.
type References struct {
	MemberIDs, DepartmentIDs, ApprovalIDs []string
}

// ValidateForm checks f against controls and returns it in control order.
// Every error is BAD_USER_INPUT naming the control key in extensions.field
// (table cells as "key.row.column"): an unknown key, a value of the wrong
// type, a required value missing, a number out of range, an option that is
// not one of the control's, too many rows.
func ValidateForm(controls []Control, f Form) (Form, References, error) {
	var refs References
	out, err := validateFields("", controls, f, &refs)
	return out, refs, err
}

func validateFields(prefix string, controls []Control, f Form, refs *References) (Form, error) {
	byKey := map[string]Field{}
	for _, fl := range f {
		if controlByKey(controls, fl.Key) == nil {
			return nil, apperr.Input(prefix+fl.Key, "the form has no control %q", fl.Key)
		}
		if _, dup := byKey[fl.Key]; dup {
			return nil, apperr.Input(prefix+fl.Key, "control %q is given twice", fl.Key)
		}
		byKey[fl.Key] = fl
	}
	out := make(Form, 0, len(byKey))
	for _, c := range controls {
		fl, ok := byKey[c.Key]
		at := prefix + c.Key
		if ok {
			if err := checkShape(at, c, fl); err != nil {
				return nil, err
			}
		}
		if !ok || isEmpty(fl) {
			if c.Required && c.Kind != ControlDescription {
				return nil, apperr.Input(at, "%s is required", c.Label)
			}
			continue
		}
		if err := checkValue(at, c, &fl, refs); err != nil {
			return nil, err
		}
		out = append(out, fl)
	}
	return out, nil
}

// present lists which value members of fl are set, by the name of the kind
// family they belong to.
func present(fl Field) []string {
	var p []string
	add := func(set bool, name string) {
		if set {
			p = append(p, name)
		}
	}
	add(fl.Text != nil, "text")
	add(fl.Number != nil, "number")
	add(fl.Date != nil, "date")
	add(fl.DateTime != nil, "dateTime")
	add(fl.DateRange != nil, "dateRange")
	add(fl.OptionKeys != nil, "optionKeys")
	add(fl.MemberIDs != nil, "memberIds")
	add(fl.DepartmentIDs != nil, "departmentIds")
	add(fl.Attachments != nil, "attachments")
	add(fl.Location != nil, "location")
	add(fl.Rows != nil, "rows")
	add(fl.ApprovalIDs != nil, "approvalIds")
	return p
}

// valueMember is the member of Field a control of kind k takes.
func valueMember(k ControlKind) string {
	switch k {
	case ControlText, ControlTextarea:
		return "text"
	case ControlNumber, ControlMoney:
		return "number"
	case ControlDate:
		return "date"
	case ControlDateTime:
		return "dateTime"
	case ControlDateRange:
		return "dateRange"
	case ControlSelect, ControlMultiSelect:
		return "optionKeys"
	case ControlMember:
		return "memberIds"
	case ControlDepartment:
		return "departmentIds"
	case ControlAttachment:
		return "attachments"
	case ControlLocation:
		return "location"
	case ControlTable:
		return "rows"
	case ControlRelatedApproval:
		return "approvalIds"
	}
	return ""
}

func checkShape(at string, c Control, fl Field) error {
	p := present(fl)
	want := valueMember(c.Kind)
	if c.Kind == ControlDescription && len(p) > 0 {
		return apperr.Input(at, "%s is a description and takes no value", c.Label)
	}
	if len(p) > 1 || len(p) == 1 && p[0] != want {
		return apperr.Input(at, "%s is a %s control: give its value as %s", c.Label, c.Kind, want)
	}
	return nil
}

func isEmpty(fl Field) bool {
	return len(present(fl)) == 0 ||
		fl.Text != nil && *fl.Text == "" ||
		fl.OptionKeys != nil && len(fl.OptionKeys) == 0 ||
		fl.MemberIDs != nil && len(fl.MemberIDs) == 0 ||
		fl.DepartmentIDs != nil && len(fl.DepartmentIDs) == 0 ||
		fl.Attachments != nil && len(fl.Attachments) == 0 ||
		fl.Rows != nil && len(fl.Rows) == 0 ||
		fl.ApprovalIDs != nil && len(fl.ApprovalIDs) == 0
}

func checkValue(at string, c Control, fl *Field, refs *References) error {
	switch c.Kind {
	case ControlText, ControlTextarea:
		return checkText(at, c, *fl.Text)
	case ControlNumber, ControlMoney:
		return checkNumber(at, c, *fl.Number)
	case ControlDate:
		if _, err := time.Parse(time.DateOnly, *fl.Date); err != nil {
			return apperr.Input(at, "%s must be a date as YYYY-MM-DD", c.Label)
		}
	case ControlDateRange:
		if fl.DateRange.End.Before(fl.DateRange.Start) {
			return apperr.Input(at, "%s ends before it starts", c.Label)
		}
	case ControlSelect, ControlMultiSelect:
		return checkOptions(at, c, fl.OptionKeys)
	case ControlMember:
		refs.MemberIDs = append(refs.MemberIDs, fl.MemberIDs...)
		return checkCount(at, c, len(fl.MemberIDs))
	case ControlDepartment:
		refs.DepartmentIDs = append(refs.DepartmentIDs, fl.DepartmentIDs...)
		return checkCount(at, c, len(fl.DepartmentIDs))
	case ControlAttachment:
		return checkAttachments(at, c, fl.Attachments)
	case ControlRelatedApproval:
		refs.ApprovalIDs = append(refs.ApprovalIDs, fl.ApprovalIDs...)
		return checkCount(at, Control{Label: c.Label, Multiple: true}, len(fl.ApprovalIDs))
	case ControlLocation:
		if l := fl.Location; l.Latitude < -90 || l.Latitude > 90 || l.Longitude < -180 || l.Longitude > 180 {
			return apperr.Input(at, "%s is not a place on earth", c.Label)
		}
	case ControlTable:
		return checkRows(at, c, fl, refs)
	}
	return nil
}

func checkText(at string, c Control, s string) error {
	n := len([]rune(s))
	limit := MaxTextRunes
	if c.Kind == ControlTextarea {
		limit = MaxTextareaRunes
	}
	if c.MaxLength != nil && *c.MaxLength < limit {
		limit = *c.MaxLength
	}
	if n > limit {
		return apperr.Input(at, "%s is at most %d characters", c.Label, limit)
	}
	if c.MinLength != nil && n < *c.MinLength {
		return apperr.Input(at, "%s is at least %d characters", c.Label, *c.MinLength)
	}
	return nil
}

func checkNumber(at string, c Control, n decimal.Decimal) error {
	if c.Min != nil && n.LessThan(*c.Min) {
		return apperr.Input(at, "%s is at least %s", c.Label, c.Min)
	}
	if c.Max != nil && n.GreaterThan(*c.Max) {
		return apperr.Input(at, "%s is at most %s", c.Label, c.Max)
	}
	if c.Kind == ControlMoney && n.Exponent() < -2 && !n.Equal(n.Round(2)) {
		return apperr.Input(at, "%s has at most two decimals", c.Label)
	}
	return nil
}

func checkOptions(at string, c Control, keys []string) error {
	if c.Kind == ControlSelect && len(keys) > 1 {
		return apperr.Input(at, "%s takes one option", c.Label)
	}
	for _, k := range keys {
		if !c.hasOption(k) {
			return apperr.Input(at, "%q is not an option of %s", k, c.Label)
		}
	}
	if len(slices.Compact(slices.Sorted(slices.Values(keys)))) != len(keys) {
		return apperr.Input(at, "%s names an option twice", c.Label)
	}
	return nil
}

func checkCount(at string, c Control, n int) error {
	if !c.Multiple && n > 1 {
		return apperr.Input(at, "%s takes one", c.Label)
	}
	if n > MaxItems {
		return apperr.Input(at, "%s takes at most %d", c.Label, MaxItems)
	}
	return nil
}

func checkAttachments(at string, c Control, as []msgtype.FileReference) error {
	if len(as) > MaxItems {
		return apperr.Input(at, "%s takes at most %d files", c.Label, MaxItems)
	}
	for _, a := range as {
		if a.URL == "" || a.Name == "" || len(a.URL) > 2048 || len(a.Name) > 255 {
			return apperr.Input(at, "each file of %s needs a url (up to 2048 bytes) and a name", c.Label)
		}
	}
	return nil
}

func checkRows(at string, c Control, fl *Field, refs *References) error {
	if len(fl.Rows) > MaxTableRows {
		return apperr.Input(at, "%s has at most %d rows", c.Label, MaxTableRows)
	}
	for i, r := range fl.Rows {
		fields, err := validateFields(fmt.Sprintf("%s.%d.", at, i), c.Columns, r.Fields, refs)
		if err != nil {
			return err
		}
		fl.Rows[i].Fields = fields
	}
	return nil
}
