package killswitch_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/internal/killswitch"
	"github.com/costguard-ml/costguard/internal/killswitch/fakeaws"
)

// The container tiers: an ECS service scaled to 0 tasks with its scalable
// target held at 0..0, a SageMaker endpoint's variants held at their
// minimum; restore puts back exactly the recorded counts and bounds.
func TestContainerTargets(t *testing.T) {
	ctx := context.Background()
	f, cfg := fakeaws.New(t, map[string]*int32{})
	f.Services["tiers/model"] = 3
	f.Services["tiers/other"] = 2
	f.Scalable["service/tiers/model"] = &fakeaws.ScalableTarget{Namespace: "ecs", Dimension: "ecs:service:DesiredCount", Min: 1, Max: 6}
	f.Scalable["endpoint/clf/variant/AllTraffic"] = &fakeaws.ScalableTarget{Namespace: "sagemaker", Dimension: "sagemaker:variant:DesiredInstanceCount", Min: 1, Max: 4}
	f.Scalable["endpoint/clf/variant/Canary"] = &fakeaws.ScalableTarget{Namespace: "sagemaker", Dimension: "sagemaker:variant:DesiredInstanceCount", Min: 0, Max: 2}
	f.Scalable["endpoint/other/variant/AllTraffic"] = &fakeaws.ScalableTarget{Namespace: "sagemaker", Dimension: "sagemaker:variant:DesiredInstanceCount", Min: 1, Max: 9}
	s := killswitch.New(killswitch.Config{Stage: "dev", StateParameter: "/costguard/dev/killswitch", Targets: []killswitch.Target{
		{Kind: killswitch.KindECSService, Name: "tiers/model"},
		{Kind: killswitch.KindSageMakerEndpoint, Name: "clf"},
	}}, cfg)

	r, err := s.Trip(ctx, "runaway")
	if err != nil {
		t.Fatal(err)
	}
	wantChanges := []string{
		"ecs tiers/model: scaling 1..6 -> 0..0, suspended, desired count 3 -> 0",
		"sagemaker endpoint/clf/variant/AllTraffic 1..4 -> 1..1, suspended, endpoint/clf/variant/Canary 0..2 -> 0..0, suspended",
	}
	if !reflect.DeepEqual(r.Changes, wantChanges) {
		t.Errorf("changes\n got %q\nwant %q", r.Changes, wantChanges)
	}
	if f.Services["tiers/model"] != 0 || f.Services["tiers/other"] != 2 {
		t.Errorf("services after the trip: %v", f.Services)
	}
	if b := f.Scalable["endpoint/other/variant/AllTraffic"]; b.Max != 9 {
		t.Error("the trip touched another endpoint")
	}
	// A scheduled action (a business-hours floor, say) must not lift a
	// held target: the trip suspended scheduled scaling.
	f.Scheduled = []fakeaws.ScheduledAction{{ResourceID: "service/tiers/model", Min: 2, Max: 6}, {ResourceID: "endpoint/clf/variant/AllTraffic", Min: 2, Max: 4}}
	f.RunScheduledActions()
	if b := f.Scalable["service/tiers/model"]; b.Min != 0 || b.Max != 0 || !b.ScheduledSuspended {
		t.Errorf("service target after a scheduled action: %+v, want held at 0..0", *b)
	}
	if b := f.Scalable["endpoint/clf/variant/AllTraffic"]; b.Min != 1 || b.Max != 1 || !b.ScheduledSuspended {
		t.Errorf("variant target after a scheduled action: %+v, want held at 1..1", *b)
	}
	f.Scheduled = nil
	var st killswitch.State
	json.Unmarshal([]byte(f.Params["/costguard/dev/killswitch"]), &st)
	if got := string(st.Stopped["ecs-service:tiers/model"].Previous); got != `{"desiredCount":3,"scaling":{"resourceId":"service/tiers/model","min":1,"max":6}}` {
		t.Errorf("recorded %s", got)
	}

	// Idempotent: a second trip changes nothing.
	f.ResetCalls()
	if r, err := s.Trip(ctx, "budget"); err != nil || len(r.Changes) != 0 {
		t.Errorf("second trip: %+v, %v", r, err)
	}
	for _, c := range f.Calls() {
		if strings.HasPrefix(c, "Register") || strings.HasPrefix(c, "Update") {
			t.Errorf("second trip made a change: %s", c)
		}
	}

	if _, err := s.Restore(ctx, "by hand"); err != nil {
		t.Fatal(err)
	}
	if f.Services["tiers/model"] != 3 {
		t.Errorf("desired count restored to %d, want 3", f.Services["tiers/model"])
	}
	for id, want := range map[string][2]int32{
		"service/tiers/model": {1, 6}, "endpoint/clf/variant/AllTraffic": {1, 4}, "endpoint/clf/variant/Canary": {0, 2},
	} {
		if b := f.Scalable[id]; b.Min != want[0] || b.Max != want[1] || b.ScheduledSuspended || b.DynamicInSuspended || b.DynamicOutSuspended {
			t.Errorf("%s restored to %+v, want %d..%d with scaling resumed", id, *b, want[0], want[1])
		}
	}
}

func TestContainerTargetErrors(t *testing.T) {
	tests := []struct {
		name   string
		target killswitch.Target
		want   string
	}{
		{"bad service name", killswitch.Target{Kind: killswitch.KindECSService, Name: "model"}, `ecs service "model" is not CLUSTER/SERVICE`},
		{"missing service", killswitch.Target{Kind: killswitch.KindECSService, Name: "tiers/gone"}, "describe ecs service tiers/gone: not found"},
		{"endpoint without scaling", killswitch.Target{Kind: killswitch.KindSageMakerEndpoint, Name: "bare"}, "endpoint bare: no variant has a scalable target"},
		{"unknown kind", killswitch.Target{Kind: "ec2", Name: "i-1"}, `target kind "ec2" has no driver (have ecs-service, lambda, sagemaker-endpoint)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, cfg := fakeaws.New(t, map[string]*int32{})
			s := killswitch.New(killswitch.Config{Stage: "dev", StateParameter: "/p", Targets: []killswitch.Target{tt.target}}, cfg)
			if _, err := s.Trip(context.Background(), "x"); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}
