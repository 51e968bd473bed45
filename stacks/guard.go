package stacks

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/cost/pricing"
)

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
		p.KillSwitch = &guard.KillSwitchOptions{Code: killSwitchCode, Architecture: s.Architecture, LogRetention: retentionDays[s.LogRetentionDays]}
	}
	return p
}
