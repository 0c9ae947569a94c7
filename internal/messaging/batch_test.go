package messaging

import (
	"context"
	"sync"
	"testing"
)

func TestCallsArrivingTogetherRunAsOneBatchAndEachGetsItsOwnAnswer(t *testing.T) {
	var mu sync.Mutex
	var sizes []int
	b := newBatcher(func(reqs []int) ([]int, []error) {
		mu.Lock()
		sizes = append(sizes, len(reqs))
		mu.Unlock()
		out := make([]int, len(reqs))
		for i, r := range reqs {
			out[i] = r * 10
		}
		return out, make([]error, len(reqs))
	})
	const n = batchMax + 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got, err := b.do(context.Background(), i)
			if err != nil || got != i*10 {
				t.Errorf("call %d got %d, %v", i, got, err)
			}
		}()
	}
	wg.Wait()
	total := 0
	for _, s := range sizes {
		if s > batchMax {
			t.Fatalf("a batch of %d, over the %d limit", s, batchMax)
		}
		total += s
	}
	if total != n || len(sizes) >= n/2 {
		t.Fatalf("%d calls ran in %d batches %v; want them gathered", n, len(sizes), sizes)
	}
}
