package inbox

import (
	"testing"
	"time"

	"entgo.io/contrib/entgql"

	"github.com/corpline/corpline/ent"
)

func TestEventForTellsNewFromChangedBySeenPosition(t *testing.T) {
	now := time.Now()
	e := func(seq, created, version int64, read, recalled bool) *ent.InboxEntry {
		x := &ent.InboxEntry{Seq: seq, CreatedVersion: created, Version: version}
		if read {
			x.ReadAt = &now
		}
		if recalled {
			x.RecalledAt = &now
		}
		return x
	}
	at := Position{Version: 10, Seq: 4}
	cases := []struct {
		name  string
		entry *ent.InboxEntry
		want  EventKind
	}{
		{"delivered after the position", e(5, 11, 11, false, false), EventNew},
		{"delivered after and already read", e(5, 11, 12, true, false), EventNew},
		{"seen, then read", e(3, 8, 12, true, false), EventRead},
		{"the position's own entry, then read", e(4, 10, 12, true, false), EventRead},
		{"seen, then recalled", e(3, 8, 12, false, true), EventRecalled},
		{"never seen and already recalled", e(5, 11, 13, false, true), ""},
	}
	for _, c := range cases {
		ev := eventFor(c.entry, at)
		got := EventKind("")
		if ev != nil {
			got = ev.Kind
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestPositionsRoundTripAndForeignCursorsAreRefused(t *testing.T) {
	p := Position{Version: 42, Seq: 7}
	c := p.Cursor()
	got, err := ParsePosition(&c)
	if err != nil || *got != p {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	for _, bad := range []entgql.Cursor[string]{{ID: "inb_123"}, {ID: "inbox:1"}, {ID: "inbox:a.b"}, {ID: "inbox:-1.2"}} {
		if _, err := ParsePosition(&bad); err == nil {
			t.Errorf("cursor %q was accepted", bad.ID)
		}
	}
	if got, err := ParsePosition(nil); got != nil || err != nil {
		t.Fatal("no cursor must mean no position")
	}
}
