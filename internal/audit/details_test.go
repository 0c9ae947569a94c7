package audit

import (
	"testing"

	"github.com/corpline/corpline/ent"
)

func TestDetailsRedactSecretsAndShortenLongLists(t *testing.T) {
	rows := make([]any, 25)
	for i := range rows {
		rows[i] = map[string]any{"userid": "u", "password": "pw"}
	}
	d := Details(map[string]any{"input": map[string]any{
		"password": "pw", "adminPassword": "pw", "callbackSecret": "s", "authToken": "t", "name": "Sam", "rows": rows,
	}})
	in := d["input"].(map[string]any)
	for _, k := range []string{"password", "adminPassword", "callbackSecret", "authToken"} {
		if in[k] != "[redacted]" {
			t.Fatalf("%s = %v", k, in[k])
		}
	}
	kept := in["rows"].([]any)
	if in["name"] != "Sam" || len(kept) != 21 || kept[0].(map[string]any)["password"] != "[redacted]" ||
		kept[20].(map[string]any)["omitted"] != 5 {
		t.Fatalf("details = %v", d)
	}
}

func TestTargetIsWhatWasReturnedElseWhatWasNamed(t *testing.T) {
	if got := TargetOf(&ent.Member{ID: "mem_1"}, nil); got != "mem_1" {
		t.Fatalf("entity: %q", got)
	}
	payload := &struct{ DeletedID string }{DeletedID: "mem_2"}
	if got := TargetOf(payload, nil); got != "mem_2" {
		t.Fatalf("payload: %q", got)
	}
	args := map[string]any{"input": map[string]any{"memberId": "mem_3"}}
	if got := TargetOf(nil, args); got != "mem_3" {
		t.Fatalf("args: %q", got)
	}
	if TypeOf("mem_3") != "Member" || TypeOf("ent_1") != "Enterprise" || TypeOf("x") != "" {
		t.Fatal("TypeOf")
	}
}
