package stacks

import (
	"cmp"
	"errors"
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/inference"
	"github.com/costguard-ml/costguard/constructs/service"
	"github.com/costguard-ml/costguard/cost/limits"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/validation"
)

// CostguardStackProps configures a [CostguardStack].
type CostguardStackProps struct {
	awscdk.StackProps
	// Stage is the environment's configuration. Default: the dev stage.
	Stage *Stage
	// Code is the model server's deployment package (see
	// inference.ModelServerCode).
	// Required.
	Code awslambda.Code
	// KillSwitchCode is the cost guard's kill-switch package (see
	// guard.KillSwitchCode). Required when the stage's KillSwitch is on.
	KillSwitchCode awslambda.Code
	// Image builds the model server image of a container tier (see
	// service.ModelServerImage). Required when the stage's Tier is one.
	Image service.ImageFunc
}

// CostguardStack is one environment's inference API.
type CostguardStack struct {
	awscdk.Stack
	// Inference is the Lambda tier with its front door (Service.Lambda()),
	// nil on another tier.
	Inference *inference.LambdaAPI
	// Guard is the stage's cost guard (budget, alarms, dashboard, kill
	// switch), on whichever tier serves the stage.
	Guard *guard.CostGuard
	// Service is the stage's tier, whichever it is.
	Service *service.InferenceService
	// Stage is the configuration the stack was built from, with the caps
	// it left at zero set to those its budget pays for.
	Stage Stage
	// CapsDerived names the caps taken from the budget (guardmeta.CapNames).
	CapsDerived []string

	err *validation.Error
}

// NewCostguardStack builds a stage's stack: the stage's tier through an
// InferenceService (Lambda unless the stage says otherwise), its cost
// guard, the cost metadata the CLI reads, tags on every resource and the
// outputs. The
// stack's environment comes from the stage unless props.Env is set.
func NewCostguardStack(scope constructs.Construct, id string, props *CostguardStackProps) *CostguardStack {
	var p CostguardStackProps
	if props != nil {
		p = *props
	}
	stage := Stages[0]
	if p.Stage != nil {
		stage = *p.Stage
	}
	sp := p.StackProps
	if sp.Env == nil {
		sp.Env = stage.env()
	}
	if sp.Description == nil {
		sp.Description = jsii.String("costguard: cost-guarded ML inference API, stage " + stage.Name)
	}
	stack := newCostedStack(scope, id, &sp, workload.Stack{
		Version: workload.SchemaVersion, Stage: stage.Name, Region: stage.Region, MonthlyBudgetUSD: stage.MonthlyBudgetUSD,
	}, stage.CostCenter)
	s := &CostguardStack{Stack: stack, Stage: stage}

	// Every tier is built by InferenceService. On Lambda the function and
	// its API are the service's default child, so their logical ids are
	// those of a LambdaAPI at "Inference" (what the stack built before).
	// The guard sits at the stack's root whatever the tier, so that the
	// budget, topics, kill-switch state and dollar alarms keep their
	// logical ids across a tier switch: CloudFormation updates them in
	// place instead of creating a second budget, parameter or alarm of the
	// same name (which it cannot) and deleting the first.
	// Caps the stage leaves at zero come from its budget (on Lambda).
	withCaps, derived, err := stage.withBudgetCaps()
	if s.err = validation.Report(stack, err); s.err != nil {
		return s
	}
	stage, s.Stage, s.CapsDerived = withCaps, withCaps, derived

	tier := stage.tier()
	if tier == workload.TierLambda {
		warnAccountConcurrency(stack, stage)
	}
	svcProps := stage.ServiceProps(tier, p.Image)
	svcProps.LambdaCode, svcProps.Guard = p.Code, nil
	s.Service = service.NewInferenceService(stack, "Inference", svcProps)
	if s.Service.Err() != nil {
		return s
	}
	s.Inference = s.Service.Lambda()
	gp := stage.stageGuardProps(p.KillSwitchCode)
	gp.CapsDerived = derived
	s.Guard = guard.NewCostGuard(stack, "CostGuard", s.Service.GuardProps(*gp))
	if s.Guard.Err() != nil {
		return s
	}
	s.addOutputs()
	return s
}

// addOutputs adds the API's URL and, on Lambda, the function, its alias
// and the API key.
func (s *CostguardStack) addOutputs() {
	out := func(id, desc string, v *string) {
		awscdk.NewCfnOutput(s.Stack, jsii.String(id), &awscdk.CfnOutputProps{Value: v, Description: jsii.String(desc)})
	}
	l := s.Inference
	if l == nil {
		out("ApiUrl", "Invoke URL of the API (POST predict)", s.Service.URL())
		out("Tier", "Where the model runs (placement's choice, or the stage's Tier)", jsii.String(string(s.Service.Tier())))
		return
	}
	out("ApiUrl", "Invoke URL of the API stage (POST predict, GET health)", l.URL())
	out("FunctionName", "Name of the model server function", l.Function().FunctionName())
	out("AliasArn", "ARN of the alias the API invokes", l.Alias().FunctionArn())
	if key := l.APIKey(); key != nil {
		out("ApiKeyId", "Id of the API key (aws apigateway get-api-key --include-value --api-key ID)", key.KeyId())
	}
}

// env is the stage's environment: nil when environment-agnostic, the
// region alone when no account is pinned.
func (s Stage) env() *awscdk.Environment {
	if s.Region == "" {
		return nil
	}
	env := &awscdk.Environment{Region: jsii.String(s.Region)}
	if s.Account != "" {
		env.Account = jsii.String(s.Account)
	}
	return env
}

// newCostedStack creates a stack of the application: tagged with the
// application, the stage and the cost center on every resource (the tags
// that scope the stage's budget), and carrying the stage's record that
// `costguard report` reads.
func newCostedStack(scope constructs.Construct, id string, props *awscdk.StackProps, record workload.Stack, costCenter string) awscdk.Stack {
	stack := awscdk.NewStack(scope, &id, props)
	for k, v := range map[string]string{"application": Application, "stage": record.Stage, "cost-center": costCenter} {
		awscdk.Tags_Of(stack).Add(jsii.String(k), jsii.String(v), nil)
	}
	stack.TemplateOptions().SetMetadata(&map[string]any{workload.StackMetadataKey: record.Map()})
	return stack
}

// Err returns the problems the stack's constructs reported (each also a
// CDK error annotation that fails synth), or nil.
func (s *CostguardStack) Err() error {
	errs := []error{s.err.AsError()}
	if s.Service != nil {
		errs = append(errs, s.Service.Err())
	}
	if s.Inference != nil {
		errs = append(errs, s.Inference.Err())
	}
	if s.Guard != nil {
		errs = append(errs, s.Guard.Err())
	}
	return errors.Join(errs...)
}

// warnAccountConcurrency warns when the stage's reservations would leave
// the account less unreserved concurrency than Lambda keeps, which fails
// the deployment (limits.LambdaUnreservedFloor).
func warnAccountConcurrency(stack awscdk.Stack, stage Stage) {
	limit := cmp.Or(stage.AccountConcurrencyLimit, limits.LambdaDefaultAccountConcurrency)
	reserved := stage.ReservedConcurrency
	if stage.KillSwitch {
		reserved++
	}
	if floor := limits.LambdaUnreservedFloor(limit); reserved > limit-floor {
		awscdk.Annotations_Of(stack).AddWarningV2(jsii.String("costguard:account-concurrency"), jsii.String(fmt.Sprintf(
			"stage %s reserves %d concurrent executions (the function's and the kill switch's), more than the %d an account with a quota of %d can reserve "+
				"(Lambda keeps %d unreserved): the deployment fails; raise the quota or check the account with: costguard preflight --stage %s",
			stage.Name, reserved, limit-floor, limit, floor, stage.Name)), nil)
	}
}
