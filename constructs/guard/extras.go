package guard

import (
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"

	"github.com/costguard-ml/costguard/cost/estimate"
)

// LogRetentionMonths is how many months a log group of this app keeps its
// events, as the cost report reads the template (RetentionInDays ÷ 30;
// 12 months when the group never expires), for [Tier.Extras].
func LogRetentionMonths(g awslogs.ILogGroup) float64 {
	if g == nil {
		return 0
	}
	if cfn, ok := g.Node().DefaultChild().(awslogs.CfnLogGroup); ok {
		if d := cfn.RetentionInDays(); d != nil && *d > 0 {
			return *d / 30
		}
	}
	return estimate.NeverExpiresLogMonths
}
