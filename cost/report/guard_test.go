package report

import (
	"reflect"
	"regexp"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/assembly"
	"github.com/costguard-ml/costguard/cost/guardmeta"
	"github.com/costguard-ml/costguard/cost/workload"
)

func TestParseGuardErrors(t *testing.T) {
	for _, tt := range []struct {
		name string
		v    any
		want string
	}{
		{"newer version", map[string]any{"version": 2}, "guard metadata version: 2 is not supported (want 1 to 1)"},
		{"no version", map[string]any{"stage": "dev"}, "guard metadata version: 0 is not supported"},
		{"not an object", []any{1}, "guard metadata: json: cannot unmarshal array"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := parseGuard(tt.v); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("parseGuard() error = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestBuildRejectsABadGuardRecord(t *testing.T) {
	s := assembly.Stack{Name: "s", Template: assembly.Template{
		Metadata:  map[string]any{GuardMetadataKey: map[string]any{"version": 9}},
		Resources: map[string]assembly.Resource{},
	}}
	if _, err := Build([]assembly.Stack{s}, Options{}); err == nil || !strings.Contains(err.Error(), "stack s: guard metadata version: 9") {
		t.Errorf("Build() error = %v, want the stack and the version", err)
	}
}

func TestAppliedCaps(t *testing.T) {
	lambda := func(reserved any) assembly.Resource {
		return assembly.Resource{Type: "AWS::Lambda::Function", Properties: map[string]any{"ReservedConcurrentExecutions": reserved},
			Metadata: map[string]any{"costguard:workload": map[string]any{"version": 1.0, "tier": "lambda", "lambda": map[string]any{"memoryMiB": 512.0}}}}
	}
	for _, tt := range []struct {
		name string
		res  map[string]assembly.Resource
		want *Caps
	}{
		{"none", map[string]assembly.Resource{"Topic": {Type: "AWS::SNS::Topic"}}, nil},
		{"rest stage, usage plan, function", map[string]assembly.Resource{
			"Plan": {Type: "AWS::ApiGateway::UsagePlan", Properties: map[string]any{"Quota": map[string]any{"Limit": 1000.0, "Period": "MONTH"}}},
			"Stage": {Type: "AWS::ApiGateway::Stage", Properties: map[string]any{"MethodSettings": []any{
				map[string]any{"HttpMethod": "GET", "ResourcePath": "/~1health", "ThrottlingRateLimit": 99.0},
				map[string]any{"HttpMethod": "*", "ResourcePath": "/*", "ThrottlingRateLimit": 2.5, "ThrottlingBurstLimit": 5.0},
			}}},
			"Fn": lambda(3.0),
		}, &Caps{MonthlyQuota: 1000, RateLimit: 2.5, BurstLimit: 5, ReservedConcurrency: 3}},
		{"http stage", map[string]assembly.Resource{
			"Stage": {Type: "AWS::ApiGatewayV2::Stage", Properties: map[string]any{"DefaultRouteSettings": map[string]any{"ThrottlingRateLimit": 7.0, "ThrottlingBurstLimit": 14.0}}},
		}, &Caps{RateLimit: 7, BurstLimit: 14}},
		{"daily quota and token values are not monthly caps", map[string]assembly.Resource{
			"Plan": {Type: "AWS::ApiGateway::UsagePlan", Properties: map[string]any{"Quota": map[string]any{"Limit": 10.0, "Period": "DAY"}}},
			"Fn":   lambda(map[string]any{"Ref": "Reserved"}),
		}, nil},
		{"a function without a workload record is not the inference function", map[string]assembly.Resource{
			"KillSwitch": {Type: "AWS::Lambda::Function", Properties: map[string]any{"ReservedConcurrentExecutions": 1.0}},
		}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := appliedCaps(assembly.Template{Resources: tt.res}); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("appliedCaps() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestDiffSummarisesPlacementReasons(t *testing.T) {
	res := func(reason string, tasks float64) Resource {
		return Resource{LogicalID: "Svc", Type: "AWS::ECS::Service", Workload: &workload.Workload{Version: 1, Tier: workload.TierFargate,
			Fargate: &workload.Fargate{CPU: 1024, MemoryMiB: 2048, MinTasks: 1, AvgTasks: tasks}, Placement: []string{reason, "not lambda: needs a GPU"}}}
	}
	got := changes(res("fargate is the cheapest at $10.00", 1), res("fargate is the cheapest at $12.00", 2))
	want := []string{"fargate.avgTasks: 1 → 2", "placement reasons changed"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("changes() = %q, want %q", got, want)
	}
}

// The guard writes fractional numbers as decimal strings (template-level
// Metadata may not hold fractions); the report reads them as numbers, and
// reads text fields as text even when they look like numbers.
func TestParseGuardDecimalStrings(t *testing.T) {
	g, err := parseGuard(map[string]any{
		"version": 1, "stage": "1.5", "monthlyBudgetUSD": 10, "spendBurnRate": "1.5", "killSwitch": true,
		"ownCost":       []any{map[string]any{"item": "2.5", "usd": "1.7"}},
		"ownMonthlyUSD": "5.7",
		"caps":          map[string]any{"costPerRequestUSD": "0.000003966668", "rateLimit": "9.72", "monthlyQuota": 2521007},
	})
	if err != nil {
		t.Fatal(err)
	}
	if g.Stage != "1.5" || g.SpendBurnRate != 1.5 || g.OwnMonthlyUSD != 5.7 || g.OwnCost[0].Item != "2.5" || g.OwnCost[0].USD != 1.7 ||
		g.Caps == nil || g.Caps.RateLimit != 9.72 || g.Caps.CostPerRequestUSD != 0.000003966668 || g.Caps.MonthlyQuota != 2521007 {
		t.Errorf("parsed %+v caps %+v", g, g.Caps)
	}
}

// TestCapsSayDerivedOrSet checks that the report says, per cap, whether
// the template's value came from the budget (the record's CapsDerived) or
// from the stage, in text and Markdown.
func TestCapsSayDerivedOrSet(t *testing.T) {
	g := Guard{
		Record: guardmeta.Record{Stage: "staging", MonthlyBudgetUSD: 50,
			Caps:        &Caps{CostPerRequestUSD: 0.00001, MonthlyQuota: 3_756_439, RateLimit: 14.49, BurstLimit: 29, ReservedConcurrency: 3},
			CapsDerived: []string{guardmeta.CapRate, guardmeta.CapBurst}},
		Applied: &Caps{MonthlyQuota: 1_000_000, RateLimit: 14.49, BurstLimit: 29, ReservedConcurrency: 10},
	}
	var text, md strings.Builder
	writeGuardText(&text, &g)
	writeGuardMarkdown(&md, &g)
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`usage plan monthly quota +3,756,439 requests +1,000,000 requests +set\n`),
		regexp.MustCompile(`stage throttle rate +14.49 requests/s +14.49 requests/s +derived\n`),
		regexp.MustCompile(`stage throttle burst +29 requests +29 requests +derived\n`),
		regexp.MustCompile(`reserved concurrency +3 +10 +set\n`),
	} {
		if !want.MatchString(text.String()) {
			t.Errorf("text report does not match %s:\n%s", want, text.String())
		}
	}
	if !strings.Contains(md.String(), "| stage throttle rate | 14.49 requests/s | 14.49 requests/s | derived |") {
		t.Errorf("markdown report:\n%s", md.String())
	}
}
