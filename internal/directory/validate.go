package directory

import (
	"net/mail"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/corpline/corpline/internal/apperr"
)

var (
	useridRe = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)
	mobileRe = regexp.MustCompile(`^\+?[0-9]{6,20}$`)
)

// CheckUserid validates a userid: 1 to 64 letters, digits, '.', '_', '@' or '-'.
func CheckUserid(field, s string) error {
	if !useridRe.MatchString(s) {
		return apperr.Input(field, "userid must be 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit")
	}
	return nil
}

// CheckName validates a display name.
func CheckName(field, s string, max int) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return apperr.Input(field, "%s must not be empty", field)
	}
	if utf8.RuneCountInString(s) > max {
		return apperr.Input(field, "%s must be at most %d characters", field, max)
	}
	return nil
}

// CheckMobile validates a mobile number: digits with an optional leading '+'.
func CheckMobile(field string, s *string) error {
	if s == nil || *s == "" {
		return nil
	}
	if !mobileRe.MatchString(*s) {
		return apperr.Input(field, "mobile must be 6 to 20 digits, optionally starting with '+'")
	}
	return nil
}

// CheckEmail validates a bare email address.
func CheckEmail(field string, s *string) error {
	if s == nil || *s == "" {
		return nil
	}
	a, err := mail.ParseAddress(*s)
	if err != nil || a.Address != *s || a.Name != "" || !strings.Contains(a.Address[strings.LastIndexByte(a.Address, '@')+1:], ".") || len(*s) > 254 {
		return apperr.Input(field, "email must be a plain address such as name@example.com")
	}
	return nil
}

// emptyToNil treats "" as absent, so clients can clear nothing by accident.
func emptyToNil(s *string) *string {
	if s == nil || strings.TrimSpace(*s) == "" {
		return nil
	}
	t := strings.TrimSpace(*s)
	return &t
}
