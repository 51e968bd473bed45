package stacks

import (
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/inference"
	"github.com/costguard-ml/costguard/constructs/service"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/modelserver"
	"github.com/costguard-ml/costguard/lambda/model"
)

// StageContextKey is the context key that selects one stage (-c stage=NAME).
const StageContextKey = "stage"

// PricesFileContextKey is the context key that names AWS Price List files
// (-c pricesFile=FILE[,FILE]: the JSON of `aws pricing get-products` or
// offer files) that price the stages' regions.
const PricesFileContextKey = "pricesFile"

// AppOptions says which stacks [BuildApp] adds.
type AppOptions struct {
	// Root is the module root: a stage's relative ModelDir is resolved
	// against it (cdk runs the app there).
	Root string
	// Stage selects one stage by name; empty builds every stage.
	Stage string
	// Overrides are context values keyed by override key (see
	// [OverrideKeys]); other keys are ignored.
	Overrides map[string]string
	// Code, if set, replaces the model server build (tests that need no
	// real package). It is called once per Lambda-tier stack.
	Code func(workload.Architecture) (awslambda.Code, error)
	// KillSwitchCode, if set, replaces the cost guard's kill-switch build
	// (guard.KillSwitchCode). Default: Code when Code is set, else the
	// build by import path.
	KillSwitchCode func(workload.Architecture) (awslambda.Code, error)
	// PriceList holds prices imported from AWS Price List files (the
	// app's -c pricesFile=FILE[,FILE]): a stage whose region they price is
	// priced with them. Default: none (the built-in tables only).
	PriceList *pricing.PriceList
}

// BuildApp adds one stack per selected stage to scope. It reports every
// problem of every stage together, one per line, instead of stopping at
// the first: unknown stage, bad overrides, stage fields, a missing or
// broken model directory, and the constructs' validation.
func BuildApp(scope constructs.Construct, o AppOptions) ([]*CostguardStack, error) {
	names := StageNames()
	if o.Stage != "" {
		if _, err := LookupStage(o.Stage); err != nil {
			return nil, fmt.Errorf("-c %s=%s: %w", StageContextKey, o.Stage, err)
		}
		names = []string{o.Stage}
	}
	ksCode := o.KillSwitchCode
	if ksCode == nil && o.Code != nil {
		ksCode = o.Code
	}
	if ksCode == nil {
		ksCode = guard.KillSwitchCode
	}
	var built []*CostguardStack
	var errs []error
	for _, name := range names {
		stage, _ := LookupStage(name)
		stage, err := ApplyOverrides(stage, o.Overrides)
		if err != nil {
			errs = append(errs, prefixLines("stage "+name+": ", err))
			continue
		}
		if err := stage.Validate(); err != nil {
			errs = append(errs, err)
			continue
		}
		if stage, err = stage.withPrices(o.PriceList); err != nil {
			errs = append(errs, err)
			continue
		}
		// The model is checked whatever builds the code, as the server
		// checks it at its cold start: ModelServerCode and ModelServerImage
		// check it themselves, a caller's Code is checked here.
		modelDir := stage.modelDir(o.Root)
		if o.Code != nil && stage.onLambda() {
			if _, _, err := modelserver.CheckModelDir(modelDir); err != nil {
				errs = append(errs, prefixLines("stage "+name+": ", err))
				continue
			}
		}
		// A model measured with `costguard model check` sizes the stage.
		prof, err := model.ReadProfile(modelDir)
		if err == nil {
			stage, err = stage.withProfile(prof)
		}
		if err != nil {
			errs = append(errs, prefixLines("stage "+name+": ", err))
			continue
		}
		var c awslambda.Code
		var image service.ImageFunc
		if stage.onLambda() {
			if o.Code != nil {
				c, err = o.Code(stage.Architecture)
			} else {
				c, err = inference.ModelServerCode(modelDir, stage.Architecture)
			}
		} else {
			image, err = service.ModelServerImage(modelDir)
		}
		if err != nil {
			errs = append(errs, prefixLines("stage "+name+": ", err))
			continue
		}
		var ks awslambda.Code
		if stage.KillSwitch {
			if ks, err = ksCode(stage.Architecture); err != nil {
				errs = append(errs, prefixLines("stage "+name+": ", err))
				continue
			}
		}
		s, err := newStackChecked(scope, stage, c, ks, image)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		built = append(built, s)
	}
	return built, errors.Join(errs...)
}

// newStackChecked builds the stage's stack and returns the problems its
// constructs reported.
func newStackChecked(scope constructs.Construct, stage Stage, code, killSwitchCode awslambda.Code, image service.ImageFunc) (*CostguardStack, error) {
	s := NewCostguardStack(scope, stage.StackName(), &CostguardStackProps{Stage: &stage, Code: code, KillSwitchCode: killSwitchCode, Image: image})
	return s, s.Err()
}

func prefixLines(prefix string, err error) error {
	lines := strings.Split(err.Error(), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return errors.New(strings.Join(lines, "\n"))
}

// AddChecks applies the cdk-nag AWS Solutions rules to scope and
// everything in it; a finding without a suppression fails the synth.
func AddChecks(scope constructs.IConstruct) {
	awscdk.Aspects_Of(scope).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
}
