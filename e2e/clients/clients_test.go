// Package clients runs the JavaScript GraphQL clients of this folder's Node
// project (package.json, pinned by package-lock.json) against a real
// server: each signs in, loads the viewer and the members page, follows the
// inbox, sends a message and receives it (flow.mjs). graphql-inspector
// then compares the served schema with `corpline schema`.
//
// It needs Node and the project's packages (`npm ci` here; .ci/run does
// it). Without them the test fails: it never skips.
package clients

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/corpline/corpline/graph"
	"github.com/corpline/corpline/internal/apitest"
)

// requireNode finds node and this project's installed packages.
func requireNode(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Fatal("node is not installed: the client tests need Node 20 or later")
	}
	if _, err := os.Stat(filepath.Join("node_modules", ".package-lock.json")); err != nil {
		t.Fatal("e2e/clients has no node_modules: run `npm ci` in e2e/clients (.ci/run does)")
	}
	return node
}

// runNode runs a Node command of this folder with env and fails the test,
// with its output, unless it succeeds.
func runNode(t *testing.T, env []string, name string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out.String())
	}
	return out.String()
}

func TestGraphQLInspectorFindsNoDifferenceBetweenServedAndPrintedSchema(t *testing.T) {
	requireNode(t)
	env := apitest.Start(t)
	var sdl bytes.Buffer
	graph.PrintSchema(&sdl)
	file := filepath.Join(t.TempDir(), "schema.graphql")
	if err := os.WriteFile(file, sdl.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out := runNode(t, nil, filepath.Join("node_modules", ".bin", "graphql-inspector"), "diff", env.URL, file)
	if !strings.Contains(out, "No changes detected") {
		t.Fatalf("graphql-inspector diff found differences:\n%s", out)
	}
}
