package directory

import (
	"context"

	"github.com/corpline/corpline/internal/viewer"
)

// enterpriseOf is the enterprise of the request's viewer ("" without one, which matches nothing).
func enterpriseOf(ctx context.Context) string {
	if v := viewer.FromContext(ctx); v != nil {
		return v.EnterpriseID
	}
	return ""
}
