package approval

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/approval"
	"github.com/corpline/corpline/ent/department"
	"github.com/corpline/corpline/ent/member"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/approval/flow"
	"github.com/corpline/corpline/internal/viewer"
)

// SubmitInput is what submitApproval takes.
type SubmitInput struct {
	TemplateID string
	// Version is the template version the client filled in; 0 takes the
	// current one. A stale version is refused with CONFLICT, so nobody
	// submits a form they did not see.
	Version int
	Form    flow.Form
	// Chosen are approvers picked for CHOSEN nodes, by node id.
	Chosen map[string][]string
	Cc     []string
	// IdempotencyKey makes a retry within IdempotencyWindow answer with
	// the first attempt instead of submitting again.
	IdempotencyKey string
}

// Submitted is what a submit did.
type Submitted struct {
	Approval *ent.Approval
	// Replayed is true when an earlier submit with the same key answered.
	Replayed bool
}

// Submit submits an approval along a template, as the viewer.
func (s *Service) Submit(ctx context.Context, in SubmitInput) (*Submitted, error) {
	if viewer.FromContext(ctx).Kind != viewer.KindMember {
		return nil, apperr.E(apperr.Forbidden, "only members submit approvals")
	}
	def, err := s.templateDefinition(ctx, in.TemplateID)
	if err != nil {
		return nil, err
	}
	if in.Version != 0 {
		if cur := s.currentVersion(ctx, in.TemplateID); in.Version != cur {
			e := apperr.E(apperr.Conflict, "the template is at version %d; reload the form", cur)
			e.Field, e.Extra = "version", map[string]any{"currentVersion": cur}
			return nil, e
		}
	}
	hash := requestHash(in)
	if res, err := s.replay(ctx, in.IdempotencyKey, hash); res != nil || err != nil {
		return res, err
	}
	a, err := s.submit(ctx, def, in)
	if err != nil {
		return nil, err
	}
	return &Submitted{Approval: a}, nil
}

func (s *Service) currentVersion(ctx context.Context, templateID string) int {
	t, err := s.db(ctx).ApprovalTemplate.Get(ctx, templateID)
	if err != nil {
		return 0
	}
	return t.Version
}

// Preview resolves a template's flow for the viewer and form without
// submitting: the nodes and people the approval would go to now.
func (s *Service) Preview(ctx context.Context, templateID string, form flow.Form, chosen map[string][]string) (flow.Path, error) {
	def, err := s.templateDefinition(ctx, templateID)
	if err != nil {
		return flow.Path{}, err
	}
	form, _, err = flow.ValidateForm(def.controls, form)
	if err != nil {
		return flow.Path{}, err
	}
	return s.resolve(ctx, def.flow, form, flow.Inputs{Chosen: chosen})
}

func (s *Service) resolve(ctx context.Context, f flow.Flow, form flow.Form, in flow.Inputs) (flow.Path, error) {
	a, err := s.applicantOf(ctx, viewer.FromContext(ctx).MemberID)
	if err != nil {
		return flow.Path{}, err
	}
	dir, err := s.loadDirectory(ctx, f, a, in)
	if err != nil {
		return flow.Path{}, err
	}
	return flow.Resolve(f, form, a, dir, in)
}

// submit validates the form, resolves the path and writes the approval,
// its nodes, timeline and CC, then starts the flow.
func (s *Service) submit(ctx context.Context, def definition, in SubmitInput) (*ent.Approval, error) {
	if len(in.IdempotencyKey) > MaxIdempotencyKey {
		return nil, apperr.Input("idempotencyKey", "an idempotency key is at most %d bytes", MaxIdempotencyKey)
	}
	form, refs, err := flow.ValidateForm(def.controls, in.Form)
	if err != nil {
		return nil, err
	}
	if err := s.checkReferences(ctx, refs); err != nil {
		return nil, err
	}
	path, err := s.resolve(ctx, def.flow, form, flow.Inputs{Chosen: in.Chosen, Cc: in.Cc})
	if err != nil {
		return nil, err
	}
	v := viewer.FromContext(ctx)
	now := s.now(ctx)
	c := s.db(ctx).Approval.Create().
		SetApplicantID(v.MemberID).
		SetApplicantName(v.Name).
		SetKind(def.kind).
		SetTitle(def.title).
		SetSummary(summarize(def.controls, form)).
		SetForm(form).
		SetControls(def.controls).
		SetFlow(def.flow).
		SetStatus(flow.StatusRunning).
		SetSubmittedAt(now).
		SetCcOnFinish(nonNil(path.CcOnFinish)).
		SetCreatedAt(now).
		SetRequestHash(requestHash(in))
	if def.templateID != "" {
		c.SetTemplateID(def.templateID).SetTemplateVersionID(def.versionID)
	}
	if in.IdempotencyKey != "" {
		c.SetIdempotencyKey(in.IdempotencyKey)
	}
	a, err := c.Save(ctx)
	if ent.IsConstraintError(err) && in.IdempotencyKey != "" {
		return nil, &apperr.Error{Code: apperr.Conflict, Field: "idempotencyKey",
			Message: "a submit with this idempotency key is in progress; retry to get its result"}
	}
	if err != nil {
		return nil, fmt.Errorf("create approval: %w", err)
	}
	r := s.newRun(ctx, a, v.MemberID)
	r.actorName = v.Name
	if err := r.start(path, flow.ActionSubmitted, ""); err != nil {
		return nil, err
	}
	return r.done()
}

// checkReferences refuses members, departments and approvals the form names
// that do not exist for the applicant (which is what they look like when
// the applicant may not see them).
func (s *Service) checkReferences(ctx context.Context, refs flow.References) error {
	db := s.db(ctx)
	if ids := dedupe(refs.MemberIDs); len(ids) > 0 {
		n, err := db.Member.Query().Where(member.IDIn(ids...)).Count(ctx)
		if err != nil {
			return fmt.Errorf("form members: %w", err)
		}
		if n != len(ids) {
			return apperr.Input("form", "the form names a member that does not exist")
		}
	}
	if ids := dedupe(refs.DepartmentIDs); len(ids) > 0 {
		n, err := db.Department.Query().Where(department.IDIn(ids...)).Count(ctx)
		if err != nil {
			return fmt.Errorf("form departments: %w", err)
		}
		if n != len(ids) {
			return apperr.Input("form", "the form names a department that does not exist")
		}
	}
	if ids := dedupe(refs.ApprovalIDs); len(ids) > 0 {
		n, err := db.Approval.Query().Where(approval.IDIn(ids...)).Count(ctx)
		if err != nil {
			return fmt.Errorf("form approvals: %w", err)
		}
		if n != len(ids) {
			return apperr.Input("form", "the form names an approval that does not exist")
		}
	}
	return nil
}

// replay answers a retried submit with the first attempt's approval. A key
// older than IdempotencyWindow is released for a new submit.
func (s *Service) replay(ctx context.Context, key string, hash []byte) (*Submitted, error) {
	if key == "" {
		return nil, nil
	}
	if len(key) > MaxIdempotencyKey {
		return nil, apperr.Input("idempotencyKey", "an idempotency key is at most %d bytes", MaxIdempotencyKey)
	}
	v := viewer.FromContext(ctx)
	db := s.db(ctx)
	a, err := db.Approval.Query().
		Where(approval.ApplicantID(v.MemberID), approval.IdempotencyKey(key)).
		Only(ctx)
	if ent.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("idempotency: %w", err)
	}
	if s.now(ctx).Sub(a.CreatedAt) >= IdempotencyWindow {
		if err := db.Approval.UpdateOne(a).ClearIdempotencyKey().Exec(ctx); err != nil {
			return nil, fmt.Errorf("idempotency: release key: %w", err)
		}
		return nil, nil
	}
	if !bytes.Equal(a.RequestHash, hash) {
		return nil, &apperr.Error{Code: apperr.Conflict, Field: "idempotencyKey",
			Message: "this idempotency key was used for a different submit"}
	}
	return &Submitted{Approval: a, Replayed: true}, nil
}

// requestHash identifies a submit, so a key reused for a different one is refused.
func requestHash(in SubmitInput) []byte {
	b, _ := json.Marshal(struct {
		T      string
		F      flow.Form
		Chosen map[string][]string
		Cc     []string
	}{in.TemplateID, in.Form, in.Chosen, in.Cc})
	h := sha256.Sum256(b)
	return h[:]
}

// summarize writes the first three filled values as "Label: value", for
// lists that show an approval in one line.
func summarize(controls []flow.Control, form flow.Form) string {
	var parts []string
	for _, f := range form {
		c := controlOf(controls, f.Key)
		if c == nil {
			continue
		}
		val := ""
		switch {
		case f.Text != nil:
			val = *f.Text
		case f.Number != nil:
			val = f.Number.String()
			if c.Currency != "" {
				val += " " + c.Currency
			}
		case f.Date != nil:
			val = *f.Date
		case f.DateRange != nil:
			val = f.DateRange.Start.Format("2006-01-02 15:04") + " ~ " + f.DateRange.End.Format("2006-01-02 15:04")
		case len(f.OptionKeys) > 0:
			val = optionLabels(*c, f.OptionKeys)
		default:
			continue
		}
		parts = append(parts, c.Label+": "+val)
		if len(parts) == 3 {
			break
		}
	}
	out := strings.Join(parts, "; ")
	if r := []rune(out); len(r) > 200 {
		out = string(r[:199]) + "…"
	}
	return out
}

func controlOf(cs []flow.Control, key string) *flow.Control {
	for i := range cs {
		if cs[i].Key == key {
			return &cs[i]
		}
	}
	return nil
}

func optionLabels(c flow.Control, keys []string) string {
	var out []string
	for _, k := range keys {
		for _, o := range c.Options {
			if o.Key == k {
				out = append(out, o.Label)
			}
		}
	}
	return strings.Join(out, ", ")
}

func dedupe(ids []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
