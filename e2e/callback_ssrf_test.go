package e2e

import (
	"context"
	"net"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/policy"
)

// A super admin is a tenant, not the platform: the callback URL they set
// must not carry members' personal data to the platform's own network
// (issue 8, finding 2). Literal internal addresses in every encoding are
// refused when saved; a name that resolves to loopback is saved and then
// refused when the worker connects.
func TestCallbacksNeverReachInternalAddresses(t *testing.T) {
	env := apitest.Start(t)
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme)
	dept := admin.CreateDepartment("Staff", acme.RootID)
	ps := apitest.People(1)
	admin.Import(dept, ps)
	rc := &receiver{}
	hook := httptest.NewTLSServer(rc)
	defer hook.Close()
	port := strconv.Itoa(hook.Listener.Addr().(*net.TCPAddr).Port)

	for _, u := range []string{
		"http://127.0.0.1:" + port + "/",
		"https://127.0.0.1:" + port + "/",
		"http://169.254.169.254/latest/meta-data/",
		"https://169.254.169.254/",
		"http://[::1]:" + port + "/",
		"https://[::1]/",
		"https://[::ffff:127.0.0.1]:" + port + "/",
		"https://0x7f000001:" + port + "/",
		"https://2130706433:" + port + "/",
		"https://0177.0.0.1:" + port + "/",
		"https://127.1:" + port + "/",
		"https://10.0.0.8/",
		"https://192.168.1.1/",
		"https://100.64.0.1/",
		"https://[fd00:ec2::254]/",
		"https://0.0.0.0:" + port + "/",
		"http://example.com/",
	} {
		r := admin.Do(settingsMutation, map[string]any{"in": map[string]any{"enabled": true, "callbackUrl": u}})
		if len(r.Errors) != 1 || r.Errors[0].Code() != "BAD_USER_INPUT" || r.Errors[0].Extensions["field"] != "callbackUrl" {
			t.Errorf("callbackUrl %s: %+v", u, r.Errors)
		}
	}

	// A name passes until it is resolved: localhost is 127.0.0.1.
	turnOnVerification(t, admin, "https://localhost:"+port+"/corpline")
	pendingFollow(t, env, admin.InviteURL(), ps[0])
	res, err := env.Main.Jobs.Outbox.RunOnce(context.Background())
	if err != nil || res.Failed != 1 || res.Delivered != 0 {
		t.Fatalf("outbox run = %+v, %v; want one failed attempt", res, err)
	}
	if n := rc.count(); n != 0 {
		t.Fatalf("the loopback receiver got %d callbacks", n)
	}
	cb, err := env.DB.Client.Callback.Query().Only(policy.SystemContext(context.Background()))
	if err != nil || !strings.Contains(cb.LastError, "destination refused") {
		t.Fatalf("callback row = %+v, %v; want the refusal as its last error", cb, err)
	}
}
