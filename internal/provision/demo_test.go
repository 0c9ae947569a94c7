package provision_test

import (
	"context"
	"testing"
	"time"

	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/provision"
)

// TestDemoSeedsOnceThroughTheDirectoryRules seeds the demo enterprise as its
// super admin (the directory's rules apply to the seed too), and not twice.
func TestDemoSeedsOnceThroughTheDirectoryRules(t *testing.T) {
	db := apitest.NewDB(t)
	ctx := context.Background()
	authn := auth.New(db.Client, auth.Options{TokenTTL: time.Hour})
	for i, want := range []bool{true, false} {
		seeded, err := provision.Demo(ctx, db.Client, authn)
		if err != nil || seeded != want {
			t.Fatalf("run %d: seeded %v, err %v; want %v", i+1, seeded, err, want)
		}
	}
	n, err := db.Client.Member.Query().Where(member.StatusEQ(member.StatusACTIVE)).Count(policy.SystemContext(ctx))
	if err != nil || n != 5 {
		t.Errorf("demo members: %d (%v), want 5", n, err)
	}
}
