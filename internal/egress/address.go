package egress

import (
	"net/netip"
	"strings"
)

// class is what an address is to an outbound request.
type class int

const (
	// public addresses are reachable by every request.
	public class = iota
	// private addresses (loopback, RFC 1918, unique local, CGNAT) are inside
	// an operator's network: reachable only when Policy.AllowPrivate says so.
	private
	// forbidden addresses are never a destination: unspecified, link-local
	// (where cloud metadata services answer), multicast, broadcast, reserved,
	// the metadata addresses themselves, and IPv6 forms that hide an IPv4
	// address we cannot check.
	forbidden
)

var (
	privateV4 = prefixes(
		"127.0.0.0/8",     // loopback
		"10.0.0.0/8",      // RFC 1918
		"172.16.0.0/12",   // RFC 1918
		"192.168.0.0/16",  // RFC 1918
		"100.64.0.0/10",   // carrier-grade NAT, RFC 6598
		"198.18.0.0/15",   // benchmarking, RFC 2544
		"192.0.0.0/24",    // IETF protocol assignments
		"192.0.2.0/24",    // documentation
		"198.51.100.0/24", // documentation
		"203.0.113.0/24",  // documentation
	)
	forbiddenV4 = prefixes(
		"0.0.0.0/8",          // "this network", 0.0.0.0 reaches the local host
		"169.254.0.0/16",     // link-local: 169.254.169.254 is AWS, GCP and Azure metadata
		"224.0.0.0/4",        // multicast
		"240.0.0.0/4",        // reserved, and 255.255.255.255 broadcast
		"100.100.100.200/32", // Alibaba Cloud metadata (inside CGNAT)
	)
	privateV6 = prefixes(
		"fc00::/7",  // unique local
		"fec0::/10", // site-local (deprecated)
	)
	forbiddenV6 = prefixes(
		"::/128",            // unspecified
		"::/96",             // IPv4-compatible (deprecated): hides an IPv4 address
		"fe80::/10",         // link-local
		"ff00::/8",          // multicast
		"100::/64",          // discard
		"2001::/32",         // Teredo: an obfuscated IPv4 address
		"fd00:ec2::254/128", // AWS metadata over IPv6 (inside unique local)
	)
	nat64   = netip.MustParsePrefix("64:ff9b::/96")
	sixToV4 = netip.MustParsePrefix("2002::/16")
)

func prefixes(ss ...string) []netip.Prefix {
	out := make([]netip.Prefix, len(ss))
	for i, s := range ss {
		out[i] = netip.MustParsePrefix(s)
	}
	return out
}

func in(a netip.Addr, ps []netip.Prefix) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// classify says what a is. IPv6 forms that carry an IPv4 address (mapped,
// NAT64, 6to4) are judged by that IPv4 address.
func classify(a netip.Addr) class {
	a = a.WithZone("")
	if a.Is4In6() {
		a = a.Unmap()
	}
	if a.Is6() {
		switch {
		case a.IsLoopback():
			return private
		case in(a, forbiddenV6):
			return forbidden
		case in(a, privateV6):
			return private
		case nat64.Contains(a):
			b := a.As16()
			return classify(netip.AddrFrom4([4]byte(b[12:16])))
		case sixToV4.Contains(a):
			b := a.As16()
			return classify(netip.AddrFrom4([4]byte(b[2:6])))
		}
		return public
	}
	switch {
	case in(a, forbiddenV4):
		return forbidden
	case in(a, privateV4):
		return private
	}
	return public
}

// numericHost reports whether host is meant as an IP address: a literal, or
// a name whose last label is a number (decimal, octal or 0x hex), which
// browsers and C resolvers read as IPv4 (0x7f000001, 2130706433, 0177.0.0.1,
// 127.1). addr is the address when host is a literal in standard form.
func numericHost(host string) (addr netip.Addr, numeric, standard bool) {
	h := strings.TrimSuffix(strings.TrimPrefix(strings.TrimSuffix(host, "]"), "["), ".")
	if a, err := netip.ParseAddr(h); err == nil {
		return a, true, true
	}
	last := h[strings.LastIndex(h, ".")+1:]
	if last == "" {
		return netip.Addr{}, false, false
	}
	digits := last
	if l := strings.ToLower(last); strings.HasPrefix(l, "0x") {
		digits = l[2:]
		if digits == "" {
			return netip.Addr{}, true, false
		}
		return netip.Addr{}, strings.Trim(digits, "0123456789abcdef") == "", false
	}
	return netip.Addr{}, strings.Trim(digits, "0123456789") == "", false
}
