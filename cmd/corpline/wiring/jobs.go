package wiring

import (
	"context"
	"sync"

	"github.com/corpline/corpline/internal/config"
	"github.com/corpline/corpline/internal/outbox"
	"github.com/corpline/corpline/internal/realtime/bus"
	"github.com/corpline/corpline/internal/store"
	"github.com/corpline/corpline/internal/trial"
)

// reclaimEvery is how many job intervals pass between two looks for expired
// trials: a trial's end is a matter of days, not seconds.
const reclaimEvery = 60

// Jobs are the background work of a process: sending the callback
// outbox and reclaiming expired trials. Every process runs them; both are
// safe to run side by side (see packages outbox and trial).
type Jobs struct {
	Outbox  *outbox.Worker
	Reclaim *trial.Reclaimer

	cfg config.Config
	wg  sync.WaitGroup
}

func newJobs(cfg config.Config, db *store.DB, b bus.Bus) *Jobs {
	return &Jobs{
		Outbox:  outbox.NewWorker(db.Client, cfg.Now),
		Reclaim: trial.NewReclaimer(db.Client, db.Dialect, b, cfg.Now),
		cfg:     cfg,
	}
}

// start runs the jobs until ctx ends, unless JobInterval is 0.
func (j *Jobs) start(ctx context.Context) {
	if j.cfg.JobInterval <= 0 {
		return
	}
	j.wg.Add(2)
	go func() { defer j.wg.Done(); j.Outbox.Run(ctx, j.cfg.JobInterval) }()
	go func() { defer j.wg.Done(); j.Reclaim.Run(ctx, j.cfg.JobInterval*reclaimEvery) }()
}

// wait returns once the jobs have stopped.
func (j *Jobs) wait() { j.wg.Wait() }
