package killswitch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
)

// Driver stops and restores one kind of resource: [LambdaDriver] (reserved
// concurrency 0), [ECSDriver] (a Fargate service at 0 tasks) and
// [SageMakerDriver] (an endpoint's variants at their minimum).
type Driver interface {
	// Current returns the setting Stop is about to change, as JSON that
	// Restore reads back.
	Current(ctx context.Context, name string) (json.RawMessage, error)
	// Stop makes the resource stop spending; it returns what it changed,
	// or "" when the resource was stopped already.
	Stop(ctx context.Context, name string) (string, error)
	// Restore puts back the setting Current returned.
	Restore(ctx context.Context, name string, previous json.RawMessage) (string, error)
}

// Target is one guarded resource.
type Target struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
}

// ID is the target's key in the recorded state.
func (t Target) ID() string { return t.Kind + ":" + t.Name }

// Notifier tells the stage's subscribers what the switch did.
type Notifier interface {
	Notify(ctx context.Context, subject, message string) error
}

// Switch trips and restores a stage's kill switch.
type Switch struct {
	Stage string
	// Targets are what a trip stops. Restore puts back what the state
	// recorded, whatever Targets says now.
	Targets []Target
	// Drivers handle each target kind.
	Drivers map[string]Driver
	Store   Store
	// Notifier may be nil (the restore command prints instead).
	Notifier Notifier
	// Now defaults to time.Now.
	Now func() time.Time
}

// Report is what one trip or restore did.
type Report struct {
	Action  string   `json:"action"`
	Reason  string   `json:"reason"`
	Changes []string `json:"changes"`
	// Unchanged lists targets that needed nothing (already stopped, or
	// nothing recorded to restore).
	Unchanged []string `json:"unchanged,omitempty"`
}

func (s *Switch) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

func (s *Switch) driver(kind string) (Driver, error) {
	d, ok := s.Drivers[kind]
	if !ok {
		kinds := make([]string, 0, len(s.Drivers))
		for k := range s.Drivers {
			kinds = append(kinds, k)
		}
		sort.Strings(kinds)
		return nil, fmt.Errorf("target kind %q has no driver (have %s)", kind, strings.Join(kinds, ", "))
	}
	return d, nil
}

// Trip stops every target. For each one it first records the current
// setting (unless a record exists from an earlier trip, which is kept),
// saves the state, then stops it. It goes on past a failing target and
// returns every error joined, so a retry finishes the job.
func (s *Switch) Trip(ctx context.Context, reason string) (Report, error) {
	reason = truncate(reason, maxReason)
	r := Report{Action: "trip", Reason: reason}
	st, err := s.Store.Load(ctx)
	if err != nil {
		return r, err
	}
	var errs []error
	for _, t := range s.Targets {
		d, err := s.driver(t.Kind)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if _, ok := st.Stopped[t.ID()]; !ok {
			prev, err := d.Current(ctx, t.Name)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			st.Stopped[t.ID()] = Record{Kind: t.Kind, Name: t.Name, Previous: prev, At: s.now(), Reason: reason}
			// Saved before the change: a crash after it still restores.
			if err := s.Store.Save(ctx, st); err != nil {
				errs = append(errs, err)
				continue
			}
		}
		change, err := d.Stop(ctx, t.Name)
		switch {
		case err != nil:
			errs = append(errs, err)
		case change == "":
			r.Unchanged = append(r.Unchanged, t.ID())
		default:
			r.Changes = append(r.Changes, change)
		}
	}
	if len(r.Changes) > 0 {
		st.addEvent(Event{At: s.now(), Action: "trip", Reason: reason, Changes: r.Changes})
		if err := s.Store.Save(ctx, st); err != nil {
			errs = append(errs, err)
		}
	}
	// Tell the topic about the latest trip unless it was told already: a
	// notice that failed is sent by the retry, which changes nothing else.
	if n := len(st.History); n > 0 && st.History[n-1].Action == "trip" && !st.History[n-1].Notified && st.Tripped() {
		last := st.History[n-1]
		if err := s.notify(ctx, "kill switch tripped", s.tripMessage(Report{Reason: last.Reason, Changes: last.Changes})); err != nil {
			errs = append(errs, err)
		} else if s.Notifier != nil {
			st.History[n-1].Notified = true
			if err := s.Store.Save(ctx, st); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return r, errors.Join(errs...)
}

// Restore puts back every recorded setting and clears its record. With
// nothing recorded it changes nothing and sends no notice.
func (s *Switch) Restore(ctx context.Context, reason string) (Report, error) {
	reason = truncate(reason, maxReason)
	r := Report{Action: "restore", Reason: reason}
	st, err := s.Store.Load(ctx)
	if err != nil {
		return r, err
	}
	ids := make([]string, 0, len(st.Stopped))
	for id := range st.Stopped {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var errs []error
	for _, id := range ids {
		rec := st.Stopped[id]
		d, err := s.driver(rec.Kind)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		change, err := d.Restore(ctx, rec.Name, rec.Previous)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		delete(st.Stopped, id)
		r.Changes = append(r.Changes, change)
	}
	if len(r.Changes) == 0 {
		return r, errors.Join(errs...)
	}
	st.addEvent(Event{At: s.now(), Action: "restore", Reason: reason, Changes: r.Changes})
	if err := s.Store.Save(ctx, st); err != nil {
		errs = append(errs, err)
	}
	msg := fmt.Sprintf("Stage %s is serving again (%s).\n\nRestored:\n  %s\n", s.Stage, reason, strings.Join(r.Changes, "\n  "))
	if err := s.notify(ctx, "kill switch restored", msg); err != nil {
		errs = append(errs, err)
	}
	return r, errors.Join(errs...)
}

// Status returns the recorded state.
func (s *Switch) Status(ctx context.Context) (State, error) { return s.Store.Load(ctx) }

func (s *Switch) tripMessage(r Report) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The cost guard stopped stage %s.\n\nWhy: %s\n\nChanged:\n  %s\n\n", s.Stage, r.Reason, strings.Join(r.Changes, "\n  "))
	fmt.Fprintf(&b, "Requests now fail with a throttle and cost nothing but API Gateway's request charge; provisioned concurrency, if any, was removed and its schedule suspended until restore.\n")
	fmt.Fprintf(&b, "The previous settings are recorded; put them back with:\n\n  costguard restore --stage %s\n\nor wait for the scheduled restore at the start of the month, if enabled.\n", s.Stage)
	return b.String()
}

func (s *Switch) notify(ctx context.Context, what, msg string) error {
	if s.Notifier == nil {
		return nil
	}
	// SNS subjects are at most 100 printable ASCII characters.
	subject := truncate(fmt.Sprintf("costguard %s: %s", s.Stage, what), 100)
	if err := s.Notifier.Notify(ctx, subject, msg); err != nil {
		return fmt.Errorf("notify: %w", err)
	}
	return nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	// Cut on a rune boundary.
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
