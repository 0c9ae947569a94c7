package corpline

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"
)

// generated reports whether path (slash-separated, relative to the module
// root) is written by `go generate ./...`: all of ent/ but its schema and
// entc.go, gqlgen's executable schema and models, entgql's schema file, and
// the resolver files (gqlgen rewrites their signatures and keeps the bodies).
func generated(path string) bool {
	switch {
	case path == "schema/ent.graphql", path == "ent/entc.go":
		return path == "schema/ent.graphql"
	case strings.HasPrefix(path, "ent/schema/"):
		return false
	case strings.HasPrefix(path, "ent/"), strings.HasPrefix(path, "graph/generated/"), strings.HasPrefix(path, "graph/model/"):
		return true
	}
	return strings.HasPrefix(path, "graph/") && strings.HasSuffix(path, ".resolvers.go")
}

// TestGeneratedCodeIsFresh copies the module into a temporary directory,
// runs `go generate ./...` there, and fails when any generated file differs
// from the one in the working tree, or when generation adds or removes one:
// someone edited a generated file by hand, or changed an input (ent schema,
// schema/*.graphql, gqlgen.yml, resolvers) without regenerating.
//
// The copy builds with -trimpath so that its packages hit the build cache
// whatever the temporary directory's name: about 6 s once the cache is warm,
// where a plain build recompiled the module's packages every time (17 s).
// The first run on a cold cache builds the generators once (about 1.5 min
// on 2 busy cores). -short skips it, except in CI.
func TestGeneratedCodeIsFresh(t *testing.T) {
	if testing.Short() && os.Getenv("CI") == "" {
		t.Skip("regenerates all code; skipped under -short outside CI")
	}
	src, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dst := t.TempDir()
	if err := copyModule(src, dst); err != nil {
		t.Fatalf("copy module: %v", err)
	}
	start := time.Now()
	cmd := exec.Command("go", "generate", "./...")
	cmd.Dir = dst
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod -trimpath")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go generate ./...: %v\n%s", err, out)
	}
	t.Logf("go generate ./... took %s", time.Since(start).Round(time.Millisecond))

	before, after := generatedFiles(t, src), generatedFiles(t, dst)
	var stale []string
	for path, want := range after {
		got, ok := before[path]
		switch {
		case !ok:
			stale = append(stale, path+" (missing: generation creates it)")
		case !bytes.Equal(got, want):
			stale = append(stale, path+" (differs)")
		}
	}
	for path := range before {
		if _, ok := after[path]; !ok {
			stale = append(stale, path+" (generation no longer creates it)")
		}
	}
	sort.Strings(stale)
	if len(stale) > 0 {
		t.Fatalf("generated code is stale; run `go generate ./...` and commit:\n  %s", strings.Join(stale, "\n  "))
	}
}

func generatedFiles(t *testing.T, root string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if rel = filepath.ToSlash(rel); generated(rel) {
			b, err := os.ReadFile(p)
			out[rel] = b
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// copyModule copies the module's source files (not .git, databases or
// build output) from src to dst.
func copyModule(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		name := d.Name()
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "bench-results") {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if !d.Type().IsRegular() || strings.Contains(name, ".db") || strings.HasSuffix(name, ".test") {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
}
