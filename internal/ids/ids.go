// Package ids makes the global identifiers every corpline row carries.
//
// An ID is a short type prefix, an underscore and a UUIDv7 in hex: the prefix
// lets node(id) find the table without a lookup, UUIDv7 keeps IDs ordered by
// creation (so cursors over IDs follow insertion order) and makes them
// unguessable across enterprises.
package ids

import (
	"strings"

	"github.com/google/uuid"
)

// New returns a fresh ID with the given type prefix.
func New(prefix string) string {
	u := uuid.Must(uuid.NewV7())
	return prefix + "_" + strings.ReplaceAll(u.String(), "-", "")
}

// Prefix returns the type prefix of id, or "" when id has none.
func Prefix(id string) string {
	i := strings.IndexByte(id, '_')
	if i <= 0 {
		return ""
	}
	return id[:i]
}

// Type prefixes, one per table. node(id) maps them back to ent types.
const (
	Enterprise = "ent"
	Department = "dep"
	Member     = "mem"
	Membership = "msp"
	Tag        = "tag"
	AdminRole  = "adm"
	Session    = "ses"
	// Operator is a platform operator, outside every enterprise.
	Operator        = "opr"
	OperatorSession = "ops"
	AuditEntry      = "aud"
	Callback        = "cbk"

	App                = "app"
	AppToken           = "apt"
	Message            = "msg"
	InboxEntry         = "inb"
	InboxCounter       = "ctr"
	Conversation       = "cnv"
	ConversationMember = "cvm"
	ConfidentialView   = "cfv"

	Assignment            = "asn"
	AssignmentParticipant = "asp"
	AssignmentEvent       = "ase"
)
