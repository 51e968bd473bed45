package cli

import (
	"fmt"
	"strings"

	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/limits"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
)

func init() {
	Register(Command{
		Name:    "estimate",
		Summary: "itemised monthly cost of one tier: lambda, fargate or sagemaker",
		Usage:   "costguard estimate lambda|fargate|sagemaker|api|workload [flags]  (costguard estimate TIER --help for flags)",
		Run:     runEstimate,
	})
}

var estimateTiers = map[string]func(Env, []string) error{
	"api":       runEstimateAPI,
	"lambda":    runEstimateLambda,
	"fargate":   runEstimateFargate,
	"sagemaker": runEstimateSageMaker,
	"workload":  runEstimateWorkload,
}

func runEstimate(env Env, args []string) error {
	if len(args) == 0 {
		return Usagef("missing tier: want one of api, fargate, lambda, sagemaker, workload")
	}
	if args[0] == "--help" || args[0] == "-h" || args[0] == "-help" {
		return &helpError{text: "usage: costguard estimate lambda|fargate|sagemaker|api|workload [flags]\n\nRun `costguard estimate TIER --help` for a tier's flags.\n"}
	}
	run, ok := estimateTiers[args[0]]
	if !ok {
		return Usagef("tier: %q is not one of api, fargate, lambda, sagemaker, workload", args[0])
	}
	err := run(env, args[1:])
	if ue, ok := err.(*UsageError); ok {
		return Usagef("%s: %s", args[0], ue.Msg)
	}
	return err
}

func runEstimateAPI(env Env, args []string) error {
	f := NewFlags("estimate api", "costguard estimate api --api rest|http --requests N [--payload-bytes B] [--json]")
	api := f.Choice("api", "", []string{"rest", "http"}, "API Gateway API type")
	requests := f.Float("requests", 0, 0, "requests in the month")
	payload := f.Float("payload-bytes", 0, 0, "average request size, for HTTP API 512 KB metering")
	region := regionFlag(f)
	format := outputFlags(f)
	f.Require("api", "requests")
	if err := f.ParseNoArgs(args); err != nil {
		return err
	}
	p, err := region.prices()
	if err != nil {
		return err
	}
	e, err := estimate.EstimateFrontDoor(estimate.FrontDoor(*api), *requests, *payload, p)
	if err != nil {
		return usageFromValidation(err)
	}
	return writeEstimate(env.Stdout, withMissing(e, p), format(), "")
}

// usageFromValidation turns an estimate's validation error (whose problems
// start with the flag's name) into a usage error naming the flag.
func usageFromValidation(err error) error {
	var parts []string
	for _, line := range strings.Split(err.Error(), "\n") {
		parts = append(parts, "--"+line)
	}
	return Usagef("%s", strings.Join(parts, "; "))
}

func runEstimateLambda(env Env, args []string) error {
	f := NewFlags("estimate lambda", "costguard estimate lambda --requests N --duration-ms D --memory-mb M [--arch x86_64|arm64] [--ephemeral-mb E] [--free-tier] [--provisioned C --provisioned-hours H --provisioned-requests R --provisioned-duration-ms D2] [--api none|rest|http] [--json]")
	requests := f.Float("requests", 0, 0, "requests in the month, provisioned ones included")
	duration := f.Float("duration-ms", 0, 0, "average duration of an on-demand request, in ms (billed in 1 ms steps)")
	memory := f.Int("memory-mb", 0, limits.LambdaMinMemoryMiB, limits.LambdaMaxMemoryMiB, "function memory, in MB")
	arch := f.Choice("arch", string(pricing.X86_64), []string{"x86_64", "arm64"}, "architecture")
	ephemeral := f.Int("ephemeral-mb", 512, limits.LambdaMinEphemeralMiB, limits.LambdaMaxEphemeralMiB, "ephemeral storage (/tmp), in MB; 512 is free")
	free := f.Bool("free-tier", false, "apply the monthly free tier (1M requests, 400,000 GB-s)")
	coldRate := f.Range("cold-start-rate", 0, 0, 1, "fraction of on-demand requests that start an environment")
	initMs := f.Float("init-ms", 0, 0, "billed init duration of a cold start, in ms")
	prov := f.Int("provisioned", 0, 0, 1_000_000, "provisioned concurrency while it is on")
	provHours := f.Range("provisioned-hours", 0, 0, pricing.HoursPerMonth, "hours a month provisioned concurrency is on")
	provReq := f.Float("provisioned-requests", 0, 0, "requests served while provisioned (part of --requests)")
	provDur := f.Float("provisioned-duration-ms", 0, 0, "average duration of those requests, in ms (default --duration-ms)")
	api := f.Choice("api", "none", []string{"none", "rest", "http"}, "API Gateway front door")
	payload := f.Float("payload-bytes", 0, 0, "average request size, for HTTP API 512 KB metering")
	xf := addExtrasFlags(f)
	region := regionFlag(f)
	format := outputFlags(f)
	f.Require("requests", "duration-ms", "memory-mb")
	if err := f.ParseNoArgs(args); err != nil {
		return err
	}
	p, err := region.prices()
	if err != nil {
		return err
	}
	e, err := estimate.EstimateLambda(estimate.Lambda{
		Requests: *requests, DurationMs: *duration, MemoryMiB: *memory, Arch: pricing.Arch(*arch),
		EphemeralMiB: *ephemeral, FreeTier: *free, ColdStartRate: *coldRate, InitDurationMs: *initMs,
		Provisioned: *prov, ProvisionedHours: *provHours, ProvisionedRequests: *provReq, ProvisionedDurationMs: *provDur,
		FrontDoor: estimate.FrontDoor(*api), PayloadBytes: *payload,
	}, p)
	if err != nil {
		return usageFromValidation(err)
	}
	if err := xf.merge(&e, *requests, estimate.Extras{}, p, *free); err != nil {
		return err
	}
	return writeEstimate(env.Stdout, withMissing(e, p), format(), "")
}

func runEstimateFargate(env Env, args []string) error {
	f := NewFlags("estimate fargate", "costguard estimate fargate --cpu UNITS --memory-mb M [--tasks N] [--hours H] [--arch x86_64|arm64] [--alb] [--nat-gateways N --nat-gb GB] [--api none|rest|http --requests N] [--json]")
	cpu := f.Int("cpu", 0, 256, 16384, "task CPU in ECS units (1024 = 1 vCPU): 256, 512, 1024, 2048, 4096, 8192 or 16384")
	memory := f.Int("memory-mb", 0, 512, limits.FargateMaxMemoryMiB, "task memory, in MiB, valid for --cpu")
	tasks := f.Float("tasks", 1, 0, "average number of running tasks")
	hours := f.Range("hours", pricing.HoursPerMonth, 0, pricing.HoursPerMonth, "hours the tasks run in the month")
	arch := f.Choice("arch", string(pricing.X86_64), []string{"x86_64", "arm64"}, "architecture")
	alb := f.Bool("alb", false, "add an Application Load Balancer")
	lcu := f.Float("alb-lcu", 0, 0, "average load balancer capacity units (default 1)")
	nat := f.Int("nat-gateways", 0, 0, 100, "NAT gateways for the tasks' egress, each with a public IPv4 address (constructs/fargate deploys 1)")
	natGB := f.Float("nat-gb", 0, 0, "GB a month through the NAT gateways")
	api := f.Choice("api", "none", []string{"none", "rest", "http"}, "API Gateway front door")
	requests := f.Float("requests", 0, 0, "requests in the month, for the front door")
	xf := addExtrasFlags(f)
	region := regionFlag(f)
	format := outputFlags(f)
	f.Require("cpu", "memory-mb")
	if err := f.ParseNoArgs(args); err != nil {
		return err
	}
	p, err := region.prices()
	if err != nil {
		return err
	}
	if !limits.FargateMemoryValid(*cpu, *memory) {
		return Usagef("--memory-mb: %d is not valid with --cpu %d (%s)", *memory, *cpu, estimate.FargateSizesHelp(*cpu))
	}
	e, err := estimate.EstimateFargate(estimate.Fargate{
		CPU: *cpu, MemoryMiB: *memory, Arch: pricing.Arch(*arch), Tasks: *tasks, Hours: *hours,
		ALB: *alb, ALBLCU: *lcu, NATGateways: *nat, NATDataGB: *natGB, FrontDoor: estimate.FrontDoor(*api), Requests: *requests,
	}, p)
	if err != nil {
		return usageFromValidation(err)
	}
	if err := xf.merge(&e, *requests, estimate.Extras{}, p, false); err != nil {
		return err
	}
	return writeEstimate(env.Stdout, withMissing(e, p), format(), "")
}

func runEstimateSageMaker(env Env, args []string) error {
	p0 := pricing.Default()
	f := NewFlags("estimate sagemaker", "costguard estimate sagemaker --mode serverless|realtime|async [--memory-mb M | --instance-type T --instances N] [--requests N --duration-ms D] [--payload-bytes B] [--json]")
	mode := f.Choice("mode", "", []string{"serverless", "realtime", "async"}, "inference mode")
	memory := f.Int("memory-mb", 0, 0, 6144, "serverless memory: 1024 to 6144 in steps of 1024")
	instance := f.Choice("instance-type", "", estimate.InstanceTypes(p0), "real-time or asynchronous instance type")
	instances := f.Float("instances", 0, 0, "average running instances (real-time at least 1; async 0 scales to zero)")
	hours := f.Range("hours", pricing.HoursPerMonth, 0, pricing.HoursPerMonth, "hours the instances run in the month")
	minInst := f.Float("min-instances", 0, 0, "async: instances kept when idle (0 scales in to zero)")
	cooldown := f.Range("scale-in-cooldown-min", estimate.DefaultScaleInCooldownMinutes, 0.01, 60*24, "async: idle minutes before an instance scales in")
	requests := f.Float("requests", 0, 0, "requests in the month")
	duration := f.Float("duration-ms", 0, 0, "average processing time of a request, in ms")
	payload := f.Float("payload-bytes", 0, 0, "average request size, for data processing charges")
	response := f.Float("response-bytes", 0, 0, "average response size (default --payload-bytes)")
	api := f.Choice("api", "none", []string{"none", "rest", "http"}, "API Gateway front door")
	xf := addExtrasFlags(f)
	region := regionFlag(f)
	format := outputFlags(f)
	f.Require("mode")
	if err := f.ParseNoArgs(args); err != nil {
		return err
	}
	p, err := region.prices()
	if err != nil {
		return err
	}
	switch {
	case *mode == "serverless" && !f.Set("memory-mb"):
		return Usagef("--memory-mb is required with --mode serverless (1024 to 6144 in steps of 1024)")
	case *mode != "serverless" && !f.Set("instance-type"):
		return Usagef("--instance-type is required with --mode %s (one of %s)", *mode, strings.Join(estimate.InstanceTypes(p), ", "))
	case *mode == "realtime" && !f.Set("instances"):
		*instances = 1
	}
	e, err := estimate.EstimateSageMaker(estimate.SageMaker{
		Mode: estimate.SageMakerMode(*mode), Requests: *requests, DurationMs: *duration, PayloadBytes: *payload,
		ResponseBytes: *response, MemoryMiB: *memory, InstanceType: *instance, Instances: *instances, Hours: *hours,
		MinInstances: *minInst, ScaleInCooldownMinutes: *cooldown,
		FrontDoor: estimate.FrontDoor(*api),
	}, p)
	if err != nil {
		return usageFromValidation(err)
	}
	if err := xf.merge(&e, *requests, estimate.Extras{}, p, false); err != nil {
		return err
	}
	return writeEstimate(env.Stdout, withMissing(e, p), format(), fmt.Sprintf("SageMaker %s", *mode))
}

func runEstimateWorkload(env Env, args []string) error {
	f := NewFlags("estimate workload", "costguard estimate workload RECORD.json|- [--free-tier] [--tracing] [--custom-metrics N] [--log-bytes B] [--access-log-bytes B] [--data-out-bytes B] [--json]\n\n"+
		"Prices a costguard:workload record (the JSON a construct attaches to its\n"+
		"compute resource) at the traffic it states, with what the stacks deploy\n"+
		"around it: the model server's 3 custom metrics, its log lines and the\n"+
		"API's access log (kept 30 days), half the payload sent back out; X-Ray\n"+
		"with --tracing.")
	free := f.Bool("free-tier", false, "apply the free tiers (Lambda, custom metrics, X-Ray, logs, data transfer)")
	xf := addExtrasFlags(f)
	region := regionFlag(f)
	format := outputFlags(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	if len(f.Args()) != 1 {
		return Usagef("want one workload record file (or - for stdin), got %d arguments", len(f.Args()))
	}
	data, err := readInput(env, f.Args()[0])
	if err != nil {
		return err
	}
	w, err := workload.Parse(data)
	if err != nil {
		return Usagef("%s: %v", f.Args()[0], err)
	}
	p, err := region.prices()
	if err != nil {
		return err
	}
	e, err := estimate.Workload(w, p, estimate.Options{FreeTier: *free})
	if err != nil {
		return Usagef("%s: %v", f.Args()[0], err)
	}
	if err := xf.merge(&e, w.Traffic.RequestsPerMonth, workloadExtras(w), p, *free); err != nil {
		return err
	}
	return writeEstimate(env.Stdout, withMissing(e, p), format(), "")
}
