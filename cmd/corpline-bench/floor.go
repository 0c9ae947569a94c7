package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/lib/pq"
)

// The floor is what the same pages cost with nothing but net/http,
// database/sql and lib/pq: no GraphQL, no ORM, no privacy layer. It
// authenticates the bearer token against the same sessions table (one
// statement), then runs one statement per page (the count as an uncorrelated
// subquery) and one for the members' departments, and writes the JSON that
// corpline's response has. It runs as a child process of the benchmark
// (this binary, floorCommand), so its memory is its own.

// floorCommand is the hidden subcommand that serves the floor.
const floorCommand = "floor-serve"

const (
	floorAuthSQL = `SELECT s.member_id, s.enterprise_id FROM sessions s
JOIN members m ON m.id = s.member_id JOIN enterprises e ON e.id = s.enterprise_id
WHERE s.token_hash = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
AND m.status = 'ACTIVE' AND e.status <> 'RECLAIMED'`
	floorMembersSQL = `SELECT m.id, m.userid, m.name, m.position, m.status,
(SELECT count(*) FROM members c WHERE c.enterprise_id = $1 AND c.status <> 'DELETED')
FROM members m WHERE m.enterprise_id = $1 AND m.status <> 'DELETED'
ORDER BY m.name, m.id LIMIT $2`
	floorDepartmentsSQL = `SELECT ms.member_id, d.id, d.name FROM memberships ms
JOIN departments d ON d.id = ms.department_id WHERE ms.member_id = ANY($1)`
	floorInboxSQL = `SELECT e.id, e.seq, e.read_at, e.confidential, e.withheld,
g.id, g.kind, g.created_at, g.recalled_at, g.body, s.id, s.name
FROM inbox_entries e JOIN messages g ON g.id = e.message_id
LEFT JOIN members s ON s.id = g.sender_member_id
WHERE e.member_id = $1 ORDER BY e.seq DESC LIMIT $2`
)

type floor struct{ db *sql.DB }

func serveFloor(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet(floorCommand, flag.ContinueOnError)
	url := fs.String("database-url", "", "PostgreSQL URL")
	addr := fs.String("addr", "127.0.0.1:0", "listen address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	db, err := sql.Open("postgres", *url)
	if err != nil {
		return err
	}
	defer db.Close()
	// The same pool as corpline's.
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(16)
	f := &floor{db: db}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /members", f.members)
	mux.HandleFunc("POST /inbox", f.inbox)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		// The parent closes our stdin to stop us.
		io.Copy(io.Discard, os.Stdin)
		srv.Close()
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// viewer authenticates the request as the sessions table says.
func (f *floor) viewer(r *http.Request) (member, enterprise string, err error) {
	io.Copy(io.Discard, r.Body) // the GraphQL document is the same every time
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return "", "", errors.New("no token")
	}
	h := sha256.Sum256([]byte(token))
	err = f.db.QueryRowContext(r.Context(), floorAuthSQL, h[:]).Scan(&member, &enterprise)
	return member, enterprise, err
}

type floorDept struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type floorMember struct {
	ID          string      `json:"id"`
	Userid      string      `json:"userid"`
	Name        string      `json:"name"`
	Position    string      `json:"position"`
	Status      string      `json:"status"`
	Departments []floorDept `json:"departments"`
}

type floorEdge[T any] struct {
	Cursor string `json:"cursor"`
	Node   T      `json:"node"`
}

type floorPageInfo struct {
	HasNextPage bool   `json:"hasNextPage"`
	EndCursor   string `json:"endCursor"`
}

func (f *floor) members(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	_, ent, err := f.viewer(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	const first = 50
	rows, err := f.db.QueryContext(ctx, floorMembersSQL, ent, first+1)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var (
		total int
		ms    []*floorMember
		ids   []string
	)
	for rows.Next() {
		m := &floorMember{Departments: []floorDept{}}
		if err := rows.Scan(&m.ID, &m.Userid, &m.Name, &m.Position, &m.Status, &total); err != nil {
			rows.Close()
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		ms, ids = append(ms, m), append(ids, m.ID)
	}
	if err := rows.Close(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	next := len(ms) > first
	if next {
		ms, ids = ms[:first], ids[:first]
	}
	byID := make(map[string]*floorMember, len(ms))
	for _, m := range ms {
		byID[m.ID] = m
	}
	rows, err = f.db.QueryContext(ctx, floorDepartmentsSQL, pq.Array(ids))
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	for rows.Next() {
		var member string
		var d floorDept
		if err := rows.Scan(&member, &d.ID, &d.Name); err != nil {
			rows.Close()
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if m := byID[member]; m != nil {
			m.Departments = append(m.Departments, d)
		}
	}
	if err := rows.Close(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	edges := make([]floorEdge[*floorMember], len(ms))
	for i, m := range ms {
		edges[i] = floorEdge[*floorMember]{Cursor: floorCursor(m.Name, m.ID), Node: m}
	}
	info := floorPageInfo{HasNextPage: next}
	if len(edges) > 0 {
		info.EndCursor = edges[len(edges)-1].Cursor
	}
	writeFloor(w, map[string]any{"members": map[string]any{"totalCount": total, "pageInfo": info, "edges": edges}})
}

type floorMessage struct {
	ID         string       `json:"id"`
	Kind       string       `json:"kind"`
	CreatedAt  time.Time    `json:"createdAt"`
	RecalledAt *time.Time   `json:"recalledAt"`
	Sender     *floorSender `json:"sender"`
	SenderName *string      `json:"senderName"` // for former members only

	Content json.RawMessage `json:"content"`
}

type floorSender struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type floorEntry struct {
	ID           string       `json:"id"`
	Seq          int64        `json:"seq"`
	ReadAt       *time.Time   `json:"readAt"`
	Confidential bool         `json:"confidential"`
	Withheld     bool         `json:"withheld"`
	Message      floorMessage `json:"message"`
}

func (f *floor) inbox(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	member, _, err := f.viewer(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	const first = 30
	rows, err := f.db.QueryContext(ctx, floorInboxSQL, member, first+1)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var edges []floorEdge[*floorEntry]
	for rows.Next() {
		e := &floorEntry{}
		var body []byte
		var senderID, senderName *string
		m := &e.Message
		if err := rows.Scan(&e.ID, &e.Seq, &e.ReadAt, &e.Confidential, &e.Withheld,
			&m.ID, &m.Kind, &m.CreatedAt, &m.RecalledAt, &body, &senderID, &senderName); err != nil {
			rows.Close()
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if senderID != nil {
			m.Sender = &floorSender{ID: *senderID, Name: *senderName}
		}
		if m.RecalledAt == nil && !e.Withheld {
			m.Content = body
		} else {
			m.Content = json.RawMessage("null")
		}
		edges = append(edges, floorEdge[*floorEntry]{Cursor: floorCursor(fmt.Sprint(e.Seq)), Node: e})
	}
	if err := rows.Close(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	next := len(edges) > first
	if next {
		edges = edges[:first]
	}
	info := floorPageInfo{HasNextPage: next}
	if len(edges) > 0 {
		info.EndCursor = edges[len(edges)-1].Cursor
	}
	writeFloor(w, map[string]any{"inbox": map[string]any{"pageInfo": info, "edges": edges}})
}

func floorCursor(parts ...string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strings.Join(parts, "\x00")))
}

func writeFloor(w http.ResponseWriter, data any) {
	b, err := json.Marshal(map[string]any{"data": data})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(b)
}
