package invite

import (
	"strings"
	"testing"
)

func TestTokensVerifyOnlyUnderTheirSecretAndSurviveTheLink(t *testing.T) {
	secret := NewSecret()
	tok := Sign(secret, "ent_1", "mem_2")
	for _, s := range []string{tok, Link("https://corp.example.com/", tok), "  " + tok + " "} {
		c, ok := Parse(s)
		if !ok || c.EnterpriseID != "ent_1" || c.ReferrerID != "mem_2" || !c.Valid(secret) {
			t.Fatalf("Parse(%q) = %+v, %v", s, c, ok)
		}
		if c.Valid(NewSecret()) || c.Valid("") {
			t.Fatalf("token valid under another secret")
		}
	}
	// Change the first character of the mac (the last carries padding bits).
	forged := Sign(secret, "ent_1", "")
	i := strings.LastIndexByte(forged, '.') + 1
	flip := byte('A')
	if forged[i] == 'A' {
		flip = 'B'
	}
	c, _ := Parse(forged[:i] + string(flip) + forged[i+1:])
	if c.Valid(secret) {
		t.Fatalf("a changed mac verifies")
	}
	for _, bad := range []string{"", "inv1", "inv2.a.b", "inv1.!!.b", "https://x.example.com/join", "inv1.ZW50XzE.AAAA"} {
		if c, ok := Parse(bad); ok && c.Valid(secret) {
			t.Fatalf("Parse(%q) accepted", bad)
		}
	}
}
