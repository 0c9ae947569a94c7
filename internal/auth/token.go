package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// Prefixes mark corpline's secrets by kind, so secret scanners can find
// leaked ones and Authenticate knows which table to look in.
const (
	tokenPrefix     = "clt_" // a member's session token
	appTokenPrefix  = "cla_" // an app's access token
	appSecretPrefix = "cls_" // an app's secret
)

// newToken returns a fresh opaque session token and the hash stored in its place.
func newToken() (token string, hash []byte) { return newTokenWith(tokenPrefix) }

// newTokenWith returns a fresh opaque secret with prefix and its hash.
func newTokenWith(prefix string) (token string, hash []byte) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic("auth: crypto/rand failed: " + err.Error()) // the OS RNG never fails on Linux ≥ 3.17
	}
	token = prefix + base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// NewAppSecret returns a fresh app secret, shown once, and the hash stored
// in its place.
func NewAppSecret() (secret string, hash []byte) { return newTokenWith(appSecretPrefix) }

// HashToken is what the database holds of a token: its SHA-256.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
