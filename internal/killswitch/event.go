package killswitch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// Actions a direct invocation (the scheduled restore, or an operator) may ask for.
const (
	ActionTrip    = "trip"
	ActionRestore = "restore"
	ActionStatus  = "status"
)

// Command is the event of a direct invocation, such as the monthly
// schedule's {"action":"restore","reason":"scheduled monthly restore"}.
type Command struct {
	Action string `json:"action"`
	Reason string `json:"reason,omitempty"`
}

type snsEvent struct {
	Records []struct {
		EventSource string `json:"EventSource"`
		SNS         struct {
			TopicArn string `json:"TopicArn"`
			Subject  string `json:"Subject"`
			Message  string `json:"Message"`
		} `json:"Sns"`
	} `json:"Records"`
}

// alarmMessage is the part of a CloudWatch alarm's SNS message read here.
type alarmMessage struct {
	AlarmName       string `json:"AlarmName"`
	NewStateValue   string `json:"NewStateValue"`
	NewStateReason  string `json:"NewStateReason"`
	StateChangeTime string `json:"StateChangeTime"`
}

// Handle runs the action an event asks for. Events are either SNS
// deliveries from the stage's trigger topic — a CloudWatch alarm entering
// ALARM, or the budget's notification (plain text, from AWS Budgets) — or a
// direct [Command].
func (s *Switch) Handle(ctx context.Context, event json.RawMessage) (Report, error) {
	var sns snsEvent
	if err := json.Unmarshal(event, &sns); err == nil && len(sns.Records) > 0 {
		var reasons []string
		for _, rec := range sns.Records {
			if rec.EventSource != "aws:sns" {
				return Report{}, fmt.Errorf("event source %q is not aws:sns", rec.EventSource)
			}
			if reason, ok := triggerReason(rec.SNS.Subject, rec.SNS.Message); ok {
				reasons = append(reasons, reason)
			}
		}
		if len(reasons) == 0 {
			return Report{Action: "ignore", Reason: "no alarm entered ALARM"}, nil
		}
		return s.Trip(ctx, strings.Join(reasons, "; "))
	}
	var c Command
	if err := json.Unmarshal(event, &c); err != nil {
		return Report{}, fmt.Errorf("event is neither an SNS delivery nor a command: %w", err)
	}
	switch c.Action {
	case ActionTrip:
		return s.Trip(ctx, orDefault(c.Reason, "tripped by hand"))
	case ActionRestore:
		return s.Restore(ctx, orDefault(c.Reason, "restored by hand"))
	case ActionStatus:
		st, err := s.Status(ctx)
		r := Report{Action: ActionStatus}
		for id := range st.Stopped {
			r.Unchanged = append(r.Unchanged, id)
		}
		return r, err
	}
	return Report{}, errors.New(`command action: "` + c.Action + `" is not one of trip, restore, status`)
}

// triggerReason explains one SNS message, and says whether it should trip
// the switch: an alarm only when it enters ALARM, anything else on the
// trigger topic (the budget's notification) always.
func triggerReason(subject, message string) (string, bool) {
	var a alarmMessage
	if err := json.Unmarshal([]byte(message), &a); err == nil && a.AlarmName != "" {
		if a.NewStateValue != "ALARM" {
			return "", false
		}
		return fmt.Sprintf("alarm %s: %s", a.AlarmName, a.NewStateReason), true
	}
	if subject == "" {
		subject = firstLine(message)
	}
	return "budget: " + subject, true
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return strings.TrimSpace(s[:i])
	}
	return s
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}
