package guardmeta

import (
	"reflect"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/caps"
)

func TestRoundTrip(t *testing.T) {
	r := Record{Version: 1, Stage: "dev", MonthlyBudgetUSD: 10, SpendBurnRate: 1, RunawayBurnRate: 5, KillSwitch: true, Alarms: 8, AlarmMetrics: 14,
		OwnCost: []Line{{Item: "alarms", USD: 1.4}}, OwnMonthlyUSD: 1.4, Caps: &caps.Caps{MonthlyQuota: 100, RateLimit: 1.5, BurstLimit: 3, ReservedConcurrency: 1}}
	got, err := Parse(r.Map())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, r) {
		t.Errorf("round trip\n got %+v\nwant %+v", got, r)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		v    any
		want string
	}{
		{"newer version", map[string]any{"version": 2}, "guard metadata version: 2 is not supported"},
		{"not an object", []byte(`[1]`), "guard metadata: json"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Parse(tt.v); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse() error = %v, want %q", err, tt.want)
			}
		})
	}
}
