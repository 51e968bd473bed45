package service

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/jsii-runtime-go"
	"github.com/costguard-ml/costguard/constructs/guard"
)

// attachGuard attaches the cost guard Guard asks for, under the service.
func (s *InferenceService) attachGuard(p InferenceServiceProps) {
	if p.Guard == nil {
		return
	}
	base := *p.Guard
	if base.MonthlyBudgetUSD == 0 {
		base.MonthlyBudgetUSD = p.MonthlyBudgetUSD
	}
	if base.Prices == nil {
		base.Prices = p.Prices
	}
	s.costs = guard.NewCostGuard(s, "CostGuard", s.GuardProps(base))
}

// GuardTier describes the built tier to the cost guard (its construct's
// GuardTier, with the placement's reasons in the workload record). Nil
// when the service reported problems (see Err).
func (s *InferenceService) GuardTier() *guard.Tier {
	if s.Err() != nil {
		return nil
	}
	var t *guard.Tier
	switch {
	case s.lambda != nil:
		t = s.lambda.GuardTier()
	case s.fargate != nil:
		t = s.fargate.GuardTier()
	default:
		t = s.endpoint.GuardTier()
	}
	t.Workload = s.workload
	return t
}

// GuardProps completes base, the stage's choices for its cost guard
// (stage, budget, subscribers, tags, alarms, kill switch), with the built
// tier: [InferenceService.GuardTier]. On sagemaker-serverless, which has
// no instances to hold, the kill switch is left out with a warning.
// InferenceService calls it for Guard; call it yourself (with Guard nil)
// to create the guard elsewhere, for example at the stack's root so that
// its logical ids stay put when a stage moves between tiers.
func (s *InferenceService) GuardProps(base guard.CostGuardProps) *guard.CostGuardProps {
	gp := base
	gp.Tier = s.GuardTier()
	if gp.Tier == nil {
		return &gp
	}
	if gp.KillSwitch != nil && len(gp.Tier.Targets) == 0 && len(gp.KillSwitch.Targets) == 0 {
		awscdk.Annotations_Of(s).AddWarningV2(jsii.String("costguard:no-kill-switch"), jsii.String(
			"tier "+string(s.decision.Tier)+" has nothing the kill switch can stop (no instances to hold at a minimum); "+
				"the kill switch is left out: spend is bounded by the endpoint's MaxConcurrency and the API's throttle, and the dollar alarms still notify"), nil)
		gp.KillSwitch = nil
	}
	return &gp
}

// GrantInvoke lets grantee invoke the model through the built tier's own
// GrantInvoke (Lambda: the alias; SageMaker: the endpoint; Fargate: POST
// /predict on the HTTP API). Nil when the service reported problems.
func (s *InferenceService) GrantInvoke(grantee awsiam.IGrantable) awsiam.Grant {
	switch {
	case s.Err() != nil:
		return nil
	case s.lambda != nil:
		return s.lambda.GrantInvoke(grantee)
	case s.fargate != nil:
		return s.fargate.GrantInvoke(grantee)
	}
	return s.endpoint.GrantInvoke(grantee)
}
