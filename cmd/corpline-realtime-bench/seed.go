package main

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/lib/pq"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/enterprise"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/auth"
	"github.com/corpline/corpline/internal/ids"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/provision"
	"github.com/corpline/corpline/internal/store"
)

// freshDatabase returns the URL of an empty database and a function that
// drops it: a SQLite file in a temporary folder, or a new database on the
// PostgreSQL server at pgURL.
func freshDatabase(kind, pgURL string) (string, func(), error) {
	if kind == "sqlite" {
		dir, err := os.MkdirTemp("", "corpline-bench-")
		if err != nil {
			return "", nil, err
		}
		return "sqlite://" + filepath.Join(dir, "bench.db"), func() { os.RemoveAll(dir) }, nil
	}
	admin, err := sql.Open("postgres", pgURL)
	if err != nil {
		return "", nil, err
	}
	b := make([]byte, 4)
	rand.Read(b)
	name := "corpline_bench_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database: %w", err)
	}
	u, err := url.Parse(pgURL)
	if err != nil {
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), func() {
		admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	}, nil
}

// world is what the benchmark seeded: an enterprise, a department of
// members each signed in once, and an app whose range is the department.
type world struct {
	Code      string
	DeptID    string
	MemberIDs []string
	Tokens    []string // Tokens[i] is a session of MemberIDs[i]
	AppID     string
	AppSecret string
}

// seed writes the enterprise and n members straight into the database (an
// import through the API would be the same rows, much slower), with a
// session each: tokens are only ever stored hashed, so the benchmark makes
// its own. The app is created through the API by the admin, once a server
// runs (see createApp).
func seed(ctx context.Context, dbURL string, n int) (*world, error) {
	db, err := store.Open(dbURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if err := db.Migrate(ctx); err != nil {
		return nil, err
	}
	quota := n + 10
	certified := time.Now().Add(365 * 24 * time.Hour)
	res, err := provision.Create(ctx, db.Client, benchEnterprise(quota, certified))
	if err != nil {
		return nil, fmt.Errorf("provision: %w", err)
	}
	sys := policy.SystemContext(ctx)
	c := db.Client
	root, err := c.Department.Get(sys, res.DepartmentID)
	if err != nil {
		return nil, fmt.Errorf("root department: %w", err)
	}
	id := ids.New(ids.Department)
	dept, err := c.Department.Create().SetID(id).SetEnterpriseID(res.EnterpriseID).SetName("Everyone").
		SetParentID(root.ID).SetPath(root.Path + id + "/").SetDepth(root.Depth + 1).Save(sys)
	if err != nil {
		return nil, fmt.Errorf("department: %w", err)
	}
	w := &world{Code: benchCode, DeptID: dept.ID}
	for start := 0; start < n; start += 500 {
		end := min(start+500, n)
		ms := make([]*ent.MemberCreate, 0, end-start)
		for i := start; i < end; i++ {
			ms = append(ms, c.Member.Create().SetEnterpriseID(res.EnterpriseID).
				SetUserid(fmt.Sprintf("m%05d", i)).SetName(fmt.Sprintf("Member %d", i)).
				SetStatus(member.StatusACTIVE))
		}
		created, err := c.Member.CreateBulk(ms...).Save(sys)
		if err != nil {
			return nil, fmt.Errorf("members: %w", err)
		}
		places := make([]*ent.MembershipCreate, 0, len(created))
		sessions := make([]*ent.SessionCreate, 0, len(created))
		for _, m := range created {
			token := "clt_bench" + randomHex(24)
			places = append(places, c.Membership.Create().SetEnterpriseID(res.EnterpriseID).
				SetMemberID(m.ID).SetDepartmentID(dept.ID).SetIsPrimary(true))
			sessions = append(sessions, c.Session.Create().SetEnterpriseID(res.EnterpriseID).
				SetMemberID(m.ID).SetTokenHash(auth.HashToken(token)).SetExpiresAt(time.Now().Add(24*time.Hour)))
			w.MemberIDs = append(w.MemberIDs, m.ID)
			w.Tokens = append(w.Tokens, token)
		}
		if err := c.Membership.CreateBulk(places...).Exec(sys); err != nil {
			return nil, fmt.Errorf("memberships: %w", err)
		}
		if err := c.Session.CreateBulk(sessions...).Exec(sys); err != nil {
			return nil, fmt.Errorf("sessions: %w", err)
		}
	}
	return w, nil
}

const (
	benchCode     = "bench"
	benchPassword = "bench-password-1"
)

// benchEnterprise is a certified account, whose follower quota the platform
// sets: room for every seeded member.
func benchEnterprise(quota int, certifiedUntil time.Time) provision.Enterprise {
	return provision.Enterprise{Code: benchCode, Name: "Bench Inc", AdminLogin: "admin", AdminPassword: benchPassword,
		AccountType: enterprise.AccountTypeCERTIFIED, FollowerQuota: &quota, CertifiedUntil: &certifiedUntil}
}

// createApp creates the app of the department through the API, as an
// admin would, and returns its token.
func createApp(ctx context.Context, url string, w *world) (string, error) {
	var login struct{ Login struct{ Token string } }
	err := gql(ctx, url, "", `mutation($in: LoginInput!) { login(input: $in) { token } }`,
		map[string]any{"in": map[string]any{"enterprise": w.Code, "login": "admin", "password": benchPassword}}, &login)
	if err != nil {
		return "", fmt.Errorf("admin login: %w", err)
	}
	var app struct {
		CreateApp struct {
			App    struct{ ID string }
			Secret string
		}
	}
	err = gql(ctx, url, login.Login.Token, `mutation($in: CreateAppInput!) { createApp(input: $in) { app { id } secret } }`,
		map[string]any{"in": map[string]any{"name": "bench", "visibleRange": map[string]any{"departmentIds": []string{w.DeptID}}}}, &app)
	if err != nil {
		return "", fmt.Errorf("create app: %w", err)
	}
	w.AppID, w.AppSecret = app.CreateApp.App.ID, app.CreateApp.Secret
	return appToken(ctx, url, w)
}

// appToken signs the app in (on any process: the database is the record).
func appToken(ctx context.Context, url string, w *world) (string, error) {
	var tok struct{ AppToken struct{ AccessToken string } }
	err := gql(ctx, url, "", `mutation($in: AppTokenInput!) { appToken(input: $in) { accessToken } }`,
		map[string]any{"in": map[string]any{"enterprise": w.Code, "appId": w.AppID, "secret": w.AppSecret}}, &tok)
	if err != nil {
		return "", fmt.Errorf("app token: %w", err)
	}
	return tok.AppToken.AccessToken, nil
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// analyze refreshes PostgreSQL's statistics, as autovacuum would on a
// database in use (SQLite plans without them).
func analyze(ctx context.Context, dbURL string) error {
	if !strings.HasPrefix(dbURL, "postgres") {
		return nil
	}
	db, err := sql.Open("postgres", dbURL)
	if err != nil {
		return err
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "ANALYZE")
	return err
}
