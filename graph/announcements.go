package graph

import (
	"github.com/corpline/corpline/graph/model"
	"github.com/corpline/corpline/internal/announcements"
)

func announcementsFilter(f *model.AnnouncementsFilter) announcements.Filter {
	if f == nil {
		return announcements.Filter{}
	}
	return announcements.Filter{Pinned: f.Pinned, Read: f.Read}
}

func createAnnouncementInput(in model.CreateAnnouncementInput) announcements.Input {
	return announcements.Input{Title: &in.Title, Body: &in.Body, Category: in.Category, Audience: in.Audience, Confidential: in.Confidential}
}

func updateAnnouncementInput(in model.UpdateAnnouncementInput) announcements.Input {
	return announcements.Input{Title: in.Title, Body: in.Body, Category: in.Category, Audience: in.Audience, Confidential: in.Confidential}
}
