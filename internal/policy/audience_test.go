package policy_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/app"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/provision"
)

// directory is a generated enterprise: a department tree three levels deep,
// members in one or two departments each, and tags across them.
type directory struct {
	enterpriseID string
	depts        []string
	tags         []string
	members      []string
	facts        map[string]audience.Facts
}

func newDirectory(t *testing.T, client *ent.Client, code string, rng *rand.Rand) *directory {
	t.Helper()
	ctx := policy.SystemContext(context.Background())
	res, err := provision.Create(context.Background(), client, provision.Enterprise{
		Code: code, Name: code, AdminLogin: "admin", AdminPassword: apitest.TestPassword,
	})
	if err != nil {
		t.Fatal(err)
	}
	d := &directory{enterpriseID: res.EnterpriseID, facts: map[string]audience.Facts{}}
	paths := map[string]string{res.DepartmentID: "/" + res.DepartmentID + "/"}
	d.depts = append(d.depts, res.DepartmentID)
	parents := []string{res.DepartmentID}
	for level := 0; level < 2; level++ {
		var next []string
		for _, p := range parents {
			for range 3 {
				id := ids.New(ids.Department)
				paths[id] = paths[p] + id + "/"
				client.Department.Create().SetID(id).SetEnterpriseID(d.enterpriseID).SetName(id).
					SetParentID(p).SetPath(paths[id]).SetDepth(level + 2).ExecX(ctx)
				d.depts = append(d.depts, id)
				next = append(next, id)
			}
		}
		parents = next
	}
	for i := range 4 {
		tg := client.Tag.Create().SetEnterpriseID(d.enterpriseID).SetName(string(rune('a' + i))).SaveX(ctx)
		d.tags = append(d.tags, tg.ID)
	}
	for i := range 40 {
		m := client.Member.Create().SetEnterpriseID(d.enterpriseID).SetUserid(fmt.Sprintf("%s%02d", code, i)).SetName("m").SaveX(ctx)
		f := audience.Facts{MemberID: m.ID}
		for j, dep := range pick(rng, d.depts, 1+rng.IntN(2)) {
			client.Membership.Create().SetEnterpriseID(d.enterpriseID).SetMemberID(m.ID).SetDepartmentID(dep).
				SetIsPrimary(j == 0).ExecX(ctx)
			f.DeptPaths = append(f.DeptPaths, paths[dep])
		}
		for _, tg := range pick(rng, d.tags, rng.IntN(3)) {
			client.Tag.UpdateOneID(tg).AddMemberIDs(m.ID).ExecX(ctx)
			f.TagIDs = append(f.TagIDs, tg)
		}
		d.members = append(d.members, m.ID)
		d.facts[m.ID] = f
	}
	return d
}

func pick(rng *rand.Rand, from []string, n int) []string {
	out := slices.Clone(from)
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out[:min(n, len(out))]
}

func (d *directory) randomAudience(rng *rand.Rand) audience.Audience {
	if rng.IntN(20) == 0 {
		return audience.Everyone()
	}
	return audience.Audience{
		DepartmentIDs: pick(rng, d.depts, rng.IntN(3)),
		TagIDs:        pick(rng, d.tags, rng.IntN(2)),
		MemberIDs:     pick(rng, d.members, rng.IntN(3)),
	}.Normalize()
}

// TestAudienceMembersAgreesWithContains holds the SQL form of an audience to
// the one Go definition, on random audiences over a random directory, with a
// second enterprise beside it whose members must never come back.
func TestAudienceMembersAgreesWithContains(t *testing.T) {
	db := apitest.NewDB(t)
	rng := rand.New(rand.NewPCG(7, 11))
	d := newDirectory(t, db.Client, "acme", rng)
	newDirectory(t, db.Client, "other", rng)
	ctx := policy.SystemContext(context.Background())
	partial := 0 // audiences that chose some members but not all: the cases that can disagree
	for i := range 150 {
		a := d.randomAudience(rng)
		q := db.Client.Member.Query().Where(member.EnterpriseID(d.enterpriseID), member.UseridNEQ("admin"))
		if p := policy.AudienceMembers(a); p != nil {
			q.Where(p)
		}
		got, err := q.IDs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, m := range d.members {
			if audience.Contains(a, d.facts[m]) {
				want = append(want, m)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("audience %d %+v: SQL chose %d members, Contains %d\nsql:  %v\nwant: %v", i, a, len(got), len(want), got, want)
		}
		if len(want) > 0 && len(want) < len(d.members) {
			partial++
		}
	}
	if partial < 100 {
		t.Fatalf("only %d of 150 audiences were partial: the generator is too weak to test anything", partial)
	}
}

// TestAudienceIncludesAgreesWithContains holds the JSON-column form (which
// apps a member sees) to the same definition.
func TestAudienceIncludesAgreesWithContains(t *testing.T) {
	db := apitest.NewDB(t)
	rng := rand.New(rand.NewPCG(3, 5))
	d := newDirectory(t, db.Client, "acme", rng)
	ctx := policy.SystemContext(context.Background())
	ranges := map[string]audience.Audience{}
	for range 40 {
		a := d.randomAudience(rng)
		x := db.Client.App.Create().SetEnterpriseID(d.enterpriseID).SetName("app").SetVisibleRange(a).
			SetSecretHash([]byte("x")).SaveX(ctx)
		ranges[x.ID] = a
	}
	seen := 0
	for _, m := range d.members {
		f := d.facts[m]
		got, err := db.Client.App.Query().Where(app.EnterpriseID(d.enterpriseID), policy.AudienceIncludes(app.FieldVisibleRange, f)).IDs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for id, a := range ranges {
			if audience.Contains(a, f) {
				want = append(want, id)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Fatalf("member %s %+v: SQL chose apps %v, Contains %v", m, f, got, want)
		}
		if len(want) > 0 && len(want) < len(ranges) {
			seen++
		}
	}
	if seen < 30 {
		t.Fatalf("only %d of 40 members saw some apps but not all: the generator is too weak", seen)
	}
}
