// Package wecom encrypts and signs callbacks exactly as WeCom (企业微信) does, so
// that a team moving an existing WeCom receiver to corpline keeps its receiver
// code and its decryption library unchanged.
//
// The scheme, per app: the app holds a Token and a 43-character EncodingAESKey
// (base64 of a 32-byte AES key with its trailing "=" dropped). A callback body is
// the plaintext framed as 16 random bytes, its length as 4 big-endian bytes, the
// plaintext, then the receiver ID (WeCom's CorpID); padded with PKCS#7 to a
// multiple of 32 bytes (not AES's 16: receivers check for 32); encrypted with
// AES-256-CBC whose IV is the key's first 16 bytes; then base64. The signature
// msg_signature is the hex SHA1 of token, timestamp, nonce and the encrypted text,
// sorted as strings and concatenated.
//
// Before a receiver URL is used it proves it holds the key: the URL verification
// handshake sends an encrypted echostr with its signature in the query string, and
// the receiver must answer with the decrypted plaintext.
package wecom

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/corpline/corpline/internal/apperr"
)

// KeyLength is the length of an EncodingAESKey: 32 bytes in base64 without its
// one padding character.
const KeyLength = 43

// blockSize is the PKCS#7 block WeCom pads to; receivers reject other paddings.
const blockSize = 32

// Crypter seals callbacks for one app's receiver.
type Crypter struct {
	token      string
	key        []byte
	receiverID string
	random     io.Reader
}

// ParseKey decodes an EncodingAESKey. A key that is not 43 characters of
// base64 is BAD_USER_INPUT naming field, because it is what an admin types.
func ParseKey(field, encodingAESKey string) ([]byte, error) {
	if len(encodingAESKey) != KeyLength {
		return nil, apperr.Input(field, "an EncodingAESKey is %d characters of base64", KeyLength)
	}
	key, err := base64.StdEncoding.DecodeString(encodingAESKey + "=")
	if err != nil || len(key) != 32 {
		return nil, apperr.Input(field, "an EncodingAESKey is %d characters of base64", KeyLength)
	}
	return key, nil
}

// NewKey returns a fresh random EncodingAESKey, for admins who have none yet.
func NewKey() string {
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		panic(fmt.Sprintf("wecom: crypto/rand failed: %v", err))
	}
	return strings.TrimSuffix(base64.StdEncoding.EncodeToString(key), "=")
}

// New returns a Crypter for an app's token, EncodingAESKey and the receiver ID
// that receivers check (WeCom's CorpID). A bad key is BAD_USER_INPUT naming
// "encodingAESKey".
func New(token, encodingAESKey, receiverID string) (*Crypter, error) {
	key, err := ParseKey("encodingAESKey", encodingAESKey)
	if err != nil {
		return nil, err
	}
	if token == "" {
		return nil, apperr.Input("token", "a WeCom callback needs a token")
	}
	return &Crypter{token: token, key: key, receiverID: receiverID, random: rand.Reader}, nil
}

// Encrypt frames, pads and encrypts plaintext, and returns it in base64.
func (c *Crypter) Encrypt(plaintext []byte) (string, error) {
	var buf bytes.Buffer
	if _, err := io.CopyN(&buf, c.random, 16); err != nil {
		return "", fmt.Errorf("wecom: random prefix: %w", err)
	}
	_ = binary.Write(&buf, binary.BigEndian, uint32(len(plaintext)))
	buf.Write(plaintext)
	buf.WriteString(c.receiverID)
	pad := blockSize - buf.Len()%blockSize
	buf.Write(bytes.Repeat([]byte{byte(pad)}, pad))

	block, err := aes.NewCipher(c.key)
	if err != nil {
		return "", fmt.Errorf("wecom: cipher: %w", err)
	}
	sealed := buf.Bytes()
	cipher.NewCBCEncrypter(block, c.key[:aes.BlockSize]).CryptBlocks(sealed, sealed)
	return base64.StdEncoding.EncodeToString(sealed), nil
}

// Sign returns msg_signature for an encrypted text.
func (c *Crypter) Sign(timestamp, nonce, encrypted string) string {
	parts := []string{c.token, timestamp, nonce, encrypted}
	sort.Strings(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	return hex.EncodeToString(sum[:])
}

// Callback is one sealed callback: the query string to append to the receiver's
// URL and the XML body to POST.
type Callback struct {
	Query url.Values
	Body  []byte
}

// envelope is the XML body WeCom posts; receivers read Encrypt from it.
type envelope struct {
	XMLName    xml.Name `xml:"xml"`
	ToUserName cdata    `xml:"ToUserName"`
	AgentID    cdata    `xml:"AgentID"`
	Encrypt    cdata    `xml:"Encrypt"`
}

type cdata struct {
	Text string `xml:",cdata"`
}

// Seal encrypts and signs plaintext for agentID at now.
func (c *Crypter) Seal(plaintext []byte, agentID string, now time.Time) (Callback, error) {
	encrypted, err := c.Encrypt(plaintext)
	if err != nil {
		return Callback{}, err
	}
	body, err := xml.Marshal(envelope{
		ToUserName: cdata{c.receiverID},
		AgentID:    cdata{agentID},
		Encrypt:    cdata{encrypted},
	})
	if err != nil {
		return Callback{}, fmt.Errorf("wecom: envelope: %w", err)
	}
	return Callback{Query: c.signedQuery(encrypted, now), Body: body}, nil
}

// Handshake returns the query string of a URL verification request and the
// plaintext the receiver must answer with: the receiver proves it holds the key
// by decrypting echostr.
func (c *Crypter) Handshake(now time.Time) (query url.Values, answer string, err error) {
	answer = strconv.FormatUint(c.randomUint(), 10)
	encrypted, err := c.Encrypt([]byte(answer))
	if err != nil {
		return nil, "", err
	}
	query = c.signedQuery(encrypted, now)
	query.Set("echostr", encrypted)
	return query, answer, nil
}

// CheckAnswer reports whether a receiver's answer to Handshake is the expected
// plaintext. Receivers may end it with a newline; nothing else is forgiven.
func CheckAnswer(body []byte, answer string) bool {
	return strings.TrimRight(string(body), "\r\n") == answer
}

func (c *Crypter) signedQuery(encrypted string, now time.Time) url.Values {
	timestamp := strconv.FormatInt(now.Unix(), 10)
	nonce := strconv.FormatUint(c.randomUint(), 10)
	return url.Values{
		"msg_signature": {c.Sign(timestamp, nonce, encrypted)},
		"timestamp":     {timestamp},
		"nonce":         {nonce},
	}
}

func (c *Crypter) randomUint() uint64 {
	var b [8]byte
	if _, err := io.ReadFull(c.random, b[:]); err != nil {
		panic(fmt.Sprintf("wecom: random: %v", err))
	}
	return binary.BigEndian.Uint64(b[:]) >> 1
}
