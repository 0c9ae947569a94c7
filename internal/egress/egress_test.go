package egress

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// internalURLs are internal destinations written every way we know.
var internalURLs = []string{
	"https://127.0.0.1/",
	"https://127.0.0.2:8443/",
	"https://0x7f000001/",
	"https://0X7F000001/",
	"https://2130706433/",
	"https://0177.0.0.1/",
	"https://0x7f.0.0.1/",
	"https://127.1/",
	"https://017700000001/",
	"https://[::1]/",
	"https://[::ffff:127.0.0.1]/",
	"https://[::ffff:7f00:1]/",
	"https://[64:ff9b::7f00:1]/",
	"https://[2002:7f00:1::]/",
	"https://[::127.0.0.1]/",
	"https://169.254.169.254/latest/meta-data/",
	"https://[::ffff:169.254.169.254]/",
	"https://[fd00:ec2::254]/",
	"https://100.100.100.200/",
	"https://[fe80::1%25eth0]/",
	"https://10.0.0.1/",
	"https://172.16.5.4/",
	"https://192.168.1.1/",
	"https://100.64.0.1/",
	"https://[fd12:3456::1]/",
	"https://0.0.0.0/",
	"https://[::]/",
	"https://224.0.0.1/",
	"https://[ff02::1]/",
	"https://255.255.255.255/",
	"http://127.0.0.1/",
	"http://[::1]/",
	"http://169.254.169.254/",
	"http://0x7f000001/",
	"http://example.com/",
}

func TestCheckURLRefusesEveryInternalAddressForm(t *testing.T) {
	for _, u := range internalURLs {
		if err := (Policy{}).CheckURL(u); !errors.Is(err, ErrRefused) {
			t.Errorf("CheckURL(%s) = %v, want refused", u, err)
		}
	}
	for _, u := range []string{"https://example.com/hook", "https://93.184.216.34/", "https://[2606:2800:220:1::1]/", "https://hooks.example.com:8443/x?y=1"} {
		if err := (Policy{}).CheckURL(u); err != nil {
			t.Errorf("CheckURL(%s) = %v, want accepted", u, err)
		}
	}
}

func TestAllowPrivateOpensOnlyPrivateAddressesAndHTTPToThem(t *testing.T) {
	p := Policy{AllowPrivate: true}
	for _, u := range []string{"http://127.0.0.1:8080/", "https://10.1.2.3/", "http://[::1]/", "http://192.168.0.10/", "https://[::ffff:10.0.0.1]/"} {
		if err := p.CheckURL(u); err != nil {
			t.Errorf("CheckURL(%s) = %v, want accepted", u, err)
		}
	}
	for _, u := range []string{"http://169.254.169.254/", "https://[fd00:ec2::254]/", "http://0.0.0.0/", "http://0x7f000001/", "http://93.184.216.34/", "https://224.0.0.1/", "ftp://10.0.0.1/", "https://user:pw@10.0.0.1/"} {
		if err := p.CheckURL(u); !errors.Is(err, ErrRefused) {
			t.Errorf("CheckURL(%s) = %v, want refused", u, err)
		}
	}
}

// target is a server on loopback that counts the requests reaching it.
func target(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)
	return srv, &n
}

// fakeDNS is a resolver that answers every A question with ip, as a DNS
// server under an attacker's control (or rebinding) would.
func fakeDNS(ip [4]byte) *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, _, _ string) (net.Conn, error) {
		client, server := net.Pipe()
		go answerDNS(server, ip)
		return client, nil
	}}
}

// answerDNS serves DNS over a stream (two-byte length prefix): the answer
// copies the question and, for A, adds one record pointing at it.
func answerDNS(c net.Conn, ip [4]byte) {
	defer c.Close()
	for {
		var n uint16
		if binary.Read(c, binary.BigEndian, &n) != nil {
			return
		}
		q := make([]byte, n)
		if _, err := io.ReadFull(c, q); err != nil || len(q) < 12 {
			return
		}
		end := 12
		for end < len(q) && q[end] != 0 {
			end += int(q[end]) + 1
		}
		end += 5 // the root label, QTYPE, QCLASS
		qtype := binary.BigEndian.Uint16(q[end-4:])
		resp := append([]byte{}, q[:end]...)
		resp[2], resp[3] = 0x81, 0x80 // response, recursion available, no error
		binary.BigEndian.PutUint16(resp[6:], 0)
		binary.BigEndian.PutUint16(resp[8:], 0)
		binary.BigEndian.PutUint16(resp[10:], 0)
		if qtype == 1 {
			binary.BigEndian.PutUint16(resp[6:], 1)
			resp = append(resp, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4)
			resp = append(resp, ip[:]...)
		}
		out := binary.BigEndian.AppendUint16(nil, uint16(len(resp)))
		if _, err := c.Write(append(out, resp...)); err != nil {
			return
		}
	}
}

func TestANameResolvingToLoopbackIsRefusedAtConnect(t *testing.T) {
	srv, hits := target(t)
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	resolver := fakeDNS([4]byte{127, 0, 0, 1})
	// The resolver really answers 127.0.0.1 for the name.
	addrs, err := resolver.LookupHost(context.Background(), "hooks.attacker.test")
	if err != nil || len(addrs) == 0 || addrs[0] != "127.0.0.1" {
		t.Fatalf("fake resolver: %v %v", addrs, err)
	}
	p := Policy{Resolver: resolver}
	for _, u := range []string{"https://hooks.attacker.test:" + strconv.Itoa(port) + "/", "https://localhost:" + strconv.Itoa(port) + "/"} {
		if err := p.CheckURL(u); err != nil {
			t.Fatalf("CheckURL(%s) = %v: a name passes until it is resolved", u, err)
		}
		resp, err := p.Client(5*time.Second).Post(u, "application/json", strings.NewReader("{}"))
		if err == nil {
			resp.Body.Close()
			t.Fatalf("POST %s reached %s", u, resp.Status)
		}
		if !errors.Is(err, ErrRefused) {
			t.Fatalf("POST %s: %v, want refused", u, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the loopback server got %d requests", n)
	}
}

func TestTheClientRefusesInternalAddressesItIsGivenDirectly(t *testing.T) {
	srv, hits := target(t)
	port := strconv.Itoa(srv.Listener.Addr().(*net.TCPAddr).Port)
	c := Policy{}.Client(5 * time.Second)
	for _, u := range []string{srv.URL, "https://127.0.0.1:" + port, "http://0x7f000001:" + port, "http://2130706433:" + port, "http://0177.0.0.1:" + port, "http://[::ffff:127.0.0.1]:" + port} {
		resp, err := c.Get(u)
		if err == nil {
			resp.Body.Close()
			t.Fatalf("GET %s reached %s", u, resp.Status)
		}
		if !errors.Is(err, ErrRefused) {
			t.Fatalf("GET %s: %v, want refused", u, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Fatalf("the loopback server got %d requests", n)
	}
}

func TestAllowPrivateReachesAPrivateServerAndFollowsNoRedirect(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		http.Redirect(w, r, "http://169.254.169.254/", http.StatusFound)
	}))
	defer srv.Close()
	resp, err := Policy{AllowPrivate: true}.Client(5 * time.Second).Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || n.Load() != 1 {
		t.Fatalf("status %d after %d requests, want the 302 itself", resp.StatusCode, n.Load())
	}
}
