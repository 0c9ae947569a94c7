package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/store"
)

func TestBootstrapOperatorCreatesAnOperatorWhoCanSignIn(t *testing.T) {
	path := filepath.Join(t.TempDir(), "corpline.db")
	var out bytes.Buffer
	args := []string{"bootstrap", "--database-url", path, "--operator", "--login", "root", "--password", "operator-pass-1"}
	if err := run(context.Background(), args, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "created platform operator root") {
		t.Fatalf("output: %s", out.String())
	}
	if err := run(context.Background(), args, &out); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Fatalf("second bootstrap: %v", err)
	}
	short := []string{"bootstrap", "--database-url", path, "--operator", "--login", "x", "--password", "short"}
	if err := run(context.Background(), short, &out); err == nil {
		t.Fatalf("a short password was accepted")
	}

	db, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ses, err := auth.New(db.Client, auth.Options{}).OperatorLogin(context.Background(), "root", "operator-pass-1", "127.0.0.1")
	if err != nil || !ses.Viewer.IsOperator() {
		t.Fatalf("operator login: %+v, %v", ses, err)
	}
}
