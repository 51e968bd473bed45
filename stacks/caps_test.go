package stacks

import (
	"slices"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/cost/guardmeta"
	"github.com/costguard-ml/costguard/internal/cdktest"
)

// TestBudgetCapsApplied builds the staging stage twice: as the table has
// it (every cap set: the template keeps them, none derived), and with its
// throttle, quota and reserved concurrency left at zero (the template
// holds the caps its budget pays for, the guard's, and the record names
// them as derived).
func TestBudgetCapsApplied(t *testing.T) {
	build := func(t *testing.T, zero bool) (*CostguardStack, assertions.Template) {
		t.Helper()
		stage, err := LookupStage("staging")
		if err != nil {
			t.Fatal(err)
		}
		if zero {
			stage.ThrottleRateLimit, stage.ThrottleBurstLimit, stage.MonthlyQuota, stage.ReservedConcurrency = 0, 0, 0, 0
		}
		code, _ := stubCode(stage.Architecture)
		s := NewCostguardStack(cdktest.NewApp(t), stage.StackName(), &CostguardStackProps{Stage: &stage, Code: code})
		if err := s.Err(); err != nil {
			t.Fatal(err)
		}
		return s, assertions.Template_FromStack(s.Stack, nil)
	}
	record := func(t *testing.T, tpl assertions.Template) guardmeta.Record {
		t.Helper()
		r, err := guardmeta.Parse((*tpl.ToJSON())["Metadata"].(map[string]any)[guardmeta.MetadataKey])
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	expect := func(t *testing.T, tpl assertions.Template, quota int64, rate float64, burst, reserved int) {
		t.Helper()
		tpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{"ReservedConcurrentExecutions": reserved})
		tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Stage"), map[string]any{"MethodSettings": assertions.Match_ArrayWith(&[]any{
			assertions.Match_ObjectLike(&map[string]any{"HttpMethod": "*", "ResourcePath": "/*", "ThrottlingRateLimit": rate, "ThrottlingBurstLimit": burst}),
		})})
		tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::UsagePlan"), map[string]any{"Quota": map[string]any{"Limit": quota, "Period": "MONTH"}})
	}

	t.Run("caps the stage sets are kept", func(t *testing.T) {
		s, tpl := build(t, false)
		expect(t, tpl, 1_000_000, 10, 20, 10)
		if r := record(t, tpl); len(r.CapsDerived) != 0 || len(s.CapsDerived) != 0 {
			t.Errorf("caps derived %q (stack %q), want none", r.CapsDerived, s.CapsDerived)
		}
	})
	t.Run("caps left at zero come from the budget", func(t *testing.T) {
		s, tpl := build(t, true)
		c, ok := s.Guard.Caps()
		if !ok {
			t.Fatal("the guard derives no caps")
		}
		// Not the construct's defaults (1M, 10, 20, 10): the budget's.
		if c.MonthlyQuota == 1_000_000 || c.RateLimit == 10 || c.BurstLimit == 20 {
			t.Fatalf("caps %+v look like the construct's defaults", c)
		}
		expect(t, tpl, c.MonthlyQuota, c.RateLimit, c.BurstLimit, c.ReservedConcurrency)
		r := record(t, tpl)
		if !slices.Equal(r.CapsDerived, guardmeta.CapNames) || !slices.Equal(s.CapsDerived, guardmeta.CapNames) {
			t.Errorf("caps derived %q (stack %q), want %q", r.CapsDerived, s.CapsDerived, guardmeta.CapNames)
		}
		if r.Caps == nil || r.Caps.MonthlyQuota != c.MonthlyQuota || r.Caps.RateLimit != c.RateLimit || r.Caps.ReservedConcurrency != c.ReservedConcurrency {
			t.Errorf("record caps %+v, guard's %+v", r.Caps, c)
		}
		t.Logf("staging with zero caps: quota %d, rate %.2f req/s, burst %d, reserved %d (fixed $%.2f, $%.9f a request)",
			c.MonthlyQuota, c.RateLimit, c.BurstLimit, c.ReservedConcurrency, c.FixedMonthlyUSD, c.CostPerRequestUSD)
	})
	t.Run("a budget that pays for no caps is a one-line error", func(t *testing.T) {
		stage, _ := LookupStage("staging")
		stage.ReservedConcurrency, stage.MonthlyBudgetUSD = 0, 5
		if _, _, err := stage.withBudgetCaps(); err == nil || err.Error() != "stage staging: reservedConcurrency left at 0, but the $5 budget pays for no caps (it does not cover the stage's fixed costs, or Traffic has no AvgDurationMs): set them, or raise the budget" {
			t.Errorf("error %v", err)
		}
	})
}
