package e2e

import (
	"net/http"
	"strings"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
)

func TestServesHTTPSWhenGivenACertificateAndKey(t *testing.T) {
	env := apitest.Start(t, apitest.WithTLS(t))
	if !strings.HasPrefix(env.URL, "https://") {
		t.Fatalf("URL %s", env.URL)
	}
	// A client that does not trust the certificate cannot talk to it.
	req, _ := http.NewRequest(http.MethodGet, env.BaseURL()+"/healthz", nil)
	if _, err := http.DefaultClient.Do(req); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("untrusted certificate: err = %v", err)
	}
	// Plain HTTP on the TLS port gets no answer from the API.
	res, err := http.Get("http://" + strings.TrimPrefix(env.BaseURL(), "https://") + "/healthz")
	if err == nil {
		res.Body.Close()
		if res.StatusCode == http.StatusOK {
			t.Fatalf("plain HTTP to the TLS port: HTTP %d", res.StatusCode)
		}
	}

	env.TrustTestCertificate()
	acme := env.NewEnterprise("acme")
	admin := env.Admin(acme) // signs in over TLS
	var out struct{ Viewer struct{ IsSuperAdmin bool } }
	admin.MustDo(`{ viewer { isSuperAdmin } }`, nil, &out)
	if !out.Viewer.IsSuperAdmin {
		t.Fatalf("viewer over TLS: %+v", out)
	}
	req, _ = http.NewRequest(http.MethodGet, env.BaseURL()+"/healthz", nil)
	res, err = env.HTTPClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.TLS == nil || res.TLS.Version < 0x0303 {
		t.Fatalf("TLS state %+v, want TLS 1.2 or later", res.TLS)
	}
}
