// Package egress makes HTTP requests to addresses that tenants choose, such
// as an enterprise's callback URL, without letting them reach inside the
// platform's own network (SSRF).
//
// The rules, for every request a Client sends:
//   - https only; plain http only when Policy.AllowPrivate is set, and then
//     only to a private address (an on-premise enterprise system);
//   - the address actually connected to is checked when the connection is
//     made, after DNS, so a name that resolves (or rebinds) to an internal
//     address is refused like the address itself;
//   - loopback, RFC 1918, unique local and CGNAT addresses are refused unless
//     Policy.AllowPrivate is set; unspecified, link-local, multicast,
//     broadcast, reserved and cloud metadata addresses are always refused,
//     for IPv4 and IPv6 alike, IPv4-mapped and NAT64 IPv6 judged by the IPv4
//     address inside;
//   - a host written as a number in any form other than a standard literal
//     (0x7f000001, 2130706433, 0177.0.0.1, 127.1) is refused outright;
//   - redirects are not followed (the answer is the redirect), and proxy
//     settings from the environment are ignored.
//
// CheckURL applies the same rules to a URL when it is saved, so that a
// tenant hears at once about an address that could never be reached.
package egress

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"
)

// ErrRefused is the cause of every refusal (errors.Is).
var ErrRefused = errors.New("destination refused")

// Policy is what an operator allows outbound requests to reach.
type Policy struct {
	// AllowPrivate lets requests reach loopback and private addresses, over
	// https or plain http: for deployments whose enterprises' systems are on
	// the operator's own network.
	AllowPrivate bool
	// Resolver resolves names (nil: net.DefaultResolver). Tests set it.
	Resolver *net.Resolver
}

// CheckURL reports why raw cannot be a destination: not an absolute URL,
// credentials in it, a scheme other than https (or http when AllowPrivate),
// a numeric host in a non-standard form, or a literal address the policy
// refuses. Names are checked only at connect time.
func (p Policy) CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.User != nil || u.Opaque != "" {
		return fmt.Errorf("%w: not an absolute URL without credentials", ErrRefused)
	}
	return p.checkURL(u)
}

func (p Policy) checkURL(u *url.URL) error {
	switch u.Scheme {
	case "https":
	case "http":
		if !p.AllowPrivate {
			return fmt.Errorf("%w: https is required", ErrRefused)
		}
	default:
		return fmt.Errorf("%w: scheme must be https", ErrRefused)
	}
	addr, numeric, standard := numericHost(u.Hostname())
	switch {
	case numeric && !standard:
		return fmt.Errorf("%w: host %q is a number in a non-standard form", ErrRefused, u.Hostname())
	case numeric:
		return p.checkAddr(addr, u.Scheme == "http")
	}
	return nil
}

// checkAddr refuses what the policy does not allow; plain (http) needs a
// private address.
func (p Policy) checkAddr(a netip.Addr, plain bool) error {
	switch classify(a) {
	case forbidden:
		return fmt.Errorf("%w: %s is not a routable destination", ErrRefused, a)
	case private:
		if !p.AllowPrivate {
			return fmt.Errorf("%w: %s is a private address", ErrRefused, a)
		}
	default:
		if plain {
			return fmt.Errorf("%w: plain http only reaches private addresses; use https", ErrRefused)
		}
	}
	return nil
}

// Client returns an HTTP client that follows the policy, with timeout for
// the whole request.
func (p Policy) Client(timeout time.Duration) *http.Client {
	return &http.Client{
		Timeout:   timeout,
		Transport: &transport{policy: p, https: p.transport(false), http: p.transport(true)},
		// A redirect is an answer, not a delivery: the tenant configured the
		// URL it means, and a redirect could point anywhere.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// transport sends https and http requests through separate connection
// pools, whose dialers check the address connected to for their scheme.
type transport struct {
	policy      Policy
	https, http *http.Transport
}

func (t *transport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := t.policy.checkURL(r.URL); err != nil {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, err
	}
	if r.URL.Scheme == "http" {
		return t.http.RoundTrip(r)
	}
	return t.https.RoundTrip(r)
}

func (p Policy) transport(plain bool) *http.Transport {
	d := &net.Dialer{
		Timeout:  10 * time.Second,
		Resolver: p.Resolver,
		// Control runs for each address the dialer tries, after name
		// resolution and before connecting: the address checked is the
		// address used.
		Control: func(_, address string, _ syscall.RawConn) error {
			ap, err := netip.ParseAddrPort(address)
			if err != nil {
				return fmt.Errorf("%w: cannot read address %q", ErrRefused, address)
			}
			return p.checkAddr(ap.Addr(), plain)
		},
	}
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          16,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: 10 * time.Second,
	}
}
