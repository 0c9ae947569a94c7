package e2e

import (
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
)

// A session that expires ends its live subscription then, not at the next
// quiet re-check minutes later (issue 8, finding 9).
func TestALiveSubscriptionEndsWhenItsSessionExpires(t *testing.T) {
	const ttl = 8 * time.Second
	env := apitest.Start(t, apitest.WithTokenTTL(ttl))
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	samID := admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{acme.RootID}})
	admin = env.Admin(acme) // a fresh admin token outlives sam's
	signedIn := time.Now()
	sam := env.Login("acme", "sam", apitest.TestPassword)
	ws := openInbox(t, env, sam, samID, admin)

	// Quiet until a second before the expiry; then the stream must end
	// within the read's 10 s, where the quiet re-check comes after minutes.
	time.Sleep(time.Until(signedIn.Add(ttl - time.Second)))
	took := expectEnded(t, ws, "session", signedIn.Add(ttl))
	t.Logf("subscription ended %v after the session expired", took)
}
