package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"slices"
	"time"
)

// measured is one server's round.
type measured struct {
	perSecond float64
	p50, p99  time.Duration
	errors    int
	rss       int64
	cpuPerReq time.Duration // the server's own CPU time per request
}

// measurePage runs the alternating rounds of one page and prints them.
func measurePage(ctx context.Context, out io.Writer, hc *http.Client, o peerOptions, pg pageTargets, procs [3]*proc) error {
	fmt.Fprintf(out, "\n%s page: %s\n%d connections, %d rounds of %s per server (order rotates), warm-up %s first, %s before later rounds\n",
		pg.name, pg.what, o.clients, o.rounds, o.duration, o.warmup, o.rewarm)
	fmt.Fprintf(out, "%5s %-13s %9s %9s %9s %8s %9s %7s\n", "round", "server", "req/s", "p50", "p99", "RSS MiB", "CPU/req", "errors")
	var all [3][]measured
	for r := range o.rounds {
		for k := range 3 {
			i := (r + k) % 3
			if ctx.Err() != nil {
				return ctx.Err()
			}
			p := pg.servers[i].probe(hc)
			warm := o.rewarm
			if r == 0 {
				warm = o.warmup
			}
			load(ctx, p, o.clients, warm)
			before := procs[i].usage()
			res := load(ctx, p, o.clients, o.duration)
			after := procs[i].usage()
			m := measured{perSecond: res.perSecond(), p50: res.quantile(0.50), p99: res.quantile(0.99), errors: res.errors, rss: after.rss}
			if res.requests > 0 {
				m.cpuPerReq = (after.cpu - before.cpu) / time.Duration(res.requests)
			}
			if res.errors > 0 {
				fmt.Fprintf(out, "%s's log ends with:\n%s\n", peerNames[i], procs[i].errorLines())
			}
			all[i] = append(all[i], m)
			fmt.Fprintf(out, "%5d %-13s %9.0f %9s %9s %8.1f %9s %7d\n", r+1, peerNames[i], m.perSecond, m.p50, m.p99,
				float64(m.rss)/(1<<20), m.cpuPerReq.Round(time.Microsecond), m.errors)
		}
	}
	var med [3]measured
	for i := range 3 {
		med[i] = median(all[i])
	}
	fmt.Fprintf(out, "median of %d rounds (load %s):\n", o.rounds, loadAverage())
	for i, m := range med {
		fmt.Fprintf(out, "      %-13s %9.0f %9s %9s %8.1f %9s\n", peerNames[i], m.perSecond, m.p50, m.p99,
			float64(m.rss)/(1<<20), m.cpuPerReq.Round(time.Microsecond))
	}
	fmt.Fprintf(out, "ratios (req/s): corpline/PostGraphile %.2fx, corpline/floor %.2fx, PostGraphile/floor %.2fx\n",
		med[0].perSecond/med[1].perSecond, med[0].perSecond/med[2].perSecond, med[1].perSecond/med[2].perSecond)
	return nil
}

// median takes each measure's median over the rounds on its own (RSS: the largest).
func median(ms []measured) measured {
	pick := func(f func(measured) float64) float64 {
		v := make([]float64, len(ms))
		for i, m := range ms {
			v[i] = f(m)
		}
		slices.Sort(v)
		if len(v)%2 == 1 {
			return v[len(v)/2]
		}
		return (v[len(v)/2-1] + v[len(v)/2]) / 2
	}
	out := measured{
		perSecond: pick(func(m measured) float64 { return m.perSecond }),
		p50:       time.Duration(pick(func(m measured) float64 { return float64(m.p50) })),
		p99:       time.Duration(pick(func(m measured) float64 { return float64(m.p99) })),
		cpuPerReq: time.Duration(pick(func(m measured) float64 { return float64(m.cpuPerReq) })),
	}
	for _, m := range ms {
		out.rss = max(out.rss, m.rss)
		out.errors += m.errors
	}
	return out
}
