package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/provision"
	"github.com/corpline/corpline/internal/store"
)

func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	err := run(context.Background(), args, &out)
	return out.String(), err
}

func TestBootstrapJSONPrintsTheCreatedIDs(t *testing.T) {
	url := apitest.NewDatabaseURL(t)
	out, err := runCLI(t, "bootstrap", "--database-url", url, "--enterprise", "acme", "--name", "Acme Inc",
		"--admin-login", "root", "--admin-password", "correct-horse-9", "--json")
	if err != nil {
		t.Fatalf("bootstrap: %v\n%s", err, out)
	}
	var res provision.Result
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("bootstrap --json printed %q: %v", out, err)
	}
	for id, prefix := range map[string]string{res.EnterpriseID: ids.Enterprise, res.AdminID: ids.Member, res.DepartmentID: ids.Department} {
		if ids.Prefix(id) != prefix {
			t.Errorf("id %q, want prefix %s", id, prefix)
		}
	}

	// The super admin it made can sign in, and is the member it printed.
	env := apitest.StartOn(t, url)
	if admin := env.Login("acme", "root", "correct-horse-9"); admin.MemberID != res.AdminID {
		t.Fatalf("signed in as %s, bootstrap printed %s", admin.MemberID, res.AdminID)
	}

	// A second bootstrap of the same code is refused.
	if out, err := runCLI(t, "bootstrap", "--database-url", url, "--enterprise", "acme", "--name", "Again",
		"--admin-login", "root", "--admin-password", "correct-horse-9", "--json"); err == nil {
		t.Fatalf("second bootstrap of acme succeeded: %s", out)
	}
}

func TestBootstrapRefusesMissingFlags(t *testing.T) {
	url := apitest.NewDatabaseURL(t)
	if out, err := runCLI(t, "bootstrap", "--database-url", url, "--enterprise", "acme", "--name", "Acme"); err == nil {
		t.Fatalf("bootstrap without admin flags succeeded: %s", out)
	}
}

func TestSchemaPrintsValidSDLWithTheFixedRootFields(t *testing.T) {
	out, err := runCLI(t, "schema")
	if err != nil {
		t.Fatal(err)
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "corpline schema", Input: out})
	if gerr != nil {
		t.Fatalf("corpline schema is not valid SDL: %v", gerr)
	}
	for typ, fields := range map[string][]string{
		"Query": {"node", "nodes", "viewer", "enterprise", "departments", "members", "tags", "adminRoles"},
		"Mutation": {"login", "logout", "createDepartment", "updateDepartment", "moveDepartment", "deleteDepartment",
			"createMember", "updateMember", "importMembers", "createTag", "updateTag", "deleteTag", "grantAdmin",
			"revokeAdmin", "updateEnterpriseSettings"},
	} {
		def := schema.Types[typ]
		if def == nil {
			t.Fatalf("no %s type in the SDL", typ)
		}
		for _, f := range fields {
			if def.Fields.ForName(f) == nil {
				t.Errorf("%s.%s is missing from the SDL", typ, f)
			}
		}
	}
}

func TestMigrateCreatesTheSchema(t *testing.T) {
	url := apitest.NewDatabaseURL(t)
	count := func() error {
		db, err := store.Open(url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		var n int
		return db.SQL.QueryRow("SELECT count(*) FROM enterprises").Scan(&n)
	}
	if count() == nil {
		t.Fatal("the enterprises table exists before migrate")
	}
	if out, err := runCLI(t, "migrate", "--database-url", url); err != nil || !strings.Contains(out, "migrated") {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	if err := count(); err != nil {
		t.Fatalf("after migrate: %v", err)
	}
	if _, err := runCLI(t, "migrate", "--database-url", url); err != nil {
		t.Fatalf("migrate twice: %v", err)
	}
}

// TestNoArgumentsServesTheDemo runs `corpline` with no arguments (its
// address and database moved by the environment, as CORPLINE_* allows), signs
// in with the printed demo credentials, and stops it as SIGTERM would.
func TestNoArgumentsServesTheDemo(t *testing.T) {
	t.Setenv("CORPLINE_ADDR", "127.0.0.1:0")
	t.Setenv("CORPLINE_DATABASE_URL", apitest.NewDatabaseURL(t))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, w := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, nil, w); w.Close() }()

	lines := bufio.NewScanner(r)
	var url string
	var printed []string
	serving := regexp.MustCompile(`corpline serving (http://\S+/graphql)`)
	for lines.Scan() {
		printed = append(printed, lines.Text())
		if m := serving.FindStringSubmatch(lines.Text()); m != nil {
			url = m[1]
			break
		}
	}
	go io.Copy(io.Discard, r)
	if url == "" {
		t.Fatalf("no serving line in %q (run: %v)", printed, <-done)
	}
	if !strings.Contains(strings.Join(printed, "\n"), "Seeded the demo enterprise") {
		t.Errorf("first start did not say it seeded the demo: %q", printed)
	}

	admin := apitest.Connect(t, url).Login(provision.DemoCode, "admin", provision.DemoPassword)
	var out struct{ Members struct{ TotalCount int } }
	admin.MustDo(`{ members(first: 1) { totalCount } }`, nil, &out)
	if out.Members.TotalCount < 5 {
		t.Errorf("demo has %d members", out.Members.TotalCount)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("corpline stopped with %v", err)
	}
}
