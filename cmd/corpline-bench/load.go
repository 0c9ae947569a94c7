package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sync"
	"time"
)

// result is one concurrency level's measurements.
type result struct {
	requests  int
	errors    int
	elapsed   time.Duration
	latencies []time.Duration // of successful requests, sorted
}

func (r result) perSecond() float64 { return float64(r.requests) / r.elapsed.Seconds() }

func (r result) quantile(q float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(q * float64(len(r.latencies)-1))
	return r.latencies[i].Round(10 * time.Microsecond)
}

// load runs clients goroutines, each sending p back to back, for d.
func load(ctx context.Context, p probe, clients int, d time.Duration) result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		mu    sync.Mutex
		all   []time.Duration
		errs  int
		wg    sync.WaitGroup
		first error
	)
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			bad := 0
			for ctx.Err() == nil {
				t0 := time.Now()
				err := p(ctx)
				if ctx.Err() != nil {
					break // cut off by the end of the run, not a failure
				}
				if err != nil {
					bad++
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					continue
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			all = append(all, mine...)
			errs += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	if first != nil {
		fmt.Fprintln(os.Stderr, "first error:", first)
	}
	slices.Sort(all)
	return result{requests: len(all), errors: errs, elapsed: elapsed, latencies: all}
}
