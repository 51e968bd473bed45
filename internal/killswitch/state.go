package killswitch

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
	ssmtypes "github.com/aws/aws-sdk-go-v2/service/ssm/types"
)

// StateVersion is the version of [State] this package writes.
const StateVersion = 1

// maxHistory bounds the events kept, so the state stays well inside a
// standard parameter's 4 KB.
const maxHistory = 8

// maxReason bounds a recorded reason, in bytes.
const maxReason = 240

// State is what the kill switch recorded for a stage.
type State struct {
	Version int    `json:"version"`
	Stage   string `json:"stage"`
	// Stopped holds, by target id, what to put back on restore.
	Stopped map[string]Record `json:"stopped"`
	// History holds the latest trips and restores, oldest first.
	History []Event `json:"history,omitempty"`
}

// Record is one stopped resource and the setting it had before.
type Record struct {
	Kind string `json:"kind"`
	Name string `json:"name"`
	// Previous is the driver's record of the setting before the trip.
	Previous json.RawMessage `json:"previous"`
	At       time.Time       `json:"at"`
	Reason   string          `json:"reason"`
}

// Event is one trip or restore.
type Event struct {
	At      time.Time `json:"at"`
	Action  string    `json:"action"`
	Reason  string    `json:"reason"`
	Changes []string  `json:"changes,omitempty"`
	// Notified says the topic was told (trips only).
	Notified bool `json:"notified,omitempty"`
}

// Tripped reports whether any resource is recorded as stopped.
func (s State) Tripped() bool { return len(s.Stopped) > 0 }

func (s *State) addEvent(e Event) {
	s.History = append(s.History, e)
	if n := len(s.History); n > maxHistory {
		s.History = append([]Event(nil), s.History[n-maxHistory:]...)
	}
}

// InitialState is the state of a stage whose switch never tripped, as the
// construct writes it into the parameter at deploy time.
func InitialState(stage string) State {
	return State{Version: StateVersion, Stage: stage, Stopped: map[string]Record{}}
}

// Store loads and saves a stage's [State].
type Store interface {
	Load(ctx context.Context) (State, error)
	Save(ctx context.Context, s State) error
}

// SSMAPI is the part of the SSM client the store uses.
type SSMAPI interface {
	GetParameter(ctx context.Context, in *ssm.GetParameterInput, opts ...func(*ssm.Options)) (*ssm.GetParameterOutput, error)
	PutParameter(ctx context.Context, in *ssm.PutParameterInput, opts ...func(*ssm.Options)) (*ssm.PutParameterOutput, error)
}

// SSMStore keeps the state as JSON in one String parameter.
type SSMStore struct {
	Client SSMAPI
	// Name is the parameter's name, such as /costguard/dev/killswitch.
	Name string
	// Stage names the stage in a state that does not exist yet.
	Stage string
}

// DefaultParameterName is the state parameter of stage unless configured.
func DefaultParameterName(stage string) string { return "/costguard/" + stage + "/killswitch" }

// Load reads the state; a missing parameter is a switch that never tripped.
func (st SSMStore) Load(ctx context.Context) (State, error) {
	out, err := st.Client.GetParameter(ctx, &ssm.GetParameterInput{Name: aws.String(st.Name)})
	var nf *ssmtypes.ParameterNotFound
	if errors.As(err, &nf) {
		return InitialState(st.Stage), nil
	}
	if err != nil {
		return State{}, fmt.Errorf("load state %s: %w", st.Name, err)
	}
	var s State
	if err := json.Unmarshal([]byte(aws.ToString(out.Parameter.Value)), &s); err != nil {
		return State{}, fmt.Errorf("load state %s: %w", st.Name, err)
	}
	if s.Version > StateVersion {
		return State{}, fmt.Errorf("load state %s: version %d is newer than this build reads (%d)", st.Name, s.Version, StateVersion)
	}
	if s.Stopped == nil {
		s.Stopped = map[string]Record{}
	}
	if s.Stage == "" {
		s.Stage = st.Stage
	}
	s.Version = StateVersion
	return s, nil
}

// Save overwrites the parameter with s.
func (st SSMStore) Save(ctx context.Context, s State) error {
	b, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("save state %s: %w", st.Name, err)
	}
	_, err = st.Client.PutParameter(ctx, &ssm.PutParameterInput{
		Name:      aws.String(st.Name),
		Value:     aws.String(string(b)),
		Type:      ssmtypes.ParameterTypeString,
		Overwrite: aws.Bool(true),
	})
	if err != nil {
		return fmt.Errorf("save state %s: %w", st.Name, err)
	}
	return nil
}
