package approval

import (
	"context"
	"fmt"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/approvaltemplate"
	"github.com/corpline/corpline/ent/approvaltemplateversion"
	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/approval/flow"
	"github.com/corpline/corpline/internal/audience"
	"github.com/corpline/corpline/internal/policy"
	"github.com/corpline/corpline/internal/viewer"
)

// TemplateInput is what createApprovalTemplate and updateApprovalTemplate take.
type TemplateInput struct {
	Name     string
	Icon     string
	Group    string
	Kind     string
	Audience audience.Audience
	Controls []flow.Control
	Flow     flow.Flow
}

func (in TemplateInput) validate() error {
	if in.Name == "" || len([]rune(in.Name)) > 100 {
		return apperr.Input("name", "a template needs a name of 1 to 100 characters")
	}
	if len(in.Icon) > 64 || len(in.Group) > 64 {
		return apperr.Input("group", "icon and group are at most 64 bytes")
	}
	if in.Audience.IsEmpty() {
		return apperr.Input("audience", "a template needs an audience")
	}
	if err := flow.ValidateControls("controls", in.Controls); err != nil {
		return err
	}
	return flow.ValidateFlow("flow", in.Flow, in.Controls)
}

// CreateTemplate creates a template with its first version. The ent policy
// decides who may (MANAGE_APPROVALS, inside their scope); the right is
// checked first so that a member without it learns nothing else.
func (s *Service) CreateTemplate(ctx context.Context, in TemplateInput) (*ent.ApprovalTemplate, error) {
	if err := policy.RequireRight(viewer.FromContext(ctx), viewer.RightManageApprovals); err != nil {
		return nil, err
	}
	if in.Kind == "" {
		in.Kind = KindGeneral
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	db := s.db(ctx)
	t, err := db.ApprovalTemplate.Create().
		SetName(in.Name).SetIcon(in.Icon).SetGroup(in.Group).SetKind(in.Kind).
		SetAudience(in.Audience.Normalize()).SetVersion(1).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("create template: %w", err)
	}
	return s.addVersion(ctx, t, in, 1)
}

// UpdateTemplate replaces a template's settings and adds a version with
// the new form and flow: approvals already submitted keep theirs.
func (s *Service) UpdateTemplate(ctx context.Context, id string, in TemplateInput) (*ent.ApprovalTemplate, error) {
	if err := policy.RequireRight(viewer.FromContext(ctx), viewer.RightManageApprovals); err != nil {
		return nil, err
	}
	t, err := s.db(ctx).ApprovalTemplate.Get(ctx, id)
	if err != nil {
		return nil, notFound(err, "approval template")
	}
	if t.ArchivedAt != nil {
		return nil, apperr.E(apperr.Conflict, "the template is archived")
	}
	if in.Kind == "" {
		in.Kind = t.Kind
	}
	if err := in.validate(); err != nil {
		return nil, err
	}
	next := t.Version + 1
	t, err = s.db(ctx).ApprovalTemplate.UpdateOne(t).
		SetName(in.Name).SetIcon(in.Icon).SetGroup(in.Group).SetKind(in.Kind).
		SetAudience(in.Audience.Normalize()).SetVersion(next).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("update template: %w", err)
	}
	return s.addVersion(ctx, t, in, next)
}

func (s *Service) addVersion(ctx context.Context, t *ent.ApprovalTemplate, in TemplateInput, n int) (*ent.ApprovalTemplate, error) {
	v, err := s.db(ctx).ApprovalTemplateVersion.Create().
		SetTemplateID(t.ID).SetVersion(n).SetControls(in.Controls).SetFlow(in.Flow).
		SetCreatedBy(viewer.FromContext(ctx).MemberID).
		Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("template version: %w", err)
	}
	return s.db(ctx).ApprovalTemplate.UpdateOne(t).SetCurrentVersionID(v.ID).Save(ctx)
}

// ArchiveTemplate stops a template taking new approvals; running ones go on.
func (s *Service) ArchiveTemplate(ctx context.Context, id string) (*ent.ApprovalTemplate, error) {
	if err := policy.RequireRight(viewer.FromContext(ctx), viewer.RightManageApprovals); err != nil {
		return nil, err
	}
	t, err := s.db(ctx).ApprovalTemplate.Get(ctx, id)
	if err != nil {
		return nil, notFound(err, "approval template")
	}
	if t.ArchivedAt != nil {
		return t, nil
	}
	return s.db(ctx).ApprovalTemplate.UpdateOne(t).SetArchivedAt(s.now(ctx)).Save(ctx)
}

// definition is what an approval runs by: a template version, or a kind's
// defaults.
type definition struct {
	templateID, versionID string
	kind, title           string
	controls              []flow.Control
	flow                  flow.Flow
}

// templateDefinition loads the current version of a template the viewer may
// apply with: one they see (their audience) that is not archived.
func (s *Service) templateDefinition(ctx context.Context, templateID string) (definition, error) {
	v := viewer.FromContext(ctx)
	db := s.db(ctx)
	t, err := db.ApprovalTemplate.Get(ctx, templateID)
	if err != nil {
		return definition{}, notFound(err, "approval template")
	}
	if !audience.Contains(t.Audience, v.Facts()) {
		// Admins see every template but apply only where they are audience.
		return definition{}, apperr.E(apperr.Forbidden, "you are not in this template's audience")
	}
	if t.ArchivedAt != nil {
		return definition{}, &apperr.Error{Code: apperr.Conflict, Field: "templateId", Message: "the template is archived"}
	}
	ver, err := db.ApprovalTemplateVersion.Query().
		Where(approvaltemplateversion.TemplateID(t.ID), approvaltemplateversion.Version(t.Version)).
		Only(ctx)
	if err != nil {
		return definition{}, fmt.Errorf("template version: %w", err)
	}
	return definition{templateID: t.ID, versionID: ver.ID, kind: t.Kind, title: t.Name,
		controls: ver.Controls, flow: ver.Flow}, nil
}

// kindDefinition finds what a built-in kind's approvals run by: the newest
// unarchived template of the kind the viewer may apply with, else the
// kind's defaults.
func (s *Service) kindDefinition(ctx context.Context, kind string) (definition, error) {
	spec, ok := s.kind(kind)
	if !ok {
		return definition{}, apperr.Input("kind", "unknown approval kind %q", kind)
	}
	t, err := s.db(ctx).ApprovalTemplate.Query().
		Where(approvaltemplate.Kind(kind), approvaltemplate.ArchivedAtIsNil()).
		Order(ent.Desc(approvaltemplate.FieldCreatedAt)).
		All(ctx)
	if err != nil {
		return definition{}, fmt.Errorf("kind template: %w", err)
	}
	facts := viewer.FromContext(ctx).Facts()
	for _, tp := range t {
		if audience.Contains(tp.Audience, facts) {
			return s.templateDefinition(ctx, tp.ID)
		}
	}
	return definition{kind: kind, title: spec.Title, controls: spec.DefaultControls, flow: spec.DefaultFlow}, nil
}

// notFound turns ent's not-found (which is also what a row the viewer may
// not see looks like) into NOT_FOUND naming what.
func notFound(err error, what string) error {
	if ent.IsNotFound(err) {
		return apperr.E(apperr.NotFound, "%s not found", what)
	}
	return err
}
