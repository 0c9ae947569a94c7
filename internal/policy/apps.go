package policy

import (
	"context"

	"github.com/corpline/corpline/ent"
	"github.com/corpline/corpline/ent/app"
	"github.com/corpline/corpline/ent/predicate"
	"github.com/corpline/corpline/ent/privacy"
	"github.com/corpline/corpline/ent/tag"
	"github.com/corpline/corpline/internal/viewer"
)

// VisibleApps is the predicate of the apps v may see: all of them for
// operators and admins holding MANAGE_APPS, an app itself for an app, and
// for other members the apps whose visible range includes them.
func VisibleApps(v *viewer.Viewer) predicate.App {
	switch {
	case v.Kind == viewer.KindOperator, v.Kind == viewer.KindMember && v.Admin.Can(viewer.RightManageApps):
		return nil
	case v.Kind == viewer.KindApp:
		return app.ID(v.AppID)
	case v.Kind == viewer.KindMember:
		return predicate.App(AudienceIncludes(app.FieldVisibleRange, v.Facts()))
	}
	return app.IDIn()
}

// FilterVisibleApps applies VisibleApps to every app query.
func FilterVisibleApps() privacy.QueryRule {
	return privacy.AppQueryRuleFunc(func(ctx context.Context, q *ent.AppQuery) error {
		if p := VisibleApps(viewer.FromContext(ctx)); p != nil {
			q.Where(p)
		}
		return privacy.Skip
	})
}

// VisibleTags is the predicate of the tags v may see: every tag of the
// enterprise for members (their member lists are cut by member visibility),
// and for an app only the tags its range names, unless it reaches everyone.
func VisibleTags(v *viewer.Viewer) predicate.Tag {
	if v.Kind != viewer.KindApp || v.SeesWholeDirectory() {
		return nil
	}
	if v.Range == nil {
		return tag.IDIn()
	}
	return tag.IDIn(v.Range.TagIDs...)
}

// FilterVisibleTags applies VisibleTags to every tag query.
func FilterVisibleTags() privacy.QueryRule {
	return privacy.TagQueryRuleFunc(func(ctx context.Context, q *ent.TagQuery) error {
		if p := VisibleTags(viewer.FromContext(ctx)); p != nil {
			q.Where(p)
		}
		return privacy.Skip
	})
}
