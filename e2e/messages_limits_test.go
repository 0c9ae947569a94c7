package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/config"
)

func TestEveryMessageKindIsDeliveredWithItsContent(t *testing.T) {
	o := newOrg(t)
	crm, _ := o.salesApp()
	to := apitest.Range{Members: []string{o.sam}}.Input()
	articles := []map[string]any{}
	for i := range 8 {
		articles = append(articles, map[string]any{"title": fmt.Sprint("a", i), "url": "https://news.example/" + fmt.Sprint(i)})
	}
	sends := []map[string]any{
		{"kind": "TEXT", "content": map[string]any{"text": "plain"}},
		{"kind": "MARKDOWN", "content": map[string]any{"markdown": "**bold**"}},
		{"kind": "CARD", "content": map[string]any{"card": map[string]any{"title": "Expense", "description": "approved", "url": "https://x.example/e/1", "buttonText": "Open"}}},
		{"kind": "NEWS", "content": map[string]any{"articles": articles}},
		{"kind": "FILE", "content": map[string]any{"file": map[string]any{"url": "https://files.example/a.pdf", "name": "a.pdf", "size": 1234, "mimeType": "application/pdf"}}},
		{"kind": "IMAGE", "content": map[string]any{"file": map[string]any{"url": "https://files.example/b.png", "name": "b.png"}}},
	}
	for _, in := range sends {
		in["targets"] = to
		crm.Send(in)
	}
	var out struct {
		Inbox struct {
			Edges []struct {
				Node struct {
					Message struct {
						Kind    string
						Content struct {
							Text, Markdown *string
							Card           *struct{ Title, ButtonText string }
							Articles       []struct{ Title, URL string }
							File           *struct {
								Name string
								Size *int
							}
							Watermark *string
						}
					}
				}
			}
		}
	}
	o.login("sam").MustDo(`{ inbox(first: 10) { edges { node { message { kind content {
		text markdown card { title buttonText } articles { title url } file { name size } watermark } } } } } }`, nil, &out)
	e := out.Inbox.Edges
	if len(e) != 6 {
		t.Fatalf("%d entries, want 6", len(e))
	}
	// Newest first: IMAGE, FILE, NEWS, CARD, MARKDOWN, TEXT.
	c := func(i int) string { return e[i].Node.Message.Kind }
	if c(0) != "IMAGE" || c(5) != "TEXT" || *e[5].Node.Message.Content.Text != "plain" || *e[4].Node.Message.Content.Markdown != "**bold**" ||
		e[3].Node.Message.Content.Card.ButtonText != "Open" || len(e[2].Node.Message.Content.Articles) != 8 ||
		*e[1].Node.Message.Content.File.Size != 1234 || e[0].Node.Message.Content.File.Name != "b.png" ||
		e[5].Node.Message.Content.Watermark != nil {
		t.Fatalf("contents = %+v", e)
	}
}

func TestBadMessagesAreRefusedWithACodeAndDeliverNothing(t *testing.T) {
	o := newOrg(t)
	crm, _ := o.salesApp()
	sam := apitest.Range{Members: []string{o.sam}}
	many := func(prefix string, n int) []string {
		out := make([]string, n)
		for i := range out {
			out[i] = fmt.Sprintf("%s_%032x", prefix, i)
		}
		return out
	}
	nine := []map[string]any{}
	for range 9 {
		nine = append(nine, map[string]any{"title": "t", "url": "https://x.example"})
	}
	withTargets := func(r apitest.Range) map[string]any { return apitest.Text("x", r) }
	cases := map[string]struct {
		in   map[string]any
		code string
	}{
		"a body over 16,384 bytes":       {apitest.Text(strings.Repeat("é", 8193), sam), "BAD_USER_INPUT"},
		"a blank text":                   {apitest.Text("   ", sam), "BAD_USER_INPUT"},
		"a text with a card":             {map[string]any{"kind": "TEXT", "content": map[string]any{"text": "x", "card": map[string]any{"title": "t", "description": "d", "url": "https://x.example"}}, "targets": sam.Input()}, "BAD_USER_INPUT"},
		"a card without its url":         {map[string]any{"kind": "CARD", "content": map[string]any{"card": map[string]any{"title": "t", "description": "d", "url": "nope"}}, "targets": sam.Input()}, "BAD_USER_INPUT"},
		"nine articles":                  {map[string]any{"kind": "NEWS", "content": map[string]any{"articles": nine}, "targets": sam.Input()}, "BAD_USER_INPUT"},
		"no targets":                     {withTargets(apitest.Range{}), "BAD_USER_INPUT"},
		"1,001 members":                  {withTargets(apitest.Range{Members: many("mem", 1001)}), "BAD_USER_INPUT"},
		"101 departments":                {withTargets(apitest.Range{Departments: many("dep", 101)}), "BAD_USER_INPUT"},
		"101 tags":                       {withTargets(apitest.Range{Tags: many("tag", 101)}), "BAD_USER_INPUT"},
		"a department ID among members":  {withTargets(apitest.Range{Members: []string{o.sales}}), "BAD_USER_INPUT"},
		"only unknown members":           {withTargets(apitest.Range{Members: many("mem", 3)}), "NOT_FOUND"},
		"only an unknown department":     {withTargets(apitest.Range{Departments: many("dep", 1)}), "NOT_FOUND"},
		"a confidential one to everyone": {map[string]any{"kind": "TEXT", "content": map[string]any{"text": "x"}, "targets": apitest.Range{Everyone: true}.Input(), "confidential": true}, "BAD_USER_INPUT"},
	}
	for name, c := range cases {
		if r := crm.TrySend(c.in); !r.HasCode(c.code) {
			t.Errorf("%s: got %v, want %s", name, r.Errors, c.code)
		}
	}
	// Exactly at the limit is fine: 16,384 bytes.
	crm.Send(apitest.Text(strings.Repeat("é", 8192), sam))
	if in := o.login("sam").Inbox(5); in.TotalCount != 1 {
		t.Fatalf("sam has %d entries; want only the one at the limit", in.TotalCount)
	}
}

func TestSendingNeedsAnAppOrTheSendMessagesRight(t *testing.T) {
	o := newOrg(t)
	in := apitest.Text("x", apitest.Range{Members: []string{o.eve}})
	o.login("sam").TrySend(in)
	if r := o.login("sam").TrySend(in); !r.HasCode("FORBIDDEN") {
		t.Fatalf("a plain member sent: %v", r.Errors)
	}
	o.admin.GrantScoped(o.sam, []string{o.sales}, "MANAGE_MEMBERS")
	if r := o.login("sam").TrySend(in); !r.HasCode("FORBIDDEN") {
		t.Fatalf("an admin without SEND_MESSAGES sent: %v", r.Errors)
	}
	if r := o.env.Anonymous().TrySend(in); !r.HasCode("UNAUTHENTICATED") {
		t.Fatalf("no token: %v", r.Errors)
	}
	if n := o.login("eve").Inbox(5).TotalCount; n != 0 {
		t.Fatalf("refused sends reached eve: %d", n)
	}
}

func TestScopedAdminMessagesAreCutToTheirScope(t *testing.T) {
	o := newOrg(t)
	o.admin.GrantScoped(o.sam, []string{o.sales}, "SEND_MESSAGES")
	sam := o.login("sam")
	res := sam.Send(apitest.Text("all hands", apitest.Range{Everyone: true}))
	if res.RecipientCount != 2 { // sam and eve: Sales and East
		t.Fatalf("a Sales admin's message to everyone reached %d, want 2", res.RecipientCount)
	}
	if n := o.login("rita").Inbox(5).TotalCount; n != 0 {
		t.Fatal("a scoped admin reached R&D")
	}
	all := o.admin.Send(apitest.Text("all hands", apitest.Range{Everyone: true}))
	if all.RecipientCount != 5 {
		t.Fatalf("the super admin reached %d, want all 5 of acme", all.RecipientCount)
	}
	if n := o.login("rita").Inbox(5); n.TotalCount != 1 || n.Unread.Others != 1 {
		t.Fatalf("rita's inbox after the super admin's message: %+v", n)
	}
	if n := o.env.Login("other", "olga", apitest.TestPassword).Inbox(5).TotalCount; n != 0 {
		t.Fatal("a message to everyone crossed enterprises")
	}
}

func TestASenderOverItsRateIsRefusedWithRateLimitedAndNothingIsLost(t *testing.T) {
	o := newOrg(t, func(c *config.Config) { c.Messages.SendRate, c.Messages.SendBurst = 0.001, 3 })
	crm, _ := o.salesApp()
	in := apitest.Text("x", apitest.Range{Members: []string{o.sam}})
	for range 3 {
		crm.Send(in)
	}
	r := crm.TrySend(in)
	if !r.HasCode("RATE_LIMITED") || r.Errors[0].Extensions["retryAfterMs"] == nil {
		t.Fatalf("the fourth send: %v", r.Errors)
	}
	if n := o.login("sam").Inbox(10).TotalCount; n != 3 {
		t.Fatalf("sam has %d entries, want the 3 accepted sends", n)
	}
	// Another sender is not held back.
	o.admin.Send(in)
}
