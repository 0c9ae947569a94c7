package batch_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/corpline/corpline/internal/realtime/batch"
)

func TestKeysAskedTogetherAreLoadedTogetherAndEachGetsItsOwnValue(t *testing.T) {
	var loads, keys atomic.Int64
	l := &batch.Loader[int, int]{Max: 100, InFlight: 1,
		Load: func(_ context.Context, ks []int) (map[int]int, error) {
			loads.Add(1)
			time.Sleep(20 * time.Millisecond) // a query: keys gather meanwhile
			keys.Add(int64(len(ks)))
			out := map[int]int{}
			for _, k := range ks {
				if k%10 != 0 { // multiples of 10 do not exist
					out[k] = k * k
				}
			}
			return out, nil
		}}
	var wg sync.WaitGroup
	for i := range 250 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, ok, err := l.Get(context.Background(), i%200) // 50 keys asked twice
			if err != nil || ok != (i%10 != 0) || (ok && v != (i%200)*(i%200)) {
				t.Errorf("Get(%d) = %d, %v, %v", i%200, v, ok, err)
			}
		}()
	}
	wg.Wait()
	if keys.Load() > 250 || loads.Load() > 250/2 {
		t.Fatalf("%d loads of %d keys in all: not gathered", loads.Load(), keys.Load())
	}
	if keys.Load() < 200 {
		t.Fatalf("only %d keys loaded, want every distinct key", keys.Load())
	}
}

func TestALoadErrorReachesEveryCallerOfItsRound(t *testing.T) {
	boom := errors.New("boom")
	l := &batch.Loader[string, int]{Load: func(context.Context, []string) (map[string]int, error) { return nil, boom }}
	if _, _, err := l.Get(context.Background(), "a"); !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
}

func TestACallerWhoGivesUpIsNotHeldByTheRound(t *testing.T) {
	release, started := make(chan struct{}), make(chan struct{}, 1)
	l := &batch.Loader[string, int]{InFlight: 1, Load: func(context.Context, []string) (map[string]int, error) {
		started <- struct{}{}
		<-release
		return nil, nil
	}}
	// Another caller's round is loading, and holds the only slot.
	go l.Get(context.Background(), "b")
	<-started
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := l.Get(ctx, "a"); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	close(release)
	<-started // the round with "a" still loads, once "b"'s is done
}
