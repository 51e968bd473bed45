package stacks

import (
	"fmt"
	"strings"

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
	p.Prices = s.Prices
	if s.KillSwitch {
		// The kill switch's logs follow the stage's retention; its history
		// also stays in the state parameter.
		// Its code is built for the stage's architecture, so it runs on it.
		p.KillSwitch = &guard.KillSwitchOptions{Code: killSwitchCode, Architecture: s.Architecture, LogRetention: retentionDays[s.LogRetentionDays]}
	}
	return p
}

// withPrices returns the stage priced from imported AWS Price List files
// when they price its region; a region with neither imported nor built-in
// prices is an error that says how to import them. An
// environment-agnostic stage keeps the built-in us-east-1 tables (the
// report says so).
func (s Stage) withPrices(imported *pricing.PriceList) (Stage, error) {
	if s.Region == "" {
		return s, nil
	}
	if p, ok := imported.ForRegion(s.Region); ok {
		s.Prices = &p
		return s, nil
	}
	if _, err := pricing.ForRegion(s.Region); err != nil {
		return s, fmt.Errorf("stage %s: Region: %q has no built-in prices (built in: %s); import its prices from AWS Price List files with -c %s=FILE[,FILE] (costguard prices fetch --region %s writes them)",
			s.Name, s.Region, strings.Join(pricing.Regions(), ", "), PricesFileContextKey, s.Region)
	}
	return s, nil
}
