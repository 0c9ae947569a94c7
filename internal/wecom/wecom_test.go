package wecom_test

import (
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	wechatutil "github.com/silenceper/wechat/v2/util"

	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/wecom"
)

const (
	token    = "QDG6eK"
	corpID   = "wx5823bf96d3bd56c7"
	agentID  = "218"
	aesKey43 = "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"
)

// receiver is a WeCom receiver written only with the public library
// github.com/silenceper/wechat/v2: it checks msg_signature with util.Signature
// and decrypts with util.DecryptMsg, as existing receivers do. It answers the
// URL verification with the decrypted echostr and records each callback body.
func receiver(t *testing.T, got *[]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		encrypted := q.Get("echostr")
		if r.Method == http.MethodPost {
			var env struct {
				ToUserName string `xml:"ToUserName"`
				AgentID    string `xml:"AgentID"`
				Encrypt    string `xml:"Encrypt"`
			}
			if err := xml.NewDecoder(r.Body).Decode(&env); err != nil {
				http.Error(w, "bad xml: "+err.Error(), http.StatusBadRequest)
				return
			}
			if env.ToUserName != corpID || env.AgentID != agentID {
				http.Error(w, "wrong addressee", http.StatusBadRequest)
				return
			}
			encrypted = env.Encrypt
		}
		if q.Get("msg_signature") != wechatutil.Signature(token, q.Get("timestamp"), q.Get("nonce"), encrypted) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		_, plain, err := wechatutil.DecryptMsg(corpID, encrypted, aesKey43)
		if err != nil {
			http.Error(w, "decrypt: "+err.Error(), http.StatusBadRequest)
			return
		}
		if r.Method == http.MethodPost {
			*got = append(*got, string(plain))
			_, _ = w.Write([]byte("success"))
			return
		}
		_, _ = w.Write(plain)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestWeComReceiverVerifiesURLWithPublicLibrary(t *testing.T) {
	c, err := wecom.New(token, aesKey43, corpID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	srv := receiver(t, &got)

	query, answer, err := c.Handshake(time.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(srv.URL + "?" + query.Encode())
	if err != nil {
		t.Fatal(err)
	}
	body := readAll(t, resp)
	if resp.StatusCode != http.StatusOK || !wecom.CheckAnswer(body, answer) {
		t.Fatalf("handshake: status %d body %q, want %q", resp.StatusCode, body, answer)
	}
	if wecom.CheckAnswer([]byte(answer+"0"), answer) {
		t.Fatal("CheckAnswer accepted a different answer")
	}

	// A receiver holding another key cannot answer: its decryption fails.
	other, _ := wecom.New(token, wecom.NewKey(), corpID)
	query, _, _ = other.Handshake(time.Now())
	resp, err = http.Get(srv.URL + "?" + query.Encode())
	if err != nil {
		t.Fatal(err)
	}
	readAll(t, resp)
	if resp.StatusCode == http.StatusOK {
		t.Fatal("receiver decrypted an echostr sealed with another key")
	}
}

func TestWeComCallbackBodiesDecryptWithPublicLibrary(t *testing.T) {
	c, err := wecom.New(token, aesKey43, corpID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	srv := receiver(t, &got)

	// Lengths around the 32-byte PKCS#7 block: framing is 20 bytes plus the
	// receiver ID (18), so a 26-byte message fills two blocks exactly and must
	// still carry a whole block of padding.
	want := []string{
		"",
		"x",
		strings.Repeat("a", 26),
		strings.Repeat("b", 27),
		`{"type":"member.created","subject":"成员","payload":{"name":"张三"}}`,
		strings.Repeat("long body ", 500),
	}
	for _, msg := range want {
		cb, err := c.Seal([]byte(msg), agentID, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.Post(srv.URL+"?"+cb.Query.Encode(), "application/xml", strings.NewReader(string(cb.Body)))
		if err != nil {
			t.Fatal(err)
		}
		body := readAll(t, resp)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("message of %d bytes: status %d: %s", len(msg), resp.StatusCode, body)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("receiver got %d messages, want %d", len(got), len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("message %d: receiver decrypted %q, want %q", i, got[i], want[i])
		}
	}

	// A body sealed for another receiver ID fails the library's check.
	stranger, _ := wecom.New(token, aesKey43, "another-corp")
	enc, err := stranger.Encrypt([]byte("hello"))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := wechatutil.DecryptMsg(corpID, enc, aesKey43); err == nil {
		t.Fatal("library accepted a body sealed for another receiver ID")
	}
}

func TestWeComSignatureMatchesPublicLibrary(t *testing.T) {
	c, err := wecom.New(token, aesKey43, corpID)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Sign("1409659813", "1372623149", "encrypted"), wechatutil.Signature(token, "1409659813", "1372623149", "encrypted"); got != want {
		t.Fatalf("signature %s, library %s", got, want)
	}
	// Two seals of one message differ (random prefix and nonce) and both verify.
	a, _ := c.Seal([]byte("same"), agentID, time.Now())
	b, _ := c.Seal([]byte("same"), agentID, time.Now())
	if string(a.Body) == string(b.Body) {
		t.Fatal("two seals of one message are identical: the random prefix is missing")
	}
}

func TestWeComEncodingAESKeyMustBe43CharactersOfBase64(t *testing.T) {
	for name, key := range map[string]string{
		"empty":        "",
		"42 chars":     aesKey43[:42],
		"44 chars":     aesKey43 + "=",
		"not base64":   aesKey43[:42] + "!",
		"padded early": "=" + aesKey43[1:],
	} {
		_, err := wecom.New(token, key, corpID)
		var ae *apperr.Error
		if !errors.As(err, &ae) || ae.Code != apperr.BadUserInput || ae.Field != "encodingAESKey" {
			t.Errorf("%s: got %v, want BAD_USER_INPUT on encodingAESKey", name, err)
		}
	}
	if _, err := wecom.New(token, wecom.NewKey(), corpID); err != nil {
		t.Fatalf("a generated key was refused: %v", err)
	}
	if len(wecom.NewKey()) != wecom.KeyLength {
		t.Fatal("generated key has the wrong length")
	}
}

func readAll(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
