package workload

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseRoundTrip(t *testing.T) {
	w := Workload{Version: SchemaVersion, Tier: TierLambda, FrontDoor: FrontDoorREST,
		Traffic: Traffic{RequestsPerMonth: 1e6, AvgDurationMs: 40},
		Lambda:  &Lambda{MemoryMiB: 1024, Architecture: ArchARM64}}
	for name, v := range map[string]any{"map": w.Map(), "bytes": mustJSON(t, w), "raw": json.RawMessage(mustJSON(t, w))} {
		got, err := Parse(v)
		if err != nil || got.Lambda == nil || got.Lambda.MemoryMiB != 1024 || got.Traffic.RequestsPerMonth != 1e6 {
			t.Errorf("%s: Parse() = %+v, %v", name, got, err)
		}
	}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		w    Workload
		want string
	}{
		{name: "newer version", w: Workload{Version: 2, Tier: TierLambda, Lambda: &Lambda{}}, want: "workload version: 2 is not supported"},
		{name: "unknown tier", w: Workload{Version: 1, Tier: "ec2"}, want: `workload tier: "ec2" is not one of`},
		{name: "missing config", w: Workload{Version: 1, Tier: TierFargate}, want: `workload fargate: missing for tier "fargate"`},
		{name: "two configs", w: Workload{Version: 1, Tier: TierLambda, Lambda: &Lambda{}, Fargate: &Fargate{}}, want: "2 tier configurations set"},
		{name: "bad front door", w: Workload{Version: 1, Tier: TierLambda, Lambda: &Lambda{}, FrontDoor: "grpc"}, want: `frontDoor: "grpc"`},
		{name: "cold start rate", w: Workload{Version: 1, Tier: TierLambda, Lambda: &Lambda{}, Traffic: Traffic{ColdStartRate: 2}}, want: "coldStartRate: 2 is outside 0 to 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.w.Validate(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestParseStack(t *testing.T) {
	s, err := ParseStack(map[string]any{"version": 1, "stage": "prod", "region": "us-east-1", "monthlyBudgetUSD": 300})
	if err != nil || s.Stage != "prod" || s.MonthlyBudgetUSD != 300 {
		t.Errorf("ParseStack() = %+v, %v", s, err)
	}
	if _, err := ParseStack(map[string]any{"version": 0}); err == nil {
		t.Error("ParseStack accepted version 0")
	}
}
