// Package invite makes and checks the links people follow an enterprise
// through: the enterprise's invite (its QR code) and each member's referral
// card.
//
// A link carries a token "inv1.<payload>.<mac>": the payload names the
// enterprise and, for a referral card, the referring member; the mac is
// HMAC-SHA256 of the payload under the enterprise's invite secret. Rotating
// the secret voids every link given out, referral cards included. A token
// proves only that the enterprise handed out the link: following still needs
// the identity to match the directory (package lifecycle).
package invite

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
)

const version = "inv1"

// Claims are what a token says, once its mac is checked.
type Claims struct {
	EnterpriseID string
	ReferrerID   string // "" for the enterprise's own invite
	mac          []byte
	payload      string
}

// NewSecret returns a fresh invite secret, hex-encoded as stored.
func NewSecret() string {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("invite: crypto/rand failed: " + err.Error())
	}
	return hex.EncodeToString(b)
}

// Sign returns the token for an enterprise (and referrer, or "").
func Sign(secret, enterpriseID, referrerID string) string {
	payload := base64.RawURLEncoding.EncodeToString([]byte(enterpriseID + "." + referrerID))
	return version + "." + payload + "." + base64.RawURLEncoding.EncodeToString(mac(secret, payload))
}

func mac(secret, payload string) []byte {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(version + "." + payload))
	return h.Sum(nil)[:16]
}

// Parse reads the claims of a link or a bare token, without checking the
// mac (the secret depends on the enterprise it names). ok is false when s
// is not an invite at all.
func Parse(s string) (Claims, bool) {
	s = strings.TrimSpace(s)
	if u, err := url.Parse(s); err == nil && u.Scheme != "" {
		s = u.Query().Get("invite")
	}
	parts := strings.Split(s, ".")
	if len(parts) != 3 || parts[0] != version {
		return Claims{}, false
	}
	raw, err1 := base64.RawURLEncoding.DecodeString(parts[1])
	m, err2 := base64.RawURLEncoding.DecodeString(parts[2])
	if err1 != nil || err2 != nil {
		return Claims{}, false
	}
	eid, ref, found := strings.Cut(string(raw), ".")
	if !found || eid == "" {
		return Claims{}, false
	}
	return Claims{EnterpriseID: eid, ReferrerID: ref, mac: m, payload: parts[1]}, true
}

// Valid reports whether the claims were signed with secret.
func (c Claims) Valid(secret string) bool {
	return secret != "" && hmac.Equal(c.mac, mac(secret, c.payload))
}

// Link is the URL that carries token, under the server's public base URL.
func Link(baseURL, token string) string {
	return strings.TrimRight(baseURL, "/") + "/join?invite=" + url.QueryEscape(token)
}
