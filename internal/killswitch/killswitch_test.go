package killswitch_test

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/costguard-ml/costguard/internal/killswitch"
	"github.com/costguard-ml/costguard/internal/killswitch/fakeaws"
)

const (
	topic = "arn:aws:sns:us-east-1:123456789012:costguard-dev"
	param = "/costguard/dev/killswitch"
)

// setup returns a switch built exactly as cmd/killswitch builds it, its
// SDK clients pointed at the fake.
func setup(t *testing.T, functions map[string]*int32, targets ...string) (*fakeaws.Server, *killswitch.Switch) {
	t.Helper()
	f, cfg := fakeaws.New(t, functions)
	ts, _ := json.Marshal(lambdaTargets(targets...))
	env := map[string]string{
		killswitch.EnvStage:          "dev",
		killswitch.EnvStateParameter: param,
		killswitch.EnvTopicARN:       topic,
		killswitch.EnvTargets:        string(ts),
	}
	c, err := killswitch.ConfigFromEnv(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	s := killswitch.New(c, cfg)
	s.Now = func() time.Time { return time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC) }
	// The construct deploys the parameter with the initial state.
	init, _ := json.Marshal(killswitch.InitialState("dev"))
	f.Params[param] = string(init)
	return f, s
}

func lambdaTargets(names ...string) []killswitch.Target {
	var ts []killswitch.Target
	for _, n := range names {
		ts = append(ts, killswitch.Target{Kind: killswitch.KindLambda, Name: n})
	}
	return ts
}

func state(t *testing.T, f *fakeaws.Server) killswitch.State {
	t.Helper()
	var s killswitch.State
	if err := json.Unmarshal([]byte(f.Params[param]), &s); err != nil {
		t.Fatalf("state parameter %q: %v", f.Params[param], err)
	}
	return s
}

func alarmEvent(name, newState string) json.RawMessage {
	msg, _ := json.Marshal(map[string]string{
		"AlarmName": name, "NewStateValue": newState,
		"NewStateReason": "Threshold Crossed: 1 datapoint [412.5] was greater than the threshold (100.0).",
	})
	ev, _ := json.Marshal(map[string]any{"Records": []any{map[string]any{
		"EventSource": "aws:sns",
		"Sns":         map[string]any{"TopicArn": "arn:aws:sns:us-east-1:123456789012:trigger", "Subject": `ALARM: "` + name + `"`, "Message": string(msg)},
	}}})
	return ev
}

func budgetEvent() json.RawMessage {
	ev, _ := json.Marshal(map[string]any{"Records": []any{map[string]any{
		"EventSource": "aws:sns",
		"Sns": map[string]any{"Subject": "AWS Budgets: costguard-dev has exceeded your alert threshold",
			"Message": "AWS Budget Notification November 27, 2026\nAWS Account 123456789012\n\nBudget Name: costguard-dev\nAlert Type: ACTUAL\nAlert Threshold: > $10.00\nACTUAL Amount: $10.42\n"},
	}}})
	return ev
}

func TestTripAndRestore(t *testing.T) {
	tests := []struct {
		name        string
		before      *int32
		wantRestore string
	}{
		{"reserved concurrency 10", fakeaws.Int32(10), "PutFunctionConcurrency infer-dev 10"},
		{"no reserved concurrency", nil, "DeleteFunctionConcurrency infer-dev"},
		{"reserved concurrency 0 already", fakeaws.Int32(0), "PutFunctionConcurrency infer-dev 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			f, s := setup(t, map[string]*int32{"infer-dev": tt.before, "other": fakeaws.Int32(5)}, "infer-dev")

			// GIVEN the dollar alarm entering ALARM, WHEN the handler runs
			r, err := s.Handle(ctx, alarmEvent("costguard-dev-RunawaySpend", "ALARM"))
			if err != nil {
				t.Fatal(err)
			}
			// THEN it records, then sets 0 on the guarded function only.
			// Record (reserved and provisioned concurrency, scalable
			// targets), then stop in the order Lambda accepts.
			look := []string{"DescribeScalableTargets lambda ", "ListProvisionedConcurrencyConfigs infer-dev", "GetFunctionConcurrency infer-dev"}
			wantCalls := append([]string{"GetParameter " + param, "GetFunctionConcurrency infer-dev", "ListProvisionedConcurrencyConfigs infer-dev",
				"DescribeScalableTargets lambda ", "PutParameter " + param}, look...)
			if tt.before == nil || *tt.before != 0 {
				// Record, stop, log the event, notify, mark the notice sent.
				wantCalls = append(wantCalls, "PutFunctionConcurrency infer-dev 0", "PutParameter "+param, "Publish "+topic, "PutParameter "+param)
			}
			if got := f.Calls(); !reflect.DeepEqual(got, wantCalls) {
				t.Errorf("calls:\n got %q\nwant %q", got, wantCalls)
			}
			if rc := f.Reserved["infer-dev"]; rc == nil || *rc != 0 {
				t.Errorf("infer-dev reserved concurrency = %v, want 0", rc)
			}
			if rc := f.Reserved["other"]; *rc != 5 {
				t.Errorf("other function touched: %d", *rc)
			}
			st := state(t, f)
			rec, ok := st.Stopped["lambda:infer-dev"]
			if !ok {
				t.Fatalf("no record in %+v", st)
			}
			var prev killswitch.LambdaPrevious
			json.Unmarshal(rec.Previous, &prev)
			if !reflect.DeepEqual(prev.ReservedConcurrency, tt.before) {
				t.Errorf("recorded previous %v, want %v", prev.ReservedConcurrency, tt.before)
			}
			if !strings.Contains(rec.Reason, "alarm costguard-dev-RunawaySpend") {
				t.Errorf("recorded reason %q", rec.Reason)
			}
			if tt.before == nil || *tt.before != 0 {
				if len(f.Published) != 1 || !strings.Contains(f.Published[0].Subject, "costguard dev: kill switch tripped") ||
					!strings.Contains(f.Published[0].Message, "costguard restore --stage dev") {
					t.Errorf("published %+v", f.Published)
				}
				if len(r.Changes) != 1 {
					t.Errorf("report %+v", r)
				}
			}

			// WHEN the budget's 100 % notification arrives too (idempotence)
			f.ResetCalls()
			published := len(f.Published)
			if _, err := s.Handle(ctx, budgetEvent()); err != nil {
				t.Fatal(err)
			}
			// THEN nothing is set, the first record is kept, nobody is told twice.
			if got, want := f.Calls(), append([]string{"GetParameter " + param}, look...); !reflect.DeepEqual(got, want) {
				t.Errorf("second trip calls:\n got %q\nwant %q", got, want)
			}
			if got := state(t, f).Stopped["lambda:infer-dev"]; string(got.Previous) != string(rec.Previous) {
				t.Errorf("second trip rewrote the record: %s, was %s", got.Previous, rec.Previous)
			}
			if len(f.Published) != published {
				t.Errorf("second trip notified again")
			}

			// WHEN restored (the CLI and the schedule call the same code)
			f.ResetCalls()
			r, err = s.Handle(ctx, json.RawMessage(`{"action":"restore","reason":"scheduled monthly restore"}`))
			if err != nil {
				t.Fatal(err)
			}
			// THEN exactly the previous setting is back, and the record is gone.
			wantCalls = []string{"GetParameter " + param, tt.wantRestore, "PutParameter " + param, "Publish " + topic}
			if got := f.Calls(); !reflect.DeepEqual(got, wantCalls) {
				t.Errorf("restore calls:\n got %q\nwant %q", got, wantCalls)
			}
			if !reflect.DeepEqual(f.Reserved["infer-dev"], tt.before) {
				t.Errorf("after restore reserved = %v, want %v", f.Reserved["infer-dev"], tt.before)
			}
			st = state(t, f)
			if st.Tripped() {
				t.Errorf("state still tripped: %+v", st)
			}
			if n := len(st.History); n == 0 || st.History[n-1].Action != "restore" || st.History[n-1].Reason != "scheduled monthly restore" {
				t.Errorf("history %+v", st.History)
			}

			// WHEN restored again, THEN nothing happens.
			f.ResetCalls()
			if r, err = s.Restore(ctx, "again"); err != nil || len(r.Changes) != 0 {
				t.Errorf("second restore: %+v, %v", r, err)
			}
			if got := f.Calls(); !reflect.DeepEqual(got, []string{"GetParameter " + param}) {
				t.Errorf("second restore calls %q", got)
			}
		})
	}
}

func TestIgnoredEvents(t *testing.T) {
	tests := []struct {
		name  string
		event json.RawMessage
	}{
		{"alarm back to OK", alarmEvent("costguard-dev-RunawaySpend", "OK")},
		{"insufficient data", alarmEvent("costguard-dev-RunawaySpend", "INSUFFICIENT_DATA")},
		{"status command", json.RawMessage(`{"action":"status"}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, s := setup(t, map[string]*int32{"infer-dev": fakeaws.Int32(10)}, "infer-dev")
			if _, err := s.Handle(context.Background(), tt.event); err != nil {
				t.Fatal(err)
			}
			for _, c := range f.Calls() {
				if !strings.HasPrefix(c, "Get") {
					t.Errorf("ignored event made a change: %s", c)
				}
			}
		})
	}
}

func TestBadEvents(t *testing.T) {
	tests := []struct {
		name, event, want string
	}{
		{"unknown action", `{"action":"explode"}`, `command action: "explode" is not one of trip, restore, status`},
		{"not an event", `[1,2]`, "event is neither an SNS delivery nor a command"},
		{"wrong source", `{"Records":[{"EventSource":"aws:sqs"}]}`, `event source "aws:sqs" is not aws:sns`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, s := setup(t, map[string]*int32{"infer-dev": fakeaws.Int32(10)}, "infer-dev")
			_, err := s.Handle(context.Background(), json.RawMessage(tt.event))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want %q", err, tt.want)
			}
		})
	}
}

// A failure after the record is saved keeps the original value: the retry
// (Lambda retries asynchronous invocations) finishes the trip and restore
// still puts back 10, not the 0 a naive retry would have recorded.
func TestTripRetryAfterFailure(t *testing.T) {
	ctx := context.Background()
	f, s := setup(t, map[string]*int32{"infer-dev": fakeaws.Int32(10), "infer-dev-2": nil}, "infer-dev", "infer-dev-2")
	f.FailPut = 1
	_, err := s.Trip(ctx, "runaway")
	if err == nil || !strings.Contains(err.Error(), "set concurrency of infer-dev to 0") || !strings.Contains(err.Error(), "injected failure") {
		t.Fatalf("error = %v", err)
	}
	// The second target was still stopped.
	if rc := f.Reserved["infer-dev-2"]; rc == nil || *rc != 0 {
		t.Errorf("infer-dev-2 = %v, want 0", rc)
	}
	if _, err := s.Trip(ctx, "runaway (retry)"); err != nil {
		t.Fatal(err)
	}
	if rc := f.Reserved["infer-dev"]; *rc != 0 {
		t.Errorf("infer-dev = %d after retry, want 0", *rc)
	}
	if _, err := s.Restore(ctx, "by hand"); err != nil {
		t.Fatal(err)
	}
	if rc := f.Reserved["infer-dev"]; rc == nil || *rc != 10 {
		t.Errorf("infer-dev restored to %v, want 10", rc)
	}
	if rc := f.Reserved["infer-dev-2"]; rc != nil {
		t.Errorf("infer-dev-2 restored to %d, want no reserved concurrency", *rc)
	}
}

func TestMissingFunction(t *testing.T) {
	f, s := setup(t, map[string]*int32{}, "gone")
	_, err := s.Trip(context.Background(), "runaway")
	if err == nil || !strings.Contains(err.Error(), "get concurrency of gone") || !strings.Contains(err.Error(), "ResourceNotFoundException") {
		t.Errorf("error = %v", err)
	}
	if state(t, f).Tripped() {
		t.Error("recorded a target it could not read")
	}
}

// A stage whose parameter does not exist (never deployed with the switch,
// or deleted) has nothing to restore.
func TestRestoreWithoutParameter(t *testing.T) {
	f, s := setup(t, map[string]*int32{"infer-dev": fakeaws.Int32(3)}, "infer-dev")
	delete(f.Params, param)
	r, err := s.Restore(context.Background(), "by hand")
	if err != nil || len(r.Changes) != 0 {
		t.Errorf("Restore() = %+v, %v", r, err)
	}
}

func TestHistoryIsBounded(t *testing.T) {
	ctx := context.Background()
	f, s := setup(t, map[string]*int32{"infer-dev": fakeaws.Int32(3)}, "infer-dev")
	for i := 0; i < 20; i++ {
		if _, err := s.Trip(ctx, strings.Repeat("x", 1000)); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Restore(ctx, "by hand"); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(f.Params[param]); n > 4096 {
		t.Errorf("state is %d bytes, over a standard parameter's 4 KB", n)
	}
}

func TestConfigFromEnv(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want []string
	}{
		{"nothing set", map[string]string{}, []string{"COSTGUARD_STAGE: not set", "COSTGUARD_TARGETS: not set"}},
		{"bad targets", map[string]string{"COSTGUARD_STAGE": "dev", "COSTGUARD_TARGETS": "infer-dev"}, []string{`COSTGUARD_TARGETS: "infer-dev" is not a JSON list`}},
		{"empty target", map[string]string{"COSTGUARD_STAGE": "dev", "COSTGUARD_TARGETS": `[{"kind":"lambda"}]`}, []string{`COSTGUARD_TARGETS[0]: kind "lambda" and name "" must both be set`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := killswitch.ConfigFromEnv(func(k string) string { return tt.env[k] })
			for _, w := range tt.want {
				if err == nil || !strings.Contains(err.Error(), w) {
					t.Errorf("error %v does not contain %q", err, w)
				}
			}
		})
	}
	c, err := killswitch.ConfigFromEnv(func(k string) string {
		return map[string]string{"COSTGUARD_STAGE": "prod", "COSTGUARD_TARGETS": `[{"kind":"lambda","name":"f"}]`}[k]
	})
	if err != nil || c.StateParameter != "/costguard/prod/killswitch" || c.Targets[0].ID() != "lambda:f" {
		t.Errorf("ConfigFromEnv = %+v, %v", c, err)
	}
}

// A notice that failed is sent by the retry of the same trip, once.
func TestTripNoticeRetried(t *testing.T) {
	ctx := context.Background()
	f, s := setup(t, map[string]*int32{"infer-dev": fakeaws.Int32(4)}, "infer-dev")
	f.FailPublish = 1
	if _, err := s.Trip(ctx, "runaway"); err == nil || !strings.Contains(err.Error(), "notify: ") {
		t.Fatalf("error = %v, want the failed notice", err)
	}
	if len(f.Published) != 0 {
		t.Fatalf("published %+v", f.Published)
	}
	if _, err := s.Trip(ctx, "runaway (retry)"); err != nil {
		t.Fatal(err)
	}
	if len(f.Published) != 1 || !strings.Contains(f.Published[0].Message, "Why: runaway\n") {
		t.Fatalf("published %+v, want the first trip's notice", f.Published)
	}
	if _, err := s.Trip(ctx, "budget"); err != nil {
		t.Fatal(err)
	}
	if len(f.Published) != 1 {
		t.Errorf("notified %d times", len(f.Published))
	}
}
