package report

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/costguard-ml/costguard/cost/assembly"
	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
)

// DefaultLogBytesPerRequest is the CloudWatch Logs ingestion assumed per
// request when a workload does not say.
const DefaultLogBytesPerRequest = 1024

// neverExpiresMonths is the storage assumed for a log group without retention.
const neverExpiresMonths = 12

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
	logsGB       float64
	lambda       bool
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
	cw := pricing.Default().CloudWatch
	free := &freeTiers{on: o.FreeTier, alarmMetrics: float64(cw.FreeAlarmMetrics), dashboards: float64(cw.FreeDashboards), logsGB: cw.FreeLogsGB}
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
	ctx := stackContext{frontDoorRequests: frontDoorRequests(t)}
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
}

// frontDoorRequests sums the traffic of the workloads behind an API.
func frontDoorRequests(t assembly.Template) float64 {
	var n float64
	for _, id := range t.LogicalIDs() {
		raw, ok := t.Resources[id].Metadata[workload.MetadataKey]
		if !ok {
			continue
		}
		if w, err := workload.Parse(raw); err == nil && w.FrontDoor != workload.FrontDoorNone && w.FrontDoor != "" {
			n += w.Traffic.RequestsPerMonth
		}
	}
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
		logs(&r, w, res, t, p, o, free)
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
		r.Notes = append(r.Notes, fmt.Sprintf("data processed ($%.3f per GB) not included", p.Network.NATGatewayPerGB))
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
		r.Notes = append(r.Notes, "API requests ($0.03 per 10,000) and rotated key versions not included")
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
	case "AWS::ApiGateway::Stage":
		enabled, _ := res.Properties["CacheClusterEnabled"].(bool)
		if !enabled {
			return r, false, nil
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
	case "AWS::SSM::Parameter":
		if tier, _ := res.Properties["Tier"].(string); tier != "Advanced" {
			return r, false, nil
		}
		r.Lines = append(r.Lines, line("SSM advanced parameter", 1, "parameters", p.Other.SSMAdvancedParameterMonth))
	// The rest are listed at $0.00 with the reason, and no lines.
	case "AWS::Budgets::Budget":
		r.Notes = append(r.Notes, "budgets are free; only budget actions beyond two per account are charged")
	case "AWS::SNS::Topic":
		r.Notes = append(r.Notes, "alarm notifications assumed within SNS's free 1,000 emails a month")
	case "AWS::Lambda::Function":
		r.Notes = append(r.Notes, "no workload record: invoked rarely (kill switch, custom resource), not priced")
	case "AWS::ECS::Service", "AWS::SageMaker::Endpoint":
		r.Notes = append(r.Notes, "no workload record: not priced")
	case "AWS::Logs::LogGroup":
		r.Notes = append(r.Notes, "ingestion and storage are priced on the resource that writes the logs")
	default:
		return r, false, nil
	}
	finish(&r)
	return r, true, nil
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

// logs adds the CloudWatch Logs lines of a workload.
func logs(r *Resource, w workload.Workload, res assembly.Resource, t assembly.Template, p pricing.Prices, o Options, free *freeTiers) {
	req := w.Traffic.RequestsPerMonth
	if req == 0 {
		return
	}
	gb := req * o.LogBytesPerRequest / (1 << 30)
	billed := gb
	if free.on {
		billed -= take(&free.logsGB, gb)
	}
	r.Lines = append(r.Lines, line("CloudWatch Logs ingestion", gb, "GB", billed*p.CloudWatch.LogsIngestionPerGB))
	months, how := logRetentionMonths(res, t)
	stored := gb * months
	r.Lines = append(r.Lines, line("CloudWatch Logs storage", stored, "GB-months", stored*p.CloudWatch.LogsStoragePerGBMonth))
	r.Notes = append(r.Notes, "logs kept "+how)
}

// logRetentionMonths finds the retention of a function's log group: the
// one its LoggingConfig references, else the only log group of the
// template, else never expires.
func logRetentionMonths(res assembly.Resource, t assembly.Template) (float64, string) {
	var group *assembly.Resource
	if lc, ok := res.Properties["LoggingConfig"].(map[string]any); ok {
		if ref, ok := lc["LogGroup"].(map[string]any); ok {
			if id, ok := ref["Ref"].(string); ok {
				if g, ok := t.Resources[id]; ok {
					group = &g
				}
			}
		}
	}
	if group == nil {
		var groups []assembly.Resource
		for _, id := range t.LogicalIDs() {
			if g := t.Resources[id]; g.Type == "AWS::Logs::LogGroup" {
				groups = append(groups, g)
			}
		}
		if len(groups) == 1 {
			group = &groups[0]
		}
	}
	if group != nil {
		if d, ok := group.Properties["RetentionInDays"].(float64); ok && d > 0 {
			return d / 30, fmt.Sprintf("%.0f days (the log group's retention)", d)
		}
	}
	return neverExpiresMonths, fmt.Sprintf("%d months (no retention found; a log group without one never expires)", neverExpiresMonths)
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
