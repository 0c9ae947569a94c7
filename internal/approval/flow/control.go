package flow

import (
	"fmt"
	"regexp"

	"github.com/shopspring/decimal"

	"github.com/corpline/corpline/internal/apperr"
)

// ControlKind is the kind of a form control. The set is open: clients must
// show a control of a kind they do not know by its label (and skip it), so
// adding a kind never breaks an older client.
type ControlKind string

// The control kinds.
const (
	ControlText            ControlKind = "TEXT"
	ControlTextarea        ControlKind = "TEXTAREA"
	ControlNumber          ControlKind = "NUMBER"
	ControlMoney           ControlKind = "MONEY"
	ControlDate            ControlKind = "DATE"
	ControlDateTime        ControlKind = "DATE_TIME"
	ControlDateRange       ControlKind = "DATE_RANGE"
	ControlSelect          ControlKind = "SELECT"
	ControlMultiSelect     ControlKind = "MULTI_SELECT"
	ControlMember          ControlKind = "MEMBER"
	ControlDepartment      ControlKind = "DEPARTMENT"
	ControlAttachment      ControlKind = "ATTACHMENT"
	ControlLocation        ControlKind = "LOCATION"
	ControlDescription     ControlKind = "DESCRIPTION"
	ControlTable           ControlKind = "TABLE"
	ControlRelatedApproval ControlKind = "RELATED_APPROVAL"
)

// Limits of templates and forms.
const (
	MaxControls      = 100
	MaxTableRows     = 100
	MaxTableColumns  = 20
	MaxOptions       = 200
	MaxTextRunes     = 2000
	MaxTextareaRunes = 10000
	MaxItems         = 100 // members, departments, attachments, related approvals per value
)

var controlKinds = map[ControlKind]bool{
	ControlText: true, ControlTextarea: true, ControlNumber: true, ControlMoney: true,
	ControlDate: true, ControlDateTime: true, ControlDateRange: true, ControlSelect: true,
	ControlMultiSelect: true, ControlMember: true, ControlDepartment: true,
	ControlAttachment: true, ControlLocation: true, ControlDescription: true,
	ControlTable: true, ControlRelatedApproval: true,
}

// IsValid reports whether k is a known kind.
func (k ControlKind) IsValid() bool { return controlKinds[k] }

// Option is one choice of a select control. Its key is stable: values and
// branch conditions refer to the key, so relabelling never changes a flow.
type Option struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

// Control is one field of a template's form, as stored in a template
// version. Only the settings of its kind are used.
type Control struct {
	Key      string      `json:"key"`
	Kind     ControlKind `json:"kind"`
	Label    string      `json:"label"`
	Required bool        `json:"required,omitempty"`
	// MinLength and MaxLength bound TEXT and TEXTAREA values, in characters.
	MinLength *int `json:"minLength,omitempty"`
	MaxLength *int `json:"maxLength,omitempty"`
	// Min and Max bound NUMBER and MONEY values.
	Min *decimal.Decimal `json:"min,omitempty"`
	Max *decimal.Decimal `json:"max,omitempty"`
	// Currency of a MONEY control (ISO 4217, such as CNY).
	Currency string `json:"currency,omitempty"`
	// Options of SELECT and MULTI_SELECT.
	Options []Option `json:"options,omitempty"`
	// Multiple lets MEMBER and DEPARTMENT hold more than one.
	Multiple bool `json:"multiple,omitempty"`
	// Columns of a TABLE: simple controls, no table or description.
	Columns []Control `json:"columns,omitempty"`
	// Text of a DESCRIPTION, shown on the form; it takes no value.
	Text string `json:"text,omitempty"`
}

var keyPattern = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9_]{0,63}$`)

// ValidateControls refuses a form definition a client could not fill in:
// blank or repeated keys, unknown kinds, selects without options, bounds
// that exclude every value. field names the input being checked.
func ValidateControls(field string, cs []Control) error {
	if len(cs) > MaxControls {
		return apperr.Input(field, "a form has at most %d controls", MaxControls)
	}
	return validateControls(field, cs, false)
}

func validateControls(field string, cs []Control, inTable bool) error {
	seen := map[string]bool{}
	for i, c := range cs {
		at := fmt.Sprintf("%s.%d", field, i)
		if !keyPattern.MatchString(c.Key) {
			return apperr.Input(at+".key", "a control key starts with a letter and holds up to 64 letters, digits and underscores")
		}
		if seen[c.Key] {
			return apperr.Input(at+".key", "control key %q is used twice", c.Key)
		}
		seen[c.Key] = true
		if err := validateControl(at, c, inTable); err != nil {
			return err
		}
	}
	return nil
}

func validateControl(at string, c Control, inTable bool) error {
	if !c.Kind.IsValid() {
		return apperr.Input(at+".kind", "unknown control kind %q", c.Kind)
	}
	if c.Label == "" || len([]rune(c.Label)) > 100 {
		return apperr.Input(at+".label", "control %q needs a label of 1 to 100 characters", c.Key)
	}
	if inTable && (c.Kind == ControlTable || c.Kind == ControlDescription) {
		return apperr.Input(at+".kind", "a table column cannot be a %s", c.Kind)
	}
	if c.MinLength != nil && c.MaxLength != nil && *c.MinLength > *c.MaxLength ||
		c.MinLength != nil && *c.MinLength < 0 || c.MaxLength != nil && *c.MaxLength < 1 {
		return apperr.Input(at+".maxLength", "control %q has length bounds no value fits", c.Key)
	}
	if c.Min != nil && c.Max != nil && c.Min.GreaterThan(*c.Max) {
		return apperr.Input(at+".max", "control %q has min above max", c.Key)
	}
	switch c.Kind {
	case ControlSelect, ControlMultiSelect:
		return validateOptions(at, c)
	case ControlTable:
		if len(c.Columns) == 0 || len(c.Columns) > MaxTableColumns {
			return apperr.Input(at+".columns", "table %q needs 1 to %d columns", c.Key, MaxTableColumns)
		}
		return validateControls(at+".columns", c.Columns, true)
	case ControlMoney:
		if len(c.Currency) != 3 {
			return apperr.Input(at+".currency", "money control %q needs a three-letter currency", c.Key)
		}
	}
	return nil
}

func validateOptions(at string, c Control) error {
	if len(c.Options) == 0 || len(c.Options) > MaxOptions {
		return apperr.Input(at+".options", "select %q needs 1 to %d options", c.Key, MaxOptions)
	}
	seen := map[string]bool{}
	for j, o := range c.Options {
		if o.Key == "" || seen[o.Key] || o.Label == "" {
			return apperr.Input(fmt.Sprintf("%s.options.%d", at, j), "option keys of %q must be present and distinct, with a label", c.Key)
		}
		seen[o.Key] = true
	}
	return nil
}

// controlByKey finds the control with key, or nil.
func controlByKey(cs []Control, key string) *Control {
	for i := range cs {
		if cs[i].Key == key {
			return &cs[i]
		}
	}
	return nil
}

func (c Control) hasOption(key string) bool {
	for _, o := range c.Options {
		if o.Key == key {
			return true
		}
	}
	return false
}
