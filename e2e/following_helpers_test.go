package e2e

import (
	"testing"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/provision"
)

// registered provisions a REGISTERED enterprise (50 followers).
func registered(env *apitest.Env, code string) *apitest.Enterprise {
	return env.NewEnterpriseOf(code, provision.Enterprise{})
}

// certified provisions a CERTIFIED enterprise with quota followers.
func certified(env *apitest.Env, code string, quota int) *apitest.Enterprise {
	until := env.Now().AddDate(1, 0, 0)
	return env.NewEnterpriseOf(code, provision.Enterprise{AccountType: "CERTIFIED", FollowerQuota: &quota, CertifiedUntil: &until})
}

// mustFollow activates p through invite and returns a client signed in with
// the session activation opened.
func mustFollow(t *testing.T, env *apitest.Env, invite string, p apitest.Person) *apitest.Client {
	t.Helper()
	r := env.Activate(invite, p)
	if len(r.Errors) > 0 {
		t.Fatalf("activate %s: %v", p.Userid, r.Errors)
	}
	var out struct {
		Activate struct {
			Status string
			Token  string
			Viewer struct{ Member struct{ ID, Userid string } }
		}
	}
	r.Decode(t, &out)
	if out.Activate.Status != "ACTIVE" || out.Activate.Token == "" || out.Activate.Viewer.Member.Userid != p.Userid {
		t.Fatalf("activate %s = %+v", p.Userid, out.Activate)
	}
	c := env.Anonymous()
	c.Token, c.MemberID = out.Activate.Token, out.Activate.Viewer.Member.ID
	return c
}

// followers is the enterprise's follower count and limit, as its super admin sees them.
func followers(t *testing.T, admin *apitest.Client) (n, limit int) {
	t.Helper()
	var out struct {
		Enterprise struct {
			Usage struct{ Followers, FollowerLimit int }
		}
	}
	admin.MustDo(`{ enterprise { usage { followers followerLimit } } }`, nil, &out)
	return out.Enterprise.Usage.Followers, out.Enterprise.Usage.FollowerLimit
}

// memberID finds a member's ID by userid, as c sees the directory.
func memberID(t *testing.T, c *apitest.Client, userid string) string {
	t.Helper()
	var out struct {
		Members struct {
			Edges []struct{ Node struct{ ID string } }
		}
	}
	c.MustDo(`query($u: String!) { members(first: 1, where: {userid: $u}) { edges { node { id } } } }`, map[string]any{"u": userid}, &out)
	if len(out.Members.Edges) != 1 {
		t.Fatalf("member %s not found", userid)
	}
	return out.Members.Edges[0].Node.ID
}
