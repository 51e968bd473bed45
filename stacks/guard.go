package stacks

import (
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/inference"
	"github.com/costguard-ml/costguard/cost/pricing"
)

// guardProps are the cost guard's props for the stage's inference API:
// the stage's budget, alert e-mails and kill-switch choice, the budget
// scoped by the application and stage tags the stack puts on every
// resource, and everything else read from the inference construct.
func (s Stage) guardProps(api *inference.LambdaAPI, killSwitchCode awslambda.Code) *guard.CostGuardProps {
	p := s.stageGuardProps(killSwitchCode)
	p.Function = api.Function()
	p.Alias = api.Alias()
	p.Workload = api.Workload()
	p.Timeout = functionTimeout(api.Function())
	p.API = api
	p.FunctionLogGroup = api.FunctionLogGroup()
	return p
}

// stageGuardProps are what the stage decides of its guard, whatever the
// tier: budget, alert e-mails, the tags that scope the budget, the price
// region and the kill switch. A container tier's InferenceService fills
// in the rest.
func (s Stage) stageGuardProps(killSwitchCode awslambda.Code) *guard.CostGuardProps {
	p := &guard.CostGuardProps{
		Stage:              s.Name,
		MonthlyBudgetUSD:   s.MonthlyBudgetUSD,
		EmailSubscribers:   s.AlertEmails,
		BudgetThresholds:   s.BudgetThresholds,
		CostAllocationTags: map[string]string{"application": Application, "stage": s.Name},
	}
	if _, err := pricing.ForRegion(s.Region); err == nil {
		p.PriceRegion = s.Region
	}
	if s.KillSwitch {
		// The kill switch's logs follow the stage's retention; its history
		// also stays in the state parameter.
		// Its code is built for the stage's architecture, so it runs on it.
		p.KillSwitch = &guard.KillSwitchOptions{Code: killSwitchCode, Architecture: architecture(s.Architecture), LogRetention: retentionDays[s.LogRetentionDays]}
	}
	return p
}

// functionTimeout reads the timeout the inference construct settled on
// (explicit or right-sized) from its function's CloudFormation resource.
func functionTimeout(fn awslambda.IFunction) time.Duration {
	if cfn, ok := fn.Node().DefaultChild().(awslambda.CfnFunction); ok && cfn.Timeout() != nil {
		return time.Duration(*cfn.Timeout() * float64(time.Second))
	}
	return 0 // the guard reports the missing timeout
}
