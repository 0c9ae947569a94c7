package e2e

import (
	"bufio"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/apitest"
	"github.com/corpline/corpline/internal/config"
)

// scrape reads /metrics into series -> value ("name{labels}" as printed).
func scrape(t *testing.T, addr string) map[string]float64 {
	t.Helper()
	res, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("/metrics answered %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	out := map[string]float64{}
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("metric line %q: %v", line, err)
		}
		out[line[:i]] = v
	}
	return out
}

// waitMetric scrapes until series has moved by want from before.
func waitMetric(t *testing.T, addr, series string, before map[string]float64, want float64) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := scrape(t, addr)[series] - before[series]
		if got == want {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s moved by %v, want %v", series, got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Not parallel: the counters are the process's, and no other test runs
// beside a test that is not parallel.
func TestMetricsCountOperationsSubscriptionsEventsPoolAndJobs(t *testing.T) {
	env := apitest.Start(t, func(c *config.Config) { c.MetricsAddr = "127.0.0.1:0" })
	addr := env.Main.MetricsAddr()
	if addr == "" {
		t.Fatal("no metrics listener")
	}
	// The API's own address does not serve them.
	if res := env.HTTP("GET", "/metrics", nil); res.Status == http.StatusOK {
		t.Fatal("/metrics is served on the API's address")
	}
	ent := env.NewEnterprise("metrics")
	admin := env.Admin(ent)
	before := scrape(t, addr)

	for range 3 {
		if r := admin.DoOperation(`query MetricsProbe { viewer { isSuperAdmin } }`, "MetricsProbe", nil); len(r.Errors) > 0 {
			t.Fatal(r.Errors)
		}
	}
	env.Anonymous().DoOperation(`query MetricsProbe { viewer { isSuperAdmin } }`, "MetricsProbe", nil)
	env.Anonymous().DoOperation(`query MetricsProbe { nope }`, "MetricsProbe", nil)
	after := scrape(t, addr)
	for series, want := range map[string]float64{
		`corpline_graphql_request_duration_seconds_count{operation="MetricsProbe",outcome="ok",type="query"}`:              3,
		`corpline_graphql_request_duration_seconds_count{operation="MetricsProbe",outcome="UNAUTHENTICATED",type="query"}`: 1,
		`corpline_graphql_request_duration_seconds_count{operation="MetricsProbe",outcome="BAD_USER_INPUT",type="none"}`:   1,
	} {
		if got := after[series] - before[series]; got != want {
			t.Errorf("%s moved by %v, want %v", series, got, want)
		}
	}

	// Subscriptions: open while they run, one event each per message.
	ws := env.WS()
	ws.Init(admin.Token)
	ws.SubscribeInbox("1", "")
	sse := admin.SubscribeInbox("")
	waitMetric(t, addr, `corpline_subscriptions_open{transport="websocket"}`, before, 1)
	waitMetric(t, addr, `corpline_subscriptions_open{transport="sse"}`, before, 1)
	mid := scrape(t, addr)
	admin.Send(apitest.Text("counted", apitest.Range{Members: []string{admin.MemberID}}))
	if ev := ws.InboxEvent("1"); ev.Kind != "NEW" {
		t.Fatalf("websocket event %+v", ev)
	}
	if ev := sse.InboxEvent(); ev.Kind != "NEW" {
		t.Fatalf("SSE event %+v", ev)
	}
	waitMetric(t, addr, `corpline_subscription_events_delivered_total{transport="websocket"}`, mid, 1)
	waitMetric(t, addr, `corpline_subscription_events_delivered_total{transport="sse"}`, mid, 1)
	waitMetric(t, addr, `corpline_realtime_fanout_seconds_count`, mid, 2) // one wake-up, two subscriptions
	ws.Close()
	sse.Close()
	waitMetric(t, addr, `corpline_subscriptions_open{transport="websocket"}`, before, 0)
	waitMetric(t, addr, `corpline_subscriptions_open{transport="sse"}`, before, 0)

	// The database pool, the outbox backlog and job runs.
	if _, err := env.Main.Jobs.Outbox.RunOnce(t.Context()); err != nil {
		t.Fatal(err)
	}
	final := scrape(t, addr)
	if final[`corpline_job_duration_seconds_count{job="outbox",outcome="ok"}`]-before[`corpline_job_duration_seconds_count{job="outbox",outcome="ok"}`] != 1 {
		t.Error("the outbox run was not counted")
	}
	for _, series := range []string{
		`go_sql_max_open_connections{db_name="corpline"}`,
		`go_sql_open_connections{db_name="corpline"}`,
	} {
		if final[series] < 1 {
			t.Errorf("%s = %v, want at least 1", series, final[series])
		}
	}
	if v, ok := final[`corpline_outbox_backlog`]; !ok || v < 0 {
		t.Errorf("corpline_outbox_backlog = %v (present %v)", v, ok)
	}
}
