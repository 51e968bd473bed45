package sizing

import (
	"strings"
	"testing"
	"time"
)

func TestRightSizeTimeout(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		name    string
		p       LatencyProfile
		limit   time.Duration
		want    time.Duration
		wantErr string
	}{
		{name: "small model rounds up to one second", p: LatencyProfile{P99: 40 * ms, Init: 120 * ms}, limit: 29 * time.Second, want: time.Second},
		{name: "headroom applied then rounded up", p: LatencyProfile{P99: 2 * time.Second, Init: 700 * ms}, limit: 29 * time.Second, want: 5 * time.Second},
		{name: "custom headroom", p: LatencyProfile{P99: 2 * time.Second, Init: 0, Headroom: 3}, limit: 29 * time.Second, want: 6 * time.Second},
		{name: "capped at the front door", p: LatencyProfile{P99: 20 * time.Second, Init: time.Second}, limit: 29 * time.Second, want: 29 * time.Second},
		{name: "http api limit", p: LatencyProfile{P99: 25 * time.Second}, limit: 30 * time.Second, want: 30 * time.Second},
		{name: "no front door uses lambda maximum", p: LatencyProfile{P99: 500 * time.Second, Init: 10 * time.Second}, limit: 0, want: 765 * time.Second},
		{name: "does not fit behind rest", p: LatencyProfile{P99: 28 * time.Second, Init: 2 * time.Second}, limit: 29 * time.Second, wantErr: "p99+init: 30s exceeds the 29s the caller waits"},
		{name: "p99 required", p: LatencyProfile{}, limit: 29 * time.Second, wantErr: "p99: 0s is not positive"},
		{name: "negative init", p: LatencyProfile{P99: ms, Init: -ms}, wantErr: "init: -1ms is negative"},
		{name: "headroom below one", p: LatencyProfile{P99: ms, Headroom: 0.5}, wantErr: "headroom: 0.5 is not a finite number of at least 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := RightSizeTimeout(tc.p, tc.limit)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("RightSizeTimeout() error = %v, want it to contain %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("RightSizeTimeout() error = %v", err)
			}
			if got != tc.want {
				t.Errorf("RightSizeTimeout() = %v, want %v", got, tc.want)
			}
		})
	}
}
