package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"
)

// ServeHTTP makes the server an http.Handler for the HTTP and SageMaker
// faces. The body is read up to the configured limit; a longer body is 413
// without reading the rest.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if s.cfg.RequestTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.cfg.RequestTimeout)
		defer cancel()
	}
	reqID := r.Header.Get("X-Request-Id")
	if reqID == "" {
		reqID = r.Header.Get("X-Amzn-Trace-Id")
	}
	if reqID == "" {
		reqID = newRequestID()
	}
	req := Request{Method: r.Method, Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"), RequestID: reqID}
	if r.Method == http.MethodPost {
		if r.ContentLength > s.cfg.MaxBodyBytes {
			req.BodyTooLarge = true
		} else {
			body, err := io.ReadAll(io.LimitReader(r.Body, s.cfg.MaxBodyBytes+1))
			switch {
			case err != nil:
				s.writeHTTP(w, reqID, (&apiError{http.StatusBadRequest, "reading the request body failed", "body"}).response())
				return
			case int64(len(body)) > s.cfg.MaxBodyBytes:
				req.BodyTooLarge = true
			default:
				req.Body = body
			}
		}
	}
	resp := s.Handle(ctx, req)
	if req.BodyTooLarge {
		// Do not read the rest of an oversized body; close the connection.
		w.Header().Set("Connection", "close")
	}
	s.writeHTTP(w, reqID, resp)
}

func (s *Server) writeHTTP(w http.ResponseWriter, reqID string, resp Response) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(resp.Body)))
	h.Set("X-Request-Id", reqID)
	w.WriteHeader(resp.Status)
	_, _ = w.Write(resp.Body)
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Serve serves the HTTP or SageMaker face on ln until ctx is
// cancelled, then shuts down gracefully (in-flight requests get 10 s).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	srv := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := srv.Shutdown(sctx)
		if e := <-errc; e != nil && !errors.Is(e, http.ErrServerClosed) {
			return e
		}
		return err
	}
}
