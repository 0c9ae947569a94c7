package config

import (
	"flag"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestNoArgumentsMeansLoopbackAndTheLocalFile(t *testing.T) {
	c, err := Parse("corpline", nil, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DatabaseURL != "./corpline.db" || !c.GraphiQL || c.Dev || c.TokenTTL != 30*24*time.Hour {
		t.Fatalf("defaults %+v", c)
	}
	if len(c.CORSOrigins) != 0 {
		t.Fatalf("default origins %v, want none", c.CORSOrigins)
	}
}

func TestFlagsWinOverTheEnvironment(t *testing.T) {
	env := map[string]string{
		"CORPLINE_ADDR":         "0.0.0.0:9000",
		"CORPLINE_MAX_DEPTH":    "9",
		"CORPLINE_CORS_ORIGINS": "https://a.example, https://b.example",
		"CORPLINE_GRAPHIQL":     "false",
	}
	c, err := Parse("serve", []string{"--addr", "127.0.0.1:7000"}, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:7000" || c.Limits.Depth != 9 || c.GraphiQL ||
		strings.Join(c.CORSOrigins, "|") != "https://a.example|https://b.example" {
		t.Fatalf("parsed %+v", c)
	}
	if _, err := Parse("serve", nil, func(k string) string {
		return map[string]string{"CORPLINE_MAX_DEPTH": "deep"}[k]
	}); err == nil || !strings.Contains(err.Error(), "CORPLINE_MAX_DEPTH") {
		t.Fatalf("bad environment value: err = %v", err)
	}
	for _, args := range [][]string{{"--tls-cert", "c.pem"}, {"--log-format", "xml"}} {
		if _, err := Parse("serve", args, func(string) string { return "" }); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

// TestReadmeTableMatchesTheFlags keeps the README's configuration table and
// the flags in step: same flags, variables and defaults, in both directions.
func TestReadmeTableMatchesTheFlags(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile("(?m)^\\| `--([a-z-]+)` \\| `(CORPLINE_[A-Z_]+)` \\| ([^|]+) \\|")
	documented := map[string][2]string{}
	for _, m := range row.FindAllStringSubmatch(string(readme), -1) {
		documented[m[1]] = [2]string{m[2], strings.Trim(strings.TrimSpace(m[3]), "`")}
	}
	c := Defaults()
	var origins string
	flagSet("serve", &c, &origins).VisitAll(func(f *flag.Flag) {
		doc, ok := documented[f.Name]
		delete(documented, f.Name)
		want := f.DefValue
		if want == "" {
			want = "(none)"
		}
		switch {
		case !ok:
			t.Errorf("--%s is not in the README's configuration table", f.Name)
		case doc[0] != "CORPLINE_"+strings.ToUpper(strings.ReplaceAll(f.Name, "-", "_")):
			t.Errorf("--%s: README says variable %s", f.Name, doc[0])
		case doc[1] != want:
			t.Errorf("--%s: README says default %q, the flag's is %q", f.Name, doc[1], want)
		}
	})
	for name := range documented {
		t.Errorf("the README documents --%s, which is not a flag", name)
	}
}
