// Package msgtype holds the shapes of a message that the database stores as
// JSON and the API shows: the body of each kind, and the report of a send.
// It imports nothing of the data layer, so the ent schema can carry it.
package msgtype

import (
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/corpline/corpline/internal/apperr"
)

// Kind is what a message carries.
type Kind string

const (
	Text     Kind = "TEXT"
	Markdown Kind = "MARKDOWN"
	Card     Kind = "CARD"
	News     Kind = "NEWS"
	File     Kind = "FILE"
	Image    Kind = "IMAGE"
)

// Kinds lists every kind, in the order the schema shows them.
var Kinds = []Kind{Text, Markdown, Card, News, File, Image}

// Values lists the kinds for ent's enum.
func (Kind) Values() []string {
	out := make([]string, len(Kinds))
	for i, k := range Kinds {
		out[i] = string(k)
	}
	return out
}

// Limits of a body. MaxBodyBytes counts the UTF-8 bytes of every text of
// the body together (texts, titles, descriptions, URLs, names): a body above
// it is refused whole, never truncated.
const (
	MaxBodyBytes = 16 * 1024
	MaxArticles  = 8
)

// Body is the content of a message: exactly the part its kind names is set.
type Body struct {
	Text     string         `json:"text,omitempty"`
	Markdown string         `json:"markdown,omitempty"`
	Card     *CardBody      `json:"card,omitempty"`
	Articles []ArticleBody  `json:"articles,omitempty"`
	File     *FileReference `json:"file,omitempty"`
}

// CardBody is a text card: a title, a description and a link with a button.
type CardBody struct {
	Title       string `json:"title"`
	Description string `json:"description"`
	URL         string `json:"url"`
	ButtonText  string `json:"buttonText,omitempty"`
}

// ArticleBody is one article of a news message.
type ArticleBody struct {
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	URL         string `json:"url"`
	PictureURL  string `json:"pictureUrl,omitempty"`
}

// FileReference points at a file or an image stored elsewhere: corpline
// carries the reference, not the bytes.
type FileReference struct {
	URL      string `json:"url"`
	Name     string `json:"name"`
	Size     int64  `json:"size,omitempty"`
	MimeType string `json:"mimeType,omitempty"`
}

// Check refuses a body that does not fit its kind or is too large.
func (b Body) Check(kind Kind) error {
	set := map[Kind]bool{
		Text:     b.Text != "",
		Markdown: b.Markdown != "",
		Card:     b.Card != nil,
		News:     len(b.Articles) > 0,
		File:     b.File != nil && kind == File,
		Image:    b.File != nil && kind == Image,
	}
	for k, on := range set {
		if on && k != kind {
			return apperr.Input("content", "a %s message carries only its own part of the content", kind)
		}
	}
	if !set[kind] {
		return apperr.Input("content", "a %s message needs its content", kind)
	}
	switch kind {
	case Text, Markdown:
		if strings.TrimSpace(b.Text+b.Markdown) == "" {
			return apperr.Input("content", "the text is blank")
		}
	case Card:
		c := b.Card
		if strings.TrimSpace(c.Title) == "" || strings.TrimSpace(c.Description) == "" {
			return apperr.Input("content.card", "a card needs a title and a description")
		}
		if err := checkURL("content.card.url", c.URL); err != nil {
			return err
		}
	case News:
		if len(b.Articles) > MaxArticles {
			return apperr.Input("content.articles", "a news message has at most %d articles", MaxArticles)
		}
		for _, a := range b.Articles {
			if strings.TrimSpace(a.Title) == "" {
				return apperr.Input("content.articles", "every article needs a title")
			}
			if err := checkURL("content.articles.url", a.URL); err != nil {
				return err
			}
			if a.PictureURL != "" {
				if err := checkURL("content.articles.pictureUrl", a.PictureURL); err != nil {
					return err
				}
			}
		}
	case File, Image:
		if strings.TrimSpace(b.File.Name) == "" {
			return apperr.Input("content.file.name", "a file needs a name")
		}
		if b.File.Size < 0 {
			return apperr.Input("content.file.size", "a file's size cannot be negative")
		}
		if err := checkURL("content.file.url", b.File.URL); err != nil {
			return err
		}
	}
	if n := b.size(); n > MaxBodyBytes {
		e := apperr.Input("content", "the content is %d bytes; the limit is %d", n, MaxBodyBytes)
		e.Extra = map[string]any{"limit": MaxBodyBytes, "size": n}
		return e
	}
	return nil
}

// size is the UTF-8 size of every text of b together.
func (b Body) size() int {
	n := len(b.Text) + len(b.Markdown)
	if c := b.Card; c != nil {
		n += len(c.Title) + len(c.Description) + len(c.URL) + len(c.ButtonText)
	}
	for _, a := range b.Articles {
		n += len(a.Title) + len(a.Description) + len(a.URL) + len(a.PictureURL)
	}
	if f := b.File; f != nil {
		n += len(f.URL) + len(f.Name) + len(f.MimeType)
	}
	return n
}

func checkURL(field, raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return apperr.Input(field, "%s must be an absolute http(s) URL", field)
	}
	return nil
}

// Report is what a send reached, kept with the message so that a retried
// send with the same idempotency key answers exactly the same.
type Report struct {
	RecipientCount    int      `json:"recipientCount"`
	UnknownTargets    []string `json:"unknownTargets,omitempty"`
	OutOfRangeTargets []string `json:"outOfRangeTargets,omitempty"`
}

// MarshalGQL writes k as a GraphQL enum value.
func (k Kind) MarshalGQL(w io.Writer) { io.WriteString(w, strconv.Quote(string(k))) }

// UnmarshalGQL reads k from a GraphQL enum value.
func (k *Kind) UnmarshalGQL(v any) error {
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("MessageKind must be a string")
	}
	*k = Kind(s)
	if !slices.Contains(Kinds, *k) {
		return fmt.Errorf("%q is not a valid MessageKind", s)
	}
	return nil
}
