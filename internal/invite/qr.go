package invite

import (
	"encoding/base64"
	"fmt"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/corpline/corpline/internal/apperr"
)

// QR code sizes accepted, in pixels.
const (
	MinQRSize = 64
	MaxQRSize = 1024
)

// QRCodePNG returns the QR code of link as a base64-encoded PNG of size x
// size pixels, with medium error correction (15%: survives a smudged print).
func QRCodePNG(link string, size int) (string, error) {
	if size < MinQRSize || size > MaxQRSize {
		return "", apperr.Input("size", "size must be between %d and %d pixels", MinQRSize, MaxQRSize)
	}
	png, err := qrcode.Encode(link, qrcode.Medium, size)
	if err != nil {
		return "", fmt.Errorf("qr code: %w", err)
	}
	return base64.StdEncoding.EncodeToString(png), nil
}
