package e2e

import (
	"bytes"
	"encoding/base64"
	"image/png"
	"strings"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

// Scenario 4 of DOMAIN.md: HR imports 2,000 members; people follow by QR
// code; a name that does not match the directory is refused; the 51st
// follower of a registered account is refused.
func TestScenario4HRImportsPeopleFollowByQRCodeAndThe51stIsRefused(t *testing.T) {
	env := apitest.Start(t)
	acme := registered(env, "acme")
	admin := env.Admin(acme)
	_, ps := admin.ImportStaff(acme, 2000)

	var inv struct {
		Invite struct {
			URL, Token, QrCodePng string
			Referrer              *struct{ ID string }
		}
	}
	admin.MustDo(`{ invite { url token qrCodePng(size: 300) referrer { id } } }`, nil, &inv)
	if !strings.Contains(inv.Invite.URL, "/join?invite="+inv.Invite.Token) || inv.Invite.Referrer != nil {
		t.Fatalf("invite = %+v", inv.Invite)
	}
	raw, err := base64.StdEncoding.DecodeString(inv.Invite.QrCodePng)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil || img.Bounds().Dx() != 300 || img.Bounds().Dy() != 300 {
		t.Fatalf("QR code is not a 300x300 PNG: %v, %v", err, img)
	}

	// A name that does not match is refused, and stays INVITED.
	wrong := ps[0]
	wrong.Name = "Somebody Else"
	if r := env.Activate(inv.Invite.URL, wrong); !r.HasCode("FORBIDDEN") {
		t.Fatalf("mismatched name: %v", r.Errors)
	}

	// The admin is the first follower; 49 people follow by the QR link (or
	// its bare token), each signed in at once.
	for i, p := range ps[:49] {
		link := inv.Invite.URL
		if i%2 == 1 {
			link = inv.Invite.Token
		}
		c := mustFollow(t, env, link, p)
		if i == 0 {
			var me struct {
				Viewer struct{ Member struct{ Status string } }
			}
			c.MustDo(`{ viewer { member { status } } }`, nil, &me)
			if me.Viewer.Member.Status != "ACTIVE" {
				t.Fatalf("follower status = %s", me.Viewer.Member.Status)
			}
		}
	}
	if n, limit := followers(t, admin); n != 50 || limit != 50 {
		t.Fatalf("followers = %d of %d, want 50 of 50", n, limit)
	}

	// The 51st is refused with a clear error, and nothing changes.
	r := env.Activate(inv.Invite.URL, ps[49])
	if !r.HasCode("QUOTA_EXCEEDED") || !strings.Contains(r.Errors[0].Message, "50") {
		t.Fatalf("51st follower: %v", r.Errors)
	}
	if n, _ := followers(t, admin); n != 50 {
		t.Fatalf("followers after refusal = %d", n)
	}
	var st struct {
		Members struct {
			Edges []struct{ Node struct{ Status string } }
		}
	}
	admin.MustDo(`query($u: String!) { members(first: 1, where: {userid: $u}) { edges { node { status } } } }`, map[string]any{"u": ps[49].Userid}, &st)
	if st.Members.Edges[0].Node.Status != "INVITED" {
		t.Fatalf("refused follower is %s, want INVITED", st.Members.Edges[0].Node.Status)
	}
	var total struct{ Members struct{ TotalCount int } }
	admin.MustDo(`{ members(first: 1) { totalCount } }`, nil, &total)
	if total.Members.TotalCount != 2001 {
		t.Fatalf("directory = %d members, want 2001", total.Members.TotalCount)
	}
}

func TestAFailedFollowNeverSaysWhichPartWasWrong(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	_, ps := admin.ImportStaff(acme, 3)
	link := admin.InviteURL()
	mustFollow(t, env, link, ps[2])

	other := env.NewEnterprise("other")
	otherLink := env.Admin(other).InviteURL()

	wrongName, wrongMobile := ps[0], ps[0]
	wrongName.Name = "Person 9999"
	wrongMobile.Mobile = "+8613899999999"
	tampered := strings.Replace(link, "invite=inv1.", "invite=inv1.x", 1)
	cases := map[string]*apitest.Response{
		"wrong name":          env.Activate(link, wrongName),
		"wrong mobile":        env.Activate(link, wrongMobile),
		"tampered invite":     env.Activate(tampered, ps[0]),
		"not an invite":       env.Activate("https://example.com/join?invite=nothing", ps[0]),
		"another enterprise":  env.Activate(otherLink, ps[0]),
		"name of another row": env.Activate(link, apitest.Person{Name: ps[1].Name, Mobile: ps[0].Mobile}),
		"already following":   env.Activate(link, ps[2]),
	}
	var first string
	for name, r := range cases {
		if len(r.Errors) != 1 || r.Errors[0].Code() != "FORBIDDEN" {
			t.Fatalf("%s: %v", name, r.Errors)
		}
		if first == "" {
			first = r.Errors[0].Message
		}
		if r.Errors[0].Message != first {
			t.Fatalf("%s says %q, others %q: the answer must not tell which part failed", name, r.Errors[0].Message, first)
		}
	}
	// By email, case aside, the same person follows.
	byEmail := ps[0]
	byEmail.Mobile, byEmail.Email = "", strings.ToUpper(ps[0].Email)
	mustFollow(t, env, link, byEmail)
}

func TestFollowAttemptsAreRateLimited(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	_, ps := admin.ImportStaff(acme, 1)
	link := admin.InviteURL()

	// Guessing names for one mobile: after 5 failures even the right name
	// is refused for a while, however the invite is spelled.
	token := link[strings.Index(link, "invite=")+len("invite="):]
	for i := 0; i < 5; i++ {
		guess := ps[0]
		guess.Name = "Guess " + string(rune('A'+i))
		spelled := link
		if i%2 == 1 {
			spelled = token
		}
		if r := env.Activate(spelled, guess); !r.HasCode("FORBIDDEN") {
			t.Fatalf("guess %d: %v", i, r.Errors)
		}
	}
	r := env.Activate(link, ps[0])
	if !r.HasCode("RATE_LIMITED") || r.Errors[0].Extensions["retryAfter"] == nil {
		t.Fatalf("after 5 failures: %v", r.Errors)
	}
}

func TestReferralCardsAreAttributableAndDieWithTheReferrer(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	_, ps := admin.ImportStaff(acme, 3)
	alice := mustFollow(t, env, admin.InviteURL(), ps[0])

	var card struct {
		Invite struct {
			URL      string
			Referrer struct{ ID string }
		}
	}
	alice.MustDo(`{ invite(referral: true) { url referrer { id } } }`, nil, &card)
	if card.Invite.Referrer.ID != alice.MemberID {
		t.Fatalf("card referrer = %q, want %q", card.Invite.Referrer.ID, alice.MemberID)
	}
	bob := mustFollow(t, env, card.Invite.URL, ps[1])
	var who struct {
		Node struct{ ReferredBy struct{ ID string } }
	}
	admin.MustDo(`query($id: ID!) { node(id: $id) { ... on Member { referredBy { id } } } }`, map[string]any{"id": bob.MemberID}, &who)
	if who.Node.ReferredBy.ID != alice.MemberID {
		t.Fatalf("bob referred by %q, want alice %q", who.Node.ReferredBy.ID, alice.MemberID)
	}

	// Once alice no longer follows, her card stops working.
	admin.MustDo(`mutation($id: ID!) { disableMember(input: {id: $id}) { status } }`, map[string]any{"id": alice.MemberID}, nil)
	if r := env.Activate(card.Invite.URL, ps[2]); !r.HasCode("FORBIDDEN") {
		t.Fatalf("card of a disabled member: %v", r.Errors)
	}
}

func TestRotatingTheInviteVoidsEveryLinkGivenOut(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	_, ps := admin.ImportStaff(acme, 3)
	old := admin.InviteURL()
	carol := mustFollow(t, env, old, ps[0])
	var card struct{ Invite struct{ URL string } }
	carol.MustDo(`{ invite(referral: true) { url } }`, nil, &card)

	var rotated struct{ RotateInvite struct{ URL string } }
	admin.MustDo(`mutation { rotateInvite { url } }`, nil, &rotated)
	if rotated.RotateInvite.URL == old || admin.InviteURL() != rotated.RotateInvite.URL {
		t.Fatalf("rotate gave %q (old %q, now %q)", rotated.RotateInvite.URL, old, admin.InviteURL())
	}
	for name, link := range map[string]string{"old invite": old, "old referral card": card.Invite.URL} {
		if r := env.Activate(link, ps[1]); !r.HasCode("FORBIDDEN") {
			t.Fatalf("%s after rotation: %v", name, r.Errors)
		}
	}
	mustFollow(t, env, rotated.RotateInvite.URL, ps[1])
}

// Who must not see invites: members get only their own card; scoped admins
// without MANAGE_MEMBERS and operators get none; only super admins rotate.
func TestInvitesAreForAdminsAndCardsForTheirOwners(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	sales := admin.CreateDepartment("Sales", acme.RootID)
	admin.CreateMember(apitest.MemberSpec{Userid: "sam", Depts: []string{sales}})
	lead := admin.CreateMember(apitest.MemberSpec{Userid: "lead", Depts: []string{sales}})
	admin.GrantScoped(lead, []string{sales}, "MANAGE_DEPARTMENTS")
	people := admin.CreateDepartment("People", acme.RootID)
	hr := admin.CreateMember(apitest.MemberSpec{Userid: "hr", Depts: []string{people}})
	admin.GrantScoped(hr, []string{people}, "MANAGE_MEMBERS")
	op := env.NewOperator("root")

	sam := env.Login("acme", "sam", apitest.TestPassword)
	sam.MustFail("FORBIDDEN", `{ invite { url } }`, nil)
	env.Login("acme", "lead", apitest.TestPassword).MustFail("FORBIDDEN", `{ invite { url } }`, nil)
	op.MustFail("FORBIDDEN", `{ invite(referral: true) { url } }`, nil)
	env.Anonymous().MustFail("UNAUTHENTICATED", `{ invite { url } }`, nil)

	hrc := env.Login("acme", "hr", apitest.TestPassword)
	if hrc.InviteURL() != admin.InviteURL() {
		t.Fatalf("a scoped admin with MANAGE_MEMBERS hands out the enterprise's invite")
	}
	hrc.MustFail("FORBIDDEN", `mutation { rotateInvite { url } }`, nil)
	sam.MustFail("FORBIDDEN", `mutation { rotateInvite { url } }`, nil)
	var card struct {
		Invite struct{ Referrer struct{ ID string } }
	}
	sam.MustDo(`{ invite(referral: true) { referrer { id } } }`, nil, &card)
	if card.Invite.Referrer.ID != sam.MemberID {
		t.Fatalf("sam's card names %q", card.Invite.Referrer.ID)
	}
}
