package gqlws

import (
	"bufio"
	"bytes"
	"io"
	"net"
	"net/http"
)

// Buffer sizes of a connection. net/http hands a hijacked connection 4 KiB
// for reading and 4 KiB for writing; graphql-transport-ws messages are
// mostly a few hundred bytes, and a larger one only costs more system
// calls. With 10,000 idle subscriptions, those 6.5 KiB are a sixth of each.
const (
	readBuffer  = 512
	writeBuffer = 1 << 10
)

// smallBuffers hijacks with smaller buffers than net/http's.
type smallBuffers struct{ http.ResponseWriter }

func (w smallBuffers) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	size := readBuffer
	var r io.Reader = conn
	n := brw.Reader.Buffered()
	if n > 0 {
		// What the client sent right behind its upgrade request stays
		// buffered, where websocket.Accept looks for it.
		early, _ := brw.Reader.Peek(n)
		r = io.MultiReader(bytes.NewReader(bytes.Clone(early)), conn)
		size = max(size, n)
	}
	br := bufio.NewReaderSize(r, size)
	if n > 0 {
		if _, err := br.Peek(n); err != nil {
			conn.Close()
			return nil, nil, err
		}
	}
	return conn, bufio.NewReadWriter(br, bufio.NewWriterSize(conn, writeBuffer)), nil
}

// Unwrap lets http.ResponseController reach the original writer.
func (w smallBuffers) Unwrap() http.ResponseWriter { return w.ResponseWriter }
