package directory

import (
	"context"
	"fmt"
	"strings"

	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/logins"
)

// A member signs in with their userid, mobile or email (auth.Login), so the
// three are one namespace within an enterprise (package logins): none of a
// member's names may be another member's userid, mobile or email, compared
// without case. Emails are stored in lower case; userids keep their case.

// normalizeEmail lower-cases an email address (nil stays nil).
func normalizeEmail(s *string) *string {
	if s == nil {
		return nil
	}
	l := strings.ToLower(*s)
	return &l
}

// loginName is one name a member signs in with, and the input it came from.
type loginName struct {
	field, what, key string
}

// namesOf lists the login names of a member: userid (if not ""), mobile and
// email (if given).
func namesOf(userid string, mobile, email *string) []loginName {
	var ns []loginName
	if userid != "" {
		ns = append(ns, loginName{"userid", "userid", logins.Key(userid)})
	}
	if mobile != nil {
		ns = append(ns, loginName{"mobile", "mobile", logins.Key(*mobile)})
	}
	if email != nil {
		ns = append(ns, loginName{"email", "email", logins.Key(*email)})
	}
	return ns
}

func keysOf(ns []loginName) []string {
	keys := make([]string, len(ns))
	for i, n := range ns {
		keys[i] = n.key
	}
	return keys
}

// loginTaken is the CONFLICT of a name another member signs in with.
func loginTaken(prefix string, n loginName) error {
	return &apperr.Error{Code: apperr.Conflict, Field: prefix + n.field,
		Message: fmt.Sprintf("another member already signs in with this %s (userids, mobiles and emails are one namespace, without case)", n.what)}
}

// requireFreeLogins fails with CONFLICT when a member of the enterprise other
// than exceptID signs in with userid (if not ""), mobile or email.
func (s *Service) requireFreeLogins(ctx context.Context, exceptID, userid string, mobile, email *string) error {
	ns := namesOf(userid, mobile, email)
	if len(ns) == 0 {
		return nil
	}
	taken, err := logins.Taken(ctx, s.db(ctx), exceptID, keysOf(ns))
	if err != nil {
		return err
	}
	for _, n := range ns {
		if taken[n.key] {
			return loginTaken("", n)
		}
	}
	return nil
}
