package events_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/corpline/corpline/internal/apperr"
	"github.com/corpline/corpline/internal/events"
)

func TestCheckTypesNamesTheArgumentOfAnUnknownType(t *testing.T) {
	_, err := events.CheckTypes("eventTypes", []string{"member.created", "member.exploded"})
	var ae *apperr.Error
	if !errors.As(err, &ae) || ae.Code != apperr.BadUserInput || ae.Field != "eventTypes" {
		t.Fatalf("got %v, want BAD_USER_INPUT on eventTypes", err)
	}
	got, err := events.CheckTypes("eventTypes", []string{"member.moved", "member.created", "member.moved"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{"member.moved", "member.created"}) {
		t.Fatalf("got %v, want repeats dropped in order", got)
	}
}

func TestCatalogNamesAreUnique(t *testing.T) {
	seen := map[events.Type]bool{}
	for _, d := range events.Catalog {
		if seen[d.Name] || d.Description == "" {
			t.Fatalf("catalog entry %q repeated or undescribed", d.Name)
		}
		seen[d.Name] = true
	}
}
