package killswitch_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"github.com/costguard-ml/costguard/internal/killswitch/fakeaws"
)

// TestTripWithProvisionedConcurrency trips and restores a function whose
// alias has provisioned concurrency managed by a scheduled window (the
// prod stage's shape). Lambda refuses a reserved concurrency below the
// allocated provisioned concurrency, and the fake refuses it too, so the
// trip must first hold the scalable target at 0..0 with its scheduled
// scaling suspended and remove the provisioned concurrency; the window's
// next scheduled action must then change nothing; restore must put back
// reserved concurrency, provisioned concurrency, bounds and suspended state.
func TestTripWithProvisionedConcurrency(t *testing.T) {
	const id = "function:infer-dev:live"
	tests := []struct {
		name string
		// inWindow: the trip lands while the window is open (PC allocated)
		// or after it closed (PC 0, the next scale-up scheduled).
		inWindow bool
	}{
		{"inside the provisioned-concurrency window", true},
		{"outside the window, before the next scheduled scale-up", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			f, s := setup(t, map[string]*int32{"infer-dev": fakeaws.Int32(10)}, "infer-dev")
			f.Scheduled = []fakeaws.ScheduledAction{{ResourceID: id, Min: 4, Max: 4}}
			target := &fakeaws.ScalableTarget{Namespace: "lambda", Dimension: "lambda:function:ProvisionedConcurrency"}
			if tt.inWindow {
				target.Min, target.Max = 4, 4
				f.Provisioned["infer-dev"] = map[string]int32{"live": 4}
			}
			f.Scalable[id] = target
			before := *target

			// WHEN the dollar alarm trips the switch
			if _, err := s.Handle(ctx, alarmEvent("costguard-dev-RunawaySpend", "ALARM")); err != nil {
				t.Fatalf("trip: %v", err)
			}
			// THEN nothing runs: no provisioned concurrency, reserved 0.
			if rc := f.Reserved["infer-dev"]; rc == nil || *rc != 0 {
				t.Errorf("reserved concurrency %v, want 0", rc)
			}
			if len(f.Provisioned["infer-dev"]) != 0 {
				t.Errorf("provisioned concurrency left: %v", f.Provisioned["infer-dev"])
			}
			if !target.ScheduledSuspended || target.Min != 0 || target.Max != 0 {
				t.Errorf("scalable target after trip = %+v, want 0..0 with scheduled scaling suspended", *target)
			}

			// WHEN the window's scheduled scale-up comes
			f.RunScheduledActions()
			// THEN it neither fails nor starts billing again.
			if len(f.ScalingFailures) > 0 || len(f.Provisioned["infer-dev"]) != 0 {
				t.Errorf("after the scheduled action: failures %q, provisioned %v", f.ScalingFailures, f.Provisioned["infer-dev"])
			}

			// WHEN restored
			if _, err := s.Restore(ctx, "by hand"); err != nil {
				t.Fatalf("restore: %v", err)
			}
			// THEN exactly what was there is back.
			if rc := f.Reserved["infer-dev"]; rc == nil || *rc != 10 {
				t.Errorf("reserved concurrency %v, want 10", rc)
			}
			want := map[string]int32{}
			if tt.inWindow {
				want["live"] = 4
			}
			if got := f.Provisioned["infer-dev"]; len(got)+len(want) > 0 && !reflect.DeepEqual(got, want) {
				t.Errorf("provisioned concurrency %v, want %v", got, want)
			}
			if *target != before {
				t.Errorf("scalable target %+v, want %+v", *target, before)
			}
			if len(f.ScalingFailures) > 0 {
				t.Errorf("scaling failures %q", f.ScalingFailures)
			}
			if st := state(t, f); st.Tripped() {
				b, _ := json.Marshal(st)
				t.Errorf("still tripped: %s", b)
			}
		})
	}
}
