package killswitch

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	"github.com/aws/aws-sdk-go-v2/service/ssm"
)

// Environment variables the construct sets on the kill-switch function.
const (
	EnvStage          = "COSTGUARD_STAGE"
	EnvStateParameter = "COSTGUARD_STATE_PARAMETER"
	EnvTopicARN       = "COSTGUARD_TOPIC_ARN"
	EnvTargets        = "COSTGUARD_TARGETS"
)

// Config is the kill switch's configuration.
type Config struct {
	Stage          string
	StateParameter string
	// TopicARN is where notices go; empty sends none.
	TopicARN string
	Targets  []Target
}

// ConfigFromEnv reads the configuration the construct set, reporting every
// missing or malformed variable together.
func ConfigFromEnv(getenv func(string) string) (Config, error) {
	c := Config{
		Stage:          getenv(EnvStage),
		StateParameter: getenv(EnvStateParameter),
		TopicARN:       getenv(EnvTopicARN),
	}
	var errs []error
	if c.Stage == "" {
		errs = append(errs, fmt.Errorf("%s: not set", EnvStage))
	}
	if c.StateParameter == "" {
		c.StateParameter = DefaultParameterName(c.Stage)
	}
	if raw := getenv(EnvTargets); raw == "" {
		errs = append(errs, fmt.Errorf("%s: not set (want a JSON list of {\"kind\",\"name\"})", EnvTargets))
	} else if err := json.Unmarshal([]byte(raw), &c.Targets); err != nil {
		errs = append(errs, fmt.Errorf("%s: %q is not a JSON list of {\"kind\",\"name\"}: %v", EnvTargets, raw, err))
	}
	for i, t := range c.Targets {
		if t.Kind == "" || t.Name == "" {
			errs = append(errs, fmt.Errorf("%s[%d]: kind %q and name %q must both be set", EnvTargets, i, t.Kind, t.Name))
		}
	}
	return c, errors.Join(errs...)
}

// New builds the switch from c and an AWS configuration.
func New(c Config, cfg aws.Config) *Switch {
	s := &Switch{
		Stage:   c.Stage,
		Targets: c.Targets,
		Drivers: map[string]Driver{
			KindLambda:            LambdaDriver{Client: lambda.NewFromConfig(cfg), AutoScaling: applicationautoscaling.NewFromConfig(cfg)},
			KindECSService:        ECSDriver{ECS: ecs.NewFromConfig(cfg), AutoScaling: applicationautoscaling.NewFromConfig(cfg)},
			KindSageMakerEndpoint: SageMakerDriver{AutoScaling: applicationautoscaling.NewFromConfig(cfg)},
		},
		Store: SSMStore{Client: ssm.NewFromConfig(cfg), Name: c.StateParameter, Stage: c.Stage},
	}
	if c.TopicARN != "" {
		s.Notifier = SNSNotifier{Client: sns.NewFromConfig(cfg), TopicARN: c.TopicARN}
	}
	return s
}
