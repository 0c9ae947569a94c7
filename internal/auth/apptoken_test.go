package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/provision"
	"github.com/corpline/corpline/internal/viewer"
)

// TestAppTokenLivesTwoHoursAndOlderTokensOutliveNewerOnes drives the clock:
// a token works until its two hours are over, whatever tokens came after it.
func TestAppTokenLivesTwoHoursAndOlderTokensOutliveNewerOnes(t *testing.T) {
	db := apitest.NewDB(t)
	ctx := context.Background()
	res, err := provision.Create(ctx, db.Client, provision.Enterprise{Code: "acme", Name: "Acme", AdminLogin: "admin", AdminPassword: apitest.TestPassword})
	if err != nil {
		t.Fatal(err)
	}
	secret, hash := auth.NewAppSecret()
	app := db.Client.App.Create().SetEnterpriseID(res.EnterpriseID).SetName("crm").
		SetVisibleRange(audience.Everyone()).SetSecretHash(hash).SaveX(policy.SystemContext(ctx))

	now := time.Date(2026, 1, 1, 9, 0, 0, 0, time.UTC)
	svc := auth.New(db.Client, auth.Options{Now: func() time.Time { return now }})
	creds := auth.AppCredentials{Enterprise: "acme", AppID: app.ID, Secret: secret, ClientAddr: "test"}
	first, err := svc.IssueAppToken(ctx, creds)
	if err != nil {
		t.Fatal(err)
	}
	if !first.ExpiresAt.Equal(now.Add(2 * time.Hour)) {
		t.Fatalf("expires at %v", first.ExpiresAt)
	}
	now = now.Add(90 * time.Minute)
	second, err := svc.IssueAppToken(ctx, creds)
	if err != nil {
		t.Fatal(err)
	}
	v, err := svc.Authenticate(ctx, first.Token)
	if err != nil || v.Kind != viewer.KindApp || v.AppID != app.ID || v.Range == nil || !v.Range.Everyone {
		t.Fatalf("the first token after a second was issued: %+v, %v", v, err)
	}
	now = now.Add(31 * time.Minute) // 2h01 after the first, 31 min after the second
	if _, err := svc.Authenticate(ctx, first.Token); err == nil {
		t.Fatal("a token works past its two hours")
	}
	if _, err := svc.Authenticate(ctx, second.Token); err != nil {
		t.Fatalf("the second token ended with the first: %v", err)
	}
	// Issuing sweeps expired rows of the app, and only those.
	if _, err := svc.IssueAppToken(ctx, creds); err != nil {
		t.Fatal(err)
	}
	n := db.Client.AppToken.Query().CountX(policy.SystemContext(ctx))
	if n != 2 {
		t.Fatalf("%d token rows after the sweep, want 2 (the expired one gone)", n)
	}
}
