package stacks

import (
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/service"
	"github.com/costguard-ml/costguard/cost/guardmeta"
	"github.com/costguard-ml/costguard/cost/workload"
)

// zeroCaps names the caps a Lambda stage leaves at zero: the stage
// throttle's rate and burst, the REST usage plan's quota (an HTTP API has
// no usage plan) and the function's reserved concurrency.
func (s Stage) zeroCaps() []string {
	if !s.onLambda() {
		return nil
	}
	var names []string
	if s.MonthlyQuota == 0 && s.FrontDoor != workload.FrontDoorHTTP {
		names = append(names, guardmeta.CapQuota)
	}
	if s.ThrottleRateLimit == 0 {
		names = append(names, guardmeta.CapRate)
	}
	if s.ThrottleBurstLimit == 0 {
		names = append(names, guardmeta.CapBurst)
	}
	if s.ReservedConcurrency == 0 {
		names = append(names, guardmeta.CapReserved)
	}
	return names
}

// withBudgetCaps returns the stage with every cap it leaves at zero set to
// the cap its budget pays for, and the names of those caps. The caps are
// the cost guard's (guard.CostGuard.Caps: cost/caps over the guard's whole
// dollar model, INIT, logs, traces and fixed costs included), so they are
// computed in one place: the stage's tier and guard are built once in a
// scratch app, with placeholder code (nothing is bundled or synthesized),
// to read them, before the stack builds the tier with the values. The
// scratch tier takes the construct's defaults for the zero caps, which
// leave the guard's alarms, and so its own cost, as they will be.
func (s Stage) withBudgetCaps() (Stage, []string, error) {
	names := s.zeroCaps()
	if len(names) == 0 {
		return s, nil, nil
	}
	app := awscdk.NewApp(&awscdk.AppProps{Context: &map[string]interface{}{"aws:cdk:bundling-stacks": []string{}}})
	sp := &awscdk.StackProps{Env: s.env()}
	stack := awscdk.NewStack(app, jsii.String(s.StackName()), sp)
	props := s.ServiceProps(workload.TierLambda, nil)
	props.LambdaCode, props.Guard = awslambda.Code_FromCfnParameters(nil), nil
	svc := service.NewInferenceService(stack, "Inference", props)
	if err := svc.Err(); err != nil {
		return s, nil, fmt.Errorf("stage %s: deriving its caps from the budget: %w", s.Name, err)
	}
	g := guard.NewCostGuard(stack, "CostGuard", svc.GuardProps(*s.stageGuardProps(awslambda.Code_FromCfnParameters(nil))))
	if err := g.Err(); err != nil {
		return s, nil, fmt.Errorf("stage %s: deriving its caps from the budget: %w", s.Name, err)
	}
	c, ok := g.Caps()
	if !ok {
		return s, nil, fmt.Errorf("stage %s: %s left at 0, but the $%g budget pays for no caps (it does not cover the stage's fixed costs, or Traffic has no AvgDurationMs): set them, or raise the budget",
			s.Name, strings.Join(names, ", "), s.MonthlyBudgetUSD)
	}
	for _, n := range names {
		switch n {
		case guardmeta.CapQuota:
			s.MonthlyQuota = int(c.MonthlyQuota)
		case guardmeta.CapRate:
			s.ThrottleRateLimit = c.RateLimit
		case guardmeta.CapBurst:
			s.ThrottleBurstLimit = c.BurstLimit
		case guardmeta.CapReserved:
			s.ReservedConcurrency = c.ReservedConcurrency
		}
	}
	return s, names, nil
}
