package report

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/costguard-ml/costguard/cost/assembly"
	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/placement"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
)

// DefaultLogBytesPerRequest is the compute's log ingestion assumed per
// request (estimate.DefaultLogBytesPerRequest).
const DefaultLogBytesPerRequest = estimate.DefaultLogBytesPerRequest

// DefaultAccessLogBytes is the size of one access-log event of the
// largest format costguard's stages write (the inference construct's REST
// stage), as the report sizes it from the format: what `costguard estimate
// workload` assumes for a record with a front door. Its tests check it
// against the golden stacks.
const DefaultAccessLogBytes = 480

// LambdaPlatformLogBytes and ServerLogBytesPerRequest are the parts of
// DefaultLogBytesPerRequest (see package estimate).
const (
	LambdaPlatformLogBytes   = estimate.LambdaPlatformLogBytes
	ServerLogBytesPerRequest = estimate.ServerLogBytesPerRequest
)

// neverExpiresMonths is the storage assumed for a log group without
// retention (estimate.NeverExpiresLogMonths).
const neverExpiresMonths = estimate.NeverExpiresLogMonths

// Options tune [Build].
type Options struct {
	// FreeTier applies the account's free tiers, first come first served.
	FreeTier bool
	// LogBytesPerRequest is the log ingestion per request; 0 means
	// [DefaultLogBytesPerRequest].
	LogBytesPerRequest float64
	// Prices are price tables imported from AWS Price List files; a stack
	// whose region they price uses them over the built-in tables. nil
	// means the built-in tables only.
	Prices *pricing.PriceList
}

// Resource is the monthly estimate of one resource.
type Resource struct {
	LogicalID string          `json:"logicalId"`
	Type      string          `json:"type"`
	Path      string          `json:"path,omitempty"`
	Tier      string          `json:"tier,omitempty"`
	TotalUSD  float64         `json:"total_usd"`
	Lines     []estimate.Line `json:"lines"`
	Notes     []string        `json:"notes,omitempty"`
	// Workload is the resource's costguard:workload record, if any.
	Workload *workload.Workload `json:"workload,omitempty"`
}

// Stack is the monthly estimate of one stack.
type Stack struct {
	Name      string     `json:"name"`
	Stage     string     `json:"stage,omitempty"`
	Region    string     `json:"region"`
	BudgetUSD float64    `json:"budget_usd,omitempty"`
	TotalUSD  float64    `json:"total_usd"`
	Resources []Resource `json:"resources"`
	// Placements are the placement decisions of the stack's workloads that
	// record one (tier chosen by placement or by override), with reasons.
	Placements []Placement `json:"placements,omitempty"`
	// Guard is the stack's cost guard (costguard:guard record), if any.
	Guard *Guard   `json:"guard,omitempty"`
	Notes []string `json:"notes,omitempty"`
}

// OverBudget reports whether the estimate exceeds a set budget.
func (s Stack) OverBudget() bool { return s.BudgetUSD > 0 && s.TotalUSD > s.BudgetUSD }

// Report is the monthly estimate of an assembly.
type Report struct {
	Stacks   []Stack  `json:"stacks"`
	TotalUSD float64  `json:"total_usd"`
	Notes    []string `json:"notes,omitempty"`
}

// freeTiers is what is left of the account's free tiers.
type freeTiers struct {
	on           bool
	alarmMetrics float64
	dashboards   float64
	lambda       bool
	// extras is the free tier of the items estimate.EstimateExtras prices
	// (custom metrics, X-Ray, logs, data transfer); nil when off.
	extras *estimate.Allowance
}

// take removes up to q from *left and returns how much was free.
func take(left *float64, q float64) float64 {
	f := math.Min(*left, q)
	*left -= f
	return f
}

// Build prices stacks.
func Build(stacks []assembly.Stack, o Options) (Report, error) {
	if o.LogBytesPerRequest == 0 {
		o.LogBytesPerRequest = DefaultLogBytesPerRequest
	}
	p0 := pricing.Default()
	cw := p0.CloudWatch
	free := &freeTiers{on: o.FreeTier, alarmMetrics: float64(cw.FreeAlarmMetrics), dashboards: float64(cw.FreeDashboards)}
	if o.FreeTier {
		free.extras = estimate.NewAllowance(p0)
	}
	var r Report
	for _, s := range stacks {
		sr, err := buildStack(s, o, free)
		if err != nil {
			return Report{}, err
		}
		r.Stacks = append(r.Stacks, sr)
		r.TotalUSD += sr.TotalUSD
	}
	r.TotalUSD = pricing.RoundCents(r.TotalUSD)
	if o.FreeTier {
		r.Notes = append(r.Notes, "free tiers applied once for the whole assembly, first come first served in stack and logical-ID order")
	} else {
		r.Notes = append(r.Notes, "no free tier applied (an upper bound for an account that uses it elsewhere)")
	}
	r.Notes = append(r.Notes, fmt.Sprintf("CloudWatch Logs: %.0f bytes ingested per request, stored uncompressed for the log group's retention (%d months if it never expires)", o.LogBytesPerRequest, neverExpiresMonths))
	r.Notes = append(r.Notes, "KMS keys that rotate are priced from their second yearly rotation on (each of the first two rotations adds the key's monthly price again); X-Ray traces by the default sampling rule with requests spread evenly, each read once; API responses (half of each workload's payload) sent to the internet")
	return r, nil
}

func buildStack(s assembly.Stack, o Options, free *freeTiers) (Stack, error) {
	out := Stack{Name: s.Name}
	if raw, ok := s.Template.Metadata[workload.StackMetadataKey]; ok {
		meta, err := workload.ParseStack(raw)
		if err != nil {
			return Stack{}, fmt.Errorf("stack %s: %w", s.Name, err)
		}
		out.Stage, out.Region, out.BudgetUSD = meta.Stage, meta.Region, meta.MonthlyBudgetUSD
	} else {
		out.Notes = append(out.Notes, fmt.Sprintf("no %s metadata: priced in %s with no budget", workload.StackMetadataKey, pricing.DefaultRegion))
	}
	if out.Region == "" {
		out.Region = s.Region
	}
	if out.Region == "" {
		out.Region = pricing.DefaultRegion
		out.Notes = append(out.Notes, fmt.Sprintf("environment-agnostic stack (no region): priced in %s", pricing.DefaultRegion))
	}
	p, err := pricing.Resolve(out.Region, o.Prices)
	if err != nil {
		return Stack{}, fmt.Errorf("stack %s: %w", s.Name, err)
	}
	if _, imported := o.Prices.ForRegion(out.Region); imported {
		out.Notes = append(out.Notes, fmt.Sprintf("%s priced from AWS Price List files: %s", out.Region, strings.Join(o.Prices.Found(out.Region), ", ")))
	}
	if len(p.Missing) > 0 {
		out.Notes = append(out.Notes, fmt.Sprintf("not in the imported Price List files for %s, so counted as $0: %s", out.Region, strings.Join(p.Missing, ", ")))
	}
	t := s.Template
	if raw, ok := t.Metadata[GuardMetadataKey]; ok {
		g, err := parseGuard(raw)
		if err != nil {
			return Stack{}, fmt.Errorf("stack %s: %w", s.Name, err)
		}
		g.Applied = appliedCaps(t)
		out.Guard = &g
	}
	ctx := stackContext{frontDoorRequests: frontDoorRequests(t), natBytes: natBytes(t), fargateTasks: fargateTasks(t)}
	for _, id := range t.LogicalIDs() {
		res := t.Resources[id]
		rr, ok, err := priceResource(id, res, t, p, o, free, ctx)
		if err != nil {
			return Stack{}, fmt.Errorf("stack %s: resource %s: %w", s.Name, id, err)
		}
		if !ok {
			continue
		}
		out.Resources = append(out.Resources, rr)
		out.TotalUSD += rr.TotalUSD
		if w := rr.Workload; w != nil && len(w.Placement) > 0 {
			out.Placements = append(out.Placements, Placement{LogicalID: id, Tier: w.Tier, Reasons: w.Placement})
		}
	}
	out.TotalUSD = pricing.RoundCents(out.TotalUSD)
	return out, nil
}

func line(item string, q float64, unit string, usd float64) estimate.Line {
	return estimate.Line{Item: item, Quantity: q, Unit: unit, USD: pricing.RoundCents(usd)}
}

func finish(r *Resource) {
	var t float64
	for _, l := range r.Lines {
		t += l.USD
	}
	r.TotalUSD = pricing.RoundCents(t)
}

// stackContext is what pricing one resource needs to know of its stack.
type stackContext struct {
	// frontDoorRequests is the month's requests through the stack's APIs.
	frontDoorRequests float64
	// natBytes is the month's bytes the stack's Fargate tasks send through
	// its NAT gateways.
	natBytes float64
	// fargateTasks is the average number of the stack's Fargate tasks.
	fargateTasks float64
}

// workloads calls fn with each workload record of t that parses.
func workloads(t assembly.Template, fn func(workload.Workload)) {
	for _, id := range t.LogicalIDs() {
		if raw, ok := t.Resources[id].Metadata[workload.MetadataKey]; ok {
			if w, err := workload.Parse(raw); err == nil {
				fn(w)
			}
		}
	}
}

// natBytes is the egress of the stack's Fargate tasks through NAT: their
// log lines to CloudWatch Logs, as placement sizes it.
func natBytes(t assembly.Template) float64 {
	var b float64
	workloads(t, func(w workload.Workload) {
		if w.Tier == workload.TierFargate {
			b += w.Traffic.RequestsPerMonth * placement.NATBytesPerRequest
		}
	})
	return b
}

// fargateTasks is the average number of the stack's Fargate tasks.
func fargateTasks(t assembly.Template) float64 {
	var n float64
	workloads(t, func(w workload.Workload) {
		if f := w.Fargate; f != nil {
			n += max(f.AvgTasks, float64(f.MinTasks))
		}
	})
	return n
}

// frontDoorRequests sums the traffic of the workloads behind an API.
func frontDoorRequests(t assembly.Template) float64 {
	var n float64
	workloads(t, func(w workload.Workload) {
		if w.FrontDoor != workload.FrontDoorNone && w.FrontDoor != "" {
			n += w.Traffic.RequestsPerMonth
		}
	})
	return n
}

// priceResource prices one resource; ok is false for resources that never
// cost anything by themselves (IAM roles, permissions, API methods…).
func priceResource(id string, res assembly.Resource, t assembly.Template, p pricing.Prices, o Options, free *freeTiers, ctx stackContext) (Resource, bool, error) {
	r := Resource{LogicalID: id, Type: res.Type, Path: res.Path(), Lines: []estimate.Line{}}
	if raw, has := res.Metadata[workload.MetadataKey]; has {
		w, err := workload.Parse(raw)
		if err != nil {
			return r, false, err
		}
		r.Workload, r.Tier = &w, string(w.Tier)
		useFree := false
		if free.on && !free.lambda && w.Tier == workload.TierLambda {
			useFree, free.lambda = true, true
			r.Notes = append(r.Notes, "the account's Lambda free tier is applied here")
		}
		e, err := estimate.Workload(w, p, estimate.Options{FreeTier: useFree})
		if err != nil {
			return r, false, err
		}
		r.Lines, r.Notes = append(r.Lines, e.Lines...), append(r.Notes, e.Notes...)
		x, notes := workloadExtras(w, res, t, o)
		ex, err := estimate.EstimateExtras(x, p, free.extras)
		if err != nil {
			return r, false, err
		}
		r.Lines, r.Notes = append(r.Lines, ex.Lines...), append(append(r.Notes, notes...), ex.Notes...)
		finish(&r)
		return r, true, nil
	}
	cw := p.CloudWatch
	hours := float64(pricing.HoursPerMonth)
	switch res.Type {
	case "AWS::CloudWatch::Alarm":
		n, highRes := alarmMetrics(res.Properties)
		price, item := cw.AlarmMetricMonth, "CloudWatch alarm"
		if highRes {
			price, item = cw.HighResolutionAlarmMetricMonth, "CloudWatch high-resolution alarm"
		}
		billed := float64(n)
		if free.on && !highRes {
			if f := take(&free.alarmMetrics, billed); f > 0 {
				billed -= f
				r.Notes = append(r.Notes, fmt.Sprintf("%.0f alarm metrics within the free 10", f))
			}
		}
		r.Lines = append(r.Lines, line(item, float64(n), "alarm metrics", billed*price))
	case "AWS::CloudWatch::CompositeAlarm":
		r.Lines = append(r.Lines, line("CloudWatch composite alarm", 1, "alarms", cw.CompositeAlarmMonth))
	case "AWS::CloudWatch::Dashboard":
		billed := 1.0
		if free.on && take(&free.dashboards, 1) > 0 {
			billed = 0
			r.Notes = append(r.Notes, "within the free 3 dashboards")
		}
		r.Lines = append(r.Lines, line("CloudWatch dashboard", 1, "dashboards", billed*cw.DashboardMonth))
	case "AWS::ElasticLoadBalancingV2::LoadBalancer":
		if scheme, _ := res.Properties["Scheme"].(string); scheme != "internal" {
			azs := 2.0
			if subnets, ok := res.Properties["Subnets"].([]any); ok && len(subnets) > 0 {
				azs = float64(len(subnets))
			}
			r.Lines = append(r.Lines, line("Public IPv4 addresses of the load balancer", azs*hours, "address-hours", azs*hours*p.Network.PublicIPv4Hour))
		}
		if typ, _ := res.Properties["Type"].(string); typ == "network" {
			r.Lines = append(r.Lines, line("Network Load Balancer", hours, "hours", hours*p.Network.NLBHour),
				line("Network Load Balancer capacity", hours, "NLCU-hours", hours*p.Network.NLBNLCUHour))
		} else {
			r.Lines = append(r.Lines, line("Application Load Balancer", hours, "hours", hours*p.Network.ALBHour),
				line("Application Load Balancer capacity", hours, "LCU-hours", hours*p.Network.ALBLCUHour))
		}
		r.Notes = append(r.Notes, "one capacity unit on average assumed")
	case "AWS::EC2::NatGateway":
		r.Lines = append(r.Lines, line("NAT gateway", hours, "hours", hours*p.Network.NATGatewayHour))
		gb := ctx.natBytes / float64(max(count(t, "AWS::EC2::NatGateway"), 1)) / (1 << 30)
		if gb > 0 {
			r.Lines = append(r.Lines, line("NAT gateway data processed", gb, "GB", gb*p.Network.NATGatewayPerGB))
			r.Notes = append(r.Notes, fmt.Sprintf("the Fargate tasks' logs (%d bytes a request) go out through it; image pulls at task starts are not included", placement.NATBytesPerRequest))
		}
	case "AWS::EC2::EIP":
		r.Lines = append(r.Lines, line("Public IPv4 address", hours, "hours", hours*p.Network.PublicIPv4Hour))
		r.Notes = append(r.Notes, "every public IPv4 address bills by the hour, in use or idle (a NAT gateway's Elastic IP is one)")
	case "AWS::ECS::Cluster":
		if !containerInsights(res) {
			return r, false, nil
		}
		ci := p.CloudWatch.ContainerInsights
		services, families := count(t, "AWS::ECS::Service"), count(t, "AWS::ECS::TaskDefinition")
		n := float64(ci.PerCluster + services*ci.PerService + families*ci.PerTaskFamily)
		billed := n - free.extras.Take(func(a *estimate.Allowance) *float64 { return &a.CustomMetrics }, n)
		r.Lines = append(r.Lines, line("Container Insights metrics", n, "metrics", billed*p.CloudWatch.CustomMetricMonth))
		// One performance event a minute per task, per service and for
		// the cluster, kept a day (storage under a cent).
		events := (ctx.fargateTasks + float64(services) + 1) * pricing.HoursPerMonth * 60
		gb := events * (ci.PerformanceEventBytes + p.CloudWatch.LogEventOverheadBytes) / (1 << 30)
		billedGB := gb - free.extras.Take(func(a *estimate.Allowance) *float64 { return &a.LogsGB }, gb)
		r.Lines = append(r.Lines, line("Container Insights performance events ingestion", gb, "GB", billedGB*p.CloudWatch.LogsIngestionPerGB))
		r.Notes = append(r.Notes, fmt.Sprintf("%d metrics a cluster, %d a service (%d), %d a task family (%d), billed as custom metrics; performance events of %.0f bytes, one a minute per task, service and cluster",
			ci.PerCluster, ci.PerService, services, ci.PerTaskFamily, families, ci.PerformanceEventBytes))
	case "AWS::EC2::VPCEndpoint":
		if typ, _ := res.Properties["VpcEndpointType"].(string); typ != "Interface" {
			return r, false, nil
		}
		azs := 2.0
		if subnets, ok := res.Properties["SubnetIds"].([]any); ok && len(subnets) > 0 {
			azs = float64(len(subnets))
		} else {
			r.Notes = append(r.Notes, "subnets not listed in the template; 2 assumed")
		}
		r.Lines = append(r.Lines, line("Interface VPC endpoint", azs*hours, "endpoint-AZ-hours", azs*hours*p.Network.InterfaceEndpointHour))
	case "AWS::KMS::Key":
		r.Lines = append(r.Lines, line("KMS customer managed key", 1, "keys", p.Other.KMSKeyMonth))
		if rotates, _ := res.Properties["EnableKeyRotation"].(bool); rotates {
			n := float64(p.Other.KMSBilledRotations)
			r.Lines = append(r.Lines, line("KMS key rotations", n, "rotated versions", p.Other.KMSKeyMonthly(true)-p.Other.KMSKeyMonth))
			r.Notes = append(r.Notes, fmt.Sprintf("rotates yearly: each of the first %d rotations adds $%.2f a month (none in the key's first year, one in its second)", p.Other.KMSBilledRotations, p.Other.KMSRotationMonth))
		}
		r.Notes = append(r.Notes, fmt.Sprintf("requests (a few per alarm notification through an encrypted topic, $%.2f per 10,000 beyond %.0f free): under a cent", p.Other.KMSRequestsPer10k, p.Other.KMSFreeRequests))
	case "AWS::WAFv2::WebACL":
		rules := 0.0
		if rs, ok := res.Properties["Rules"].([]any); ok {
			rules = float64(len(rs))
		}
		r.Lines = append(r.Lines, line("WAF web ACL", 1, "web ACLs", p.Other.WAFWebACLMonth))
		if rules > 0 {
			r.Lines = append(r.Lines, line("WAF rules", rules, "rules", rules*p.Other.WAFRuleMonth))
		}
		r.Lines = append(r.Lines, line("WAF requests", ctx.frontDoorRequests, "requests", ctx.frontDoorRequests/1e6*p.Other.WAFPerMillion))
		r.Notes = append(r.Notes, "inspects every request of the stack's APIs; rule groups priced as one rule each")
		r.Notes = unread(r.Notes, p, "other.waf", "AWS WAF")
	case "AWS::ApiGateway::Stage", "AWS::ApiGatewayV2::Stage":
		if b, months, how, ok := accessLog(res, t, p); ok {
			e, err := estimate.EstimateExtras(estimate.Extras{Requests: ctx.frontDoorRequests, AccessLogBytesPerRequest: b, AccessLogRetentionMonths: months}, p, free.extras)
			if err != nil {
				return r, false, err
			}
			r.Lines = append(r.Lines, e.Lines...)
			r.Notes = append(r.Notes, fmt.Sprintf("one access-log line of about %.0f bytes a request (its format's fields at typical sizes, with the event overhead), kept %s", b, how))
		}
		if enabled, _ := res.Properties["CacheClusterEnabled"].(bool); !enabled || res.Type != "AWS::ApiGateway::Stage" {
			if len(r.Lines) == 0 {
				return r, false, nil
			}
			break
		}
		size, _ := res.Properties["CacheClusterSize"].(string)
		if size == "" {
			size = "0.5"
		}
		hourly, ok := p.APIGateway.CacheHour[size]
		if !ok {
			return r, false, fmt.Errorf("CacheClusterSize %q is not one of %s", size, strings.Join(sortedKeys(p.APIGateway.CacheHour), ", "))
		}
		r.Lines = append(r.Lines, line(fmt.Sprintf("API Gateway cache (%s GB)", size), hours, "hours", hours*hourly))
	case "AWS::SecretsManager::Secret":
		r.Lines = append(r.Lines, line("Secrets Manager secret", 1, "secrets", p.Other.SecretMonth))
		r.Notes = unread(r.Notes, p, "other.secret", "Secrets Manager")
	case "AWS::SSM::Parameter":
		if tier, _ := res.Properties["Tier"].(string); tier != "Advanced" {
			return r, false, nil
		}
		r.Lines = append(r.Lines, line("SSM advanced parameter", 1, "parameters", p.Other.SSMAdvancedParameterMonth))
		r.Notes = unread(r.Notes, p, "other.ssmAdvancedParameter", "SSM Parameter Store")
	// The rest are listed at $0.00 with the reason, and no lines.
	case "AWS::Budgets::Budget":
		r.Notes = append(r.Notes, "budgets are free; only budget actions beyond two per account are charged")
	case "AWS::SNS::Topic":
		r.Notes = append(r.Notes, "alarm notifications assumed within SNS's free 1,000 emails a month")
	case "AWS::Events::Rule":
		if _, scheduled := res.Properties["ScheduleExpression"]; scheduled {
			r.Notes = append(r.Notes, "a scheduled rule: EventBridge charges custom events"+perMillion(p, "other.eventBridge", p.Other.EventBridgeCustomEventsPerMillion)+", not schedules")
		} else {
			r.Notes = append(r.Notes, "matches AWS service events, which EventBridge delivers free")
		}
	case "AWS::Scheduler::Schedule":
		r.Notes = append(r.Notes, fmt.Sprintf("EventBridge Scheduler: invocations%s beyond %.0f million free a month; a schedule fires far fewer", perMillion(p, "other.scheduler", p.Other.SchedulerPerMillion), p.Other.SchedulerFreeInvocations/1e6))
	case "AWS::SQS::Queue":
		r.Notes = append(r.Notes, fmt.Sprintf("billed per request%s beyond %.0f million free; a dead-letter queue receives only failed events", perMillion(p, "other.sqs", p.Other.SQSPerMillion), p.Other.SQSFreeRequests/1e6))
	case "AWS::Lambda::Function":
		r.Notes = append(r.Notes, "no workload record: invoked rarely (kill switch, custom resource), not priced")
	case "AWS::ECS::Service", "AWS::SageMaker::Endpoint":
		r.Notes = append(r.Notes, "no workload record: not priced")
	case "AWS::Logs::LogGroup":
		r.Notes = append(r.Notes, "ingestion and storage are priced on the resource that writes the logs")
	case "AWS::Logs::MetricFilter":
		if first, ok := firstFilterOfMetric(id, res, t); !ok {
			r.Notes = append(r.Notes, "publishes the same metric as "+first+", priced there")
			break
		}
		billed := 1 - free.extras.Take(func(a *estimate.Allowance) *float64 { return &a.CustomMetrics }, 1)
		r.Lines = append(r.Lines, line("CloudWatch custom metric (metric filter)", 1, "metrics", billed*cw.CustomMetricMonth))
		r.Notes = append(r.Notes, "the metric it publishes is a custom metric, billed in the months it receives data")
	default:
		return r, false, nil
	}
	finish(&r)
	return r, true, nil
}

// firstFilterOfMetric says whether the metric filter id is the first (by
// logical ID) of t's filters that publish its metric (namespace, name and
// dimensions): several filters can feed one metric, which bills once.
// When it is not, first is the one that is.
func firstFilterOfMetric(id string, res assembly.Resource, t assembly.Template) (first string, ok bool) {
	key := func(r assembly.Resource) string {
		var keys []string
		ts, _ := r.Properties["MetricTransformations"].([]any)
		for _, v := range ts {
			m, _ := v.(map[string]any)
			b, _ := json.Marshal(map[string]any{"ns": m["MetricNamespace"], "name": m["MetricName"], "dims": m["Dimensions"]})
			keys = append(keys, string(b))
		}
		return strings.Join(keys, ",")
	}
	want := key(res)
	for _, other := range t.LogicalIDs() {
		if o := t.Resources[other]; o.Type == "AWS::Logs::MetricFilter" && key(o) == want {
			return other, other == id
		}
	}
	return id, true
}

// alarmMetrics counts the metrics an alarm is billed for and whether any
// is high resolution (a period under 60 seconds).
func alarmMetrics(props map[string]any) (int, bool) {
	period := func(v any) bool {
		f, ok := v.(float64)
		return ok && f < 60
	}
	metrics, ok := props["Metrics"].([]any)
	if !ok {
		return 1, period(props["Period"])
	}
	n, high := 0, false
	for _, m := range metrics {
		mm, _ := m.(map[string]any)
		if ms, ok := mm["MetricStat"].(map[string]any); ok {
			n++
			high = high || period(ms["Period"])
		}
	}
	return max(n, 1), high
}

// sortedKeys returns m's keys, sorted.
func sortedKeys[V any](m map[string]V) []string {
	k := make([]string, 0, len(m))
	for key := range m {
		k = append(k, key)
	}
	sort.Strings(k)
	return k
}

// shortType drops the AWS:: prefix of a resource type.
func shortType(t string) string { return strings.TrimPrefix(t, "AWS::") }

// unread adds a note when the region's tables lack the price named key
// because the Price List import does not read it: the resource's lines
// are then $0, and the reader must know.
func unread(notes []string, p pricing.Prices, key, service string) []string {
	if !p.Unpriced(key) {
		return notes
	}
	return append(notes, fmt.Sprintf("%s's prices are not read from Price List files: counted as $0 in %s", service, p.Region))
}

// perMillion formats a price per million for a note, or says it is not
// priced in the region.
func perMillion(p pricing.Prices, key string, usd float64) string {
	if p.Unpriced(key) {
		return fmt.Sprintf(" (not priced in %s: not read from Price List files)", p.Region)
	}
	return fmt.Sprintf(" ($%.2f per million)", usd)
}
