package outbox

import (
	"testing"
	"time"
)

func TestSignaturesCoverTimestampAndBody(t *testing.T) {
	body := []byte(`{"event":"x"}`)
	sig := Sign("s3cret", 1700000000, body)
	if !Verify("s3cret", "1700000000", body, sig) {
		t.Fatal("own signature does not verify")
	}
	for name, ok := range map[string]bool{
		"other secret":    Verify("other", "1700000000", body, sig),
		"other timestamp": Verify("s3cret", "1700000001", body, sig),
		"other body":      Verify("s3cret", "1700000000", []byte(`{"event":"y"}`), sig),
		"bad timestamp":   Verify("s3cret", "soon", body, sig),
	} {
		if ok {
			t.Fatalf("%s verifies", name)
		}
	}
}

func TestBackoffDoublesUpToAnHour(t *testing.T) {
	want := []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second, 80 * time.Second}
	for i, w := range want {
		if got := backoff(i + 1); got != w {
			t.Fatalf("backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
	if got := backoff(50); got != MaxRetryGap {
		t.Fatalf("backoff(50) = %v", got)
	}
}
