package stacks

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/costguard-ml/costguard/cost/workload"
)

// An override sets one stage field from a context value (`cdk synth -c
// memoryMiB=2048`). Values arrive as strings from the command line.
type override struct {
	field string // the Stage field, for messages
	doc   string
	set   func(s *Stage, v string) error
}

func intField(dst func(*Stage) *int) func(*Stage, string) error {
	return func(s *Stage, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return errors.New("not an integer")
		}
		*dst(s) = n
		return nil
	}
}

func floatField(dst func(*Stage) *float64) func(*Stage, string) error {
	return func(s *Stage, v string) error {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return errors.New("not a number")
		}
		*dst(s) = f
		return nil
	}
}

func boolField(dst func(*Stage) *bool) func(*Stage, string) error {
	return func(s *Stage, v string) error {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return errors.New("not true or false")
		}
		*dst(s) = b
		return nil
	}
}

// Overrides are the context keys that override a stage's configuration,
// applied to every stage the app builds (combine with -c stage=NAME).
var overrides = map[string]override{
	"tier": {"Tier", "lambda, fargate, sagemaker-serverless, sagemaker-realtime or sagemaker-async", func(s *Stage, v string) error {
		if !slices.Contains(workload.Tiers, workload.Tier(v)) {
			return errors.New("not a tier")
		}
		s.Tier = workload.Tier(v)
		return nil
	}},
	"architecture": {"Architecture", "arm64 or x86_64", func(s *Stage, v string) error {
		if v != string(workload.ArchARM64) && v != string(workload.ArchX86_64) {
			return errors.New("not an architecture")
		}
		s.Architecture = workload.Architecture(v)
		return nil
	}},
	"modelDir": {"ModelDir", "a model directory with manifest.json and its ONNX file, absolute or relative to the app's directory", func(s *Stage, v string) error {
		if v == "" {
			return errors.New("empty")
		}
		s.ModelDir = v
		return nil
	}},
	"memoryMiB": {"MemoryMiB", "128 to 10240", intField(func(s *Stage) *int { return &s.MemoryMiB })},
	"timeoutSeconds": {"Timeout", "whole seconds; 0 right-sizes from the traffic", func(s *Stage, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil {
			return errors.New("not an integer")
		}
		s.Timeout = time.Duration(n) * time.Second
		return nil
	}},
	"frontDoor": {"FrontDoor", "rest or http", func(s *Stage, v string) error {
		s.FrontDoor = workload.FrontDoor(v)
		if s.FrontDoor == workload.FrontDoorHTTP {
			s.MonthlyQuota = 0 // HTTP APIs have no usage plan
		}
		return nil
	}},
	"reservedConcurrency":       {"ReservedConcurrency", "1 to 900", intField(func(s *Stage) *int { return &s.ReservedConcurrency })},
	"provisionedConcurrency":    {"ProvisionedConcurrency", "0 to the reserved concurrency", intField(func(s *Stage) *int { return &s.ProvisionedConcurrency })},
	"provisionedMaxConcurrency": {"ProvisionedMaxConcurrency", "0, or provisioned to reserved concurrency", intField(func(s *Stage) *int { return &s.ProvisionedMaxConcurrency })},
	"throttleRateLimit":         {"ThrottleRateLimit", "requests per second, above 0", floatField(func(s *Stage) *float64 { return &s.ThrottleRateLimit })},
	"throttleBurstLimit":        {"ThrottleBurstLimit", "requests, 1 to 5000", intField(func(s *Stage) *int { return &s.ThrottleBurstLimit })},
	"monthlyQuota":              {"MonthlyQuota", "requests per month per API key (REST)", intField(func(s *Stage) *int { return &s.MonthlyQuota })},
	"logRetentionDays":          {"LogRetentionDays", "a CloudWatch Logs retention (1, 3, 5, 7, 14, 30, …)", intField(func(s *Stage) *int { return &s.LogRetentionDays })},
	"region":                    {"Region", "an AWS region such as eu-west-1", func(s *Stage, v string) error { s.Region = v; return nil }},
	"logLevel":                  {"LogLevel", "debug, info, warn or error", func(s *Stage, v string) error { s.LogLevel = v; return nil }},
	"logFormat":                 {"LogFormat", "json or text", func(s *Stage, v string) error { s.LogFormat = v; return nil }},
	"tracing":                   {"Tracing", "true or false", boolField(func(s *Stage) *bool { return &s.Tracing })},
	"apiGatewayCloudWatchRole":  {"APIGatewayCloudWatchRole", "true or false", boolField(func(s *Stage) *bool { return &s.APIGatewayCloudWatchRole })},
	"killSwitch":                {"KillSwitch", "true or false", boolField(func(s *Stage) *bool { return &s.KillSwitch })},
	"monthlyBudgetUSD":          {"MonthlyBudgetUSD", "dollars", floatField(func(s *Stage) *float64 { return &s.MonthlyBudgetUSD })},
	"requestsPerMonth":          {"Traffic.RequestsPerMonth", "requests", floatField(func(s *Stage) *float64 { return &s.Traffic.RequestsPerMonth })},
}

// OverrideKeys lists the context keys that override stage fields, sorted.
func OverrideKeys() []string { return slices.Sorted(maps.Keys(overrides)) }

// ApplyOverrides returns s with the overrides applied; values may not be
// empty. Every bad value is reported, naming the context key and the field.
func ApplyOverrides(s Stage, values map[string]string) (Stage, error) {
	var errs []error
	for _, k := range slices.Sorted(maps.Keys(values)) {
		o, ok := overrides[k]
		if !ok {
			continue
		}
		if err := o.set(&s, strings.TrimSpace(values[k])); err != nil {
			errs = append(errs, fmt.Errorf("-c %s=%s: %s: %v (want %s)", k, values[k], o.field, err, o.doc))
		}
	}
	return s, errors.Join(errs...)
}
