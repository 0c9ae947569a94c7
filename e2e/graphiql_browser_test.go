package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/config"
)

// chromiumFlags keep headless Chromium on this machine from reaching the
// internet by itself (updates, sync, field trials) and let it run as root.
var chromiumFlags = []chromedp.ExecAllocatorOption{
	chromedp.Flag("no-sandbox", true),
	chromedp.Flag("disable-gpu", true),
	chromedp.Flag("disable-background-networking", true),
	chromedp.Flag("disable-component-update", true),
	chromedp.Flag("disable-sync", true),
	chromedp.Flag("no-first-run", true),
	chromedp.Flag("disable-dev-shm-usage", true),
	chromedp.WindowSize(1280, 900),
}

// newBrowser starts headless Chromium for one test. A machine without
// Chromium fails the test: .ci/run installs Debian's chromium package.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Fatal("no Chromium on PATH: install Debian's chromium package (.ci/run does)")
	}
	opts := append(append([]chromedp.ExecAllocatorOption{}, chromedp.DefaultExecAllocatorOptions[:]...), chromiumFlags...)
	opts = append(opts, chromedp.ExecPath(path))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return ctx
}

// graphiQL drives the GraphiQL page through its editors, as a person would
// type into them and press the run button.
type graphiQL struct {
	t   *testing.T
	ctx context.Context
}

// editor finds a CodeMirror editor of the page by the class of its panel.
func editorJS(panel string) string {
	return fmt.Sprintf(`document.querySelector(%q).CodeMirror`, panel+" .CodeMirror")
}

func (g graphiQL) set(panel, text string) {
	g.t.Helper()
	js, _ := json.Marshal(text)
	if err := chromedp.Do(g.ctx, chromedp.Evaluate[chromedp.Void](editorJS(panel)+".setValue("+string(js)+")")); err != nil {
		g.t.Fatalf("set %s: %v", panel, err)
	}
}

// setHeaders opens the Headers tab and types headers into it (GraphiQL reads
// the editor when it runs an operation).
func (g graphiQL) setHeaders(headers string) {
	g.t.Helper()
	if err := chromedp.Do(g.ctx, chromedp.Click(`//button[normalize-space()="Headers"]`)); err != nil {
		g.t.Fatalf("open the headers tab: %v", err)
	}
	g.set(".graphiql-editor-tool .graphiql-editor:not(.hidden)", headers)
}

// waitTab waits until cond, a JavaScript expression about the active tab
// (tab), holds for GraphiQL's state, which it keeps in localStorage.
func (g graphiQL) waitTab(cond string) {
	g.t.Helper()
	js := `(() => { const s = JSON.parse(localStorage.getItem("graphiql:tabState") || "{}");
		const tab = (s.tabs || [])[s.activeTabIndex]; return !!tab && (` + cond + `); })()`
	deadline := time.Now().Add(10 * time.Second)
	for {
		ready, err := chromedp.Run(g.ctx, chromedp.Evaluate[bool](js))
		if err != nil {
			g.t.Fatalf("read GraphiQL's state: %v", err)
		}
		if ready {
			return
		}
		if time.Now().After(deadline) {
			state, _ := chromedp.Run(g.ctx, chromedp.Evaluate[string](`localStorage.getItem("graphiql:tabState")`))
			g.t.Fatalf("GraphiQL never got to %s; its state: %s", cond, state)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// run types the operation named name into the query editor and runs it,
// once GraphiQL has taken the new text in (it keeps its tabs' state, with
// the operation name it parsed, in localStorage).
func (g graphiQL) run(name, query string) {
	g.t.Helper()
	g.set(".graphiql-query-editor", query)
	g.waitTab(fmt.Sprintf("tab.operationName === %q", name))
	if err := chromedp.Do(g.ctx, chromedp.Click(chromedp.CSS(".graphiql-execute-button"))); err != nil {
		g.t.Fatalf("run: %v", err)
	}
}

// waitResponse waits until the response panel shows every one of parts and
// returns its text.
func (g graphiQL) waitResponse(parts ...string) string {
	g.t.Helper()
	var text string
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		var err error
		if text, err = chromedp.Run(g.ctx, chromedp.Evaluate[string](editorJS(".graphiql-response")+".getValue()")); err != nil {
			g.t.Fatalf("read the response: %v", err)
		}
		missing := false
		for _, p := range parts {
			missing = missing || !strings.Contains(text, p)
		}
		if !missing {
			return text
		}
		time.Sleep(100 * time.Millisecond)
	}
	g.t.Fatalf("the response never showed %q; it shows:\n%s", parts, text)
	return ""
}

func TestGraphiQLSignsInListsMembersAndFollowsTheInboxOffline(t *testing.T) {
	env := apitest.Start(t, func(c *config.Config) { c.GraphiQL = true })
	ent := env.NewEnterprise("browser")
	admin := env.Admin(ent)
	sales := admin.CreateDepartment("Sales", ent.RootID)
	ann := admin.CreateMember(apitest.MemberSpec{Userid: "ann", Name: "Ann Archer", Depts: []string{sales}})
	admin.CreateMember(apitest.MemberSpec{Userid: "ben", Name: "Ben Baker", Depts: []string{sales}})

	ctx := newBrowser(t)
	// The page may load nothing from anywhere but the server: every other
	// request is recorded and fails the test.
	host := strings.TrimPrefix(env.BaseURL(), "http://")
	var mu sync.Mutex
	var foreign []string
	seen := func(u string) {
		if !strings.HasPrefix(u, "http://"+host+"/") && !strings.HasPrefix(u, "ws://"+host+"/") && !strings.HasPrefix(u, "data:") {
			mu.Lock()
			foreign = append(foreign, u)
			mu.Unlock()
		}
	}
	if err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			seen(ev.Request.URL)
		case *network.EventWebSocketCreated:
			seen(ev.URL)
		}
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(env.BaseURL()+"/"),
		chromedp.WaitVisible(chromedp.CSS(".graphiql-query-editor .CodeMirror")),
	); err != nil {
		t.Fatalf("open GraphiQL: %v", err)
	}
	g := graphiQL{t: t, ctx: ctx}

	g.run("SignIn", fmt.Sprintf(`mutation SignIn { login(input: {enterprise: %q, login: "ann", password: %q}) { token } }`, ent.Code, apitest.TestPassword))
	var login struct {
		Data struct{ Login struct{ Token string } }
	}
	if err := json.Unmarshal([]byte(g.waitResponse(`"token"`)), &login); err != nil || login.Data.Login.Token == "" {
		t.Fatalf("no token in the login response (%v)", err)
	}
	g.setHeaders(`{"Authorization": "Bearer ` + login.Data.Login.Token + `"}`)

	g.run("MembersPage", `query MembersPage { members(first: 10, orderBy: {field: NAME}) { totalCount edges { node { name departments { name } } } } }`)
	g.waitResponse(`"Ann Archer"`, `"Ben Baker"`, `"Sales"`)

	g.run("Inbox", `subscription Inbox { inbox { kind entry { message { id } } } }`)
	g.waitResponse(`"SYNC"`)
	sent := admin.Send(apitest.Text("hello from the admin", apitest.Range{Members: []string{ann}}))
	g.waitResponse(`"NEW"`, sent.Message.ID)

	mu.Lock()
	defer mu.Unlock()
	if len(foreign) > 0 {
		t.Errorf("the page loaded from elsewhere: %v", foreign)
	}
}
