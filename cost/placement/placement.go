package placement

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/limits"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
)

// MemoryHeadroom multiplies a model's peak memory when sizing any tier.
const MemoryHeadroom = 1.25

// TargetUtilization is the share of an always-on task's capacity planned for.
const TargetUtilization = 0.7

// Model is what placement needs to know about a model and its traffic.
type Model struct {
	// ArtifactMB is the size of the model and code as deployed, unzipped.
	ArtifactMB float64
	// PeakMemoryMB is the serving process's peak memory.
	PeakMemoryMB float64
	// P99Ms is the 99th-percentile duration of one request, and AvgMs the
	// average (0 means half of P99Ms).
	P99Ms float64
	AvgMs float64
	// GPU says the model needs a GPU to meet its latency.
	GPU bool
	// PayloadBytes is the largest request payload.
	PayloadBytes float64
	// RequestsPerMonth is the expected traffic.
	RequestsPerMonth float64
	// FrontDoor is the API in front; "" means REST.
	FrontDoor estimate.FrontDoor
	// Arch is the CPU architecture for Lambda and Fargate; "" means arm64.
	Arch pricing.Arch
	// Margin is how much cheaper, as a fraction of Lambda's cost, another
	// tier must be to win over Lambda, the simplest tier to run (a few
	// cents in an estimate are not worth a container tier's image, scaling
	// and idle floor); 0 means [DefaultMargin] and [NoMargin] compares
	// prices alone.
	Margin float64
	// NoContainerImage says the caller has no container image: the Fargate
	// and SageMaker tiers, which run one, cannot be built and are never
	// chosen.
	NoContainerImage bool
}

// DefaultMargin is the share by which another tier must undercut Lambda to
// be chosen over it: an estimate is not exact, and Lambda has no instances,
// tasks or network to run.
const DefaultMargin = 0.20

// NoMargin, as Model.Margin, picks the cheapest tier whatever its margin.
const NoMargin = -1

// FargateNATGateways is how many NAT gateways constructs/fargate deploys in
// the VPC it creates (its NATGateways method), each with one public IPv4
// address; the load balancer it deploys is internal (no public address).
const FargateNATGateways = 1

// NATBytesPerRequest is the egress through the NAT gateway per request: the
// task's log lines to CloudWatch Logs (the default of costguard report).
const NATBytesPerRequest = 1024

// Validate reports every problem with m, joined.
func (m Model) Validate() error {
	var errs []error
	for _, f := range []struct {
		name string
		v    float64
	}{{"artifact-mb", m.ArtifactMB}, {"peak-memory-mb", m.PeakMemoryMB}, {"p99-ms", m.P99Ms}, {"avg-ms", m.AvgMs}, {"payload-bytes", m.PayloadBytes}, {"requests", m.RequestsPerMonth}} {
		if f.v < 0 || math.IsNaN(f.v) || math.IsInf(f.v, 0) {
			errs = append(errs, fmt.Errorf("%s: %g is not a non-negative number", f.name, f.v))
		}
	}
	if m.PeakMemoryMB == 0 {
		errs = append(errs, errors.New("peak-memory-mb: required"))
	}
	if m.P99Ms == 0 {
		errs = append(errs, errors.New("p99-ms: required"))
	}
	if m.Margin != NoMargin && (m.Margin < 0 || m.Margin >= 1 || math.IsNaN(m.Margin)) {
		errs = append(errs, fmt.Errorf("margin: %g is outside 0 to 1 (a share of Lambda's cost)", m.Margin))
	}
	if m.AvgMs > m.P99Ms && m.P99Ms > 0 {
		errs = append(errs, fmt.Errorf("avg-ms: %g exceeds p99-ms %g", m.AvgMs, m.P99Ms))
	}
	switch m.FrontDoor {
	case "", estimate.FrontDoorNone, estimate.FrontDoorREST, estimate.FrontDoorHTTP:
	default:
		errs = append(errs, fmt.Errorf("api: %q is not one of none, rest, http", m.FrontDoor))
	}
	switch m.Arch {
	case "", pricing.X86_64, pricing.ARM64:
	default:
		errs = append(errs, fmt.Errorf("arch: %q is not one of x86_64, arm64", m.Arch))
	}
	return errors.Join(errs...)
}

func (m Model) withDefaults() Model {
	if m.AvgMs == 0 {
		m.AvgMs = m.P99Ms / 2
	}
	if m.FrontDoor == "" {
		m.FrontDoor = estimate.FrontDoorREST
	}
	if m.Arch == "" {
		m.Arch = pricing.ARM64
	}
	switch m.Margin {
	case 0:
		m.Margin = DefaultMargin
	case NoMargin:
		m.Margin = 0
	}
	return m
}

// Option is one tier as placement sized, checked and priced it.
type Option struct {
	Tier workload.Tier `json:"tier"`
	// Feasible is false when the model hits a hard limit of the tier.
	Feasible bool `json:"feasible"`
	// Limits lists every hard limit the model hits on this tier.
	Limits []string `json:"limits,omitempty"`
	// Config describes the sized configuration, for people; the fields
	// below carry the same sizing for code.
	Config string `json:"config,omitempty"`
	// MemoryMiB is the Lambda function's memory, the Fargate task's memory
	// or the SageMaker serverless endpoint's memory; 0 on instance tiers.
	MemoryMiB int `json:"memoryMiB,omitempty"`
	// CPU is the Fargate task's CPU in ECS units (1024 = 1 vCPU); 0 on
	// other tiers.
	CPU int `json:"cpu,omitempty"`
	// Count is the number of Fargate tasks or real-time instances that
	// serve the expected traffic; 0 where the tier scales to zero
	// (Lambda, SageMaker serverless and asynchronous).
	Count int `json:"count,omitempty"`
	// InstanceType is the SageMaker instance type of the real-time and
	// asynchronous tiers; "" on other tiers.
	InstanceType string `json:"instanceType,omitempty"`
	// AlwaysOn is true for tiers that bill while idle.
	AlwaysOn   bool               `json:"alwaysOn"`
	MonthlyUSD float64            `json:"monthly_usd"`
	Estimate   *estimate.Estimate `json:"estimate,omitempty"`
	// Notes are non-blocking observations (a container image is needed, a
	// quota must be raised).
	Notes []string `json:"notes,omitempty"`
	// Sizing says how the configuration was sized where that is not plain
	// (a burstable instance on its baseline, the network a tier deploys,
	// an asynchronous endpoint's scale-in).
	Sizing []string `json:"sizing,omitempty"`
}

// BreakEven is the traffic at which a pay-per-use tier and an always-on
// tier cost the same.
type BreakEven struct {
	PayPerUse        workload.Tier `json:"payPerUse"`
	AlwaysOn         workload.Tier `json:"alwaysOn"`
	RequestsPerMonth float64       `json:"requestsPerMonth"`
	MonthlyUSD       float64       `json:"monthly_usd"`
}

// Decision is where a model goes and why.
type Decision struct {
	Tier    workload.Tier `json:"tier"`
	Reasons []string      `json:"reasons"`
	Options []Option      `json:"options"`
	// BreakEven is set when a pay-per-use and an always-on tier are both
	// feasible and their costs cross below 10^12 requests a month: the
	// cheapest of each kind at the expected traffic.
	BreakEven *BreakEven `json:"breakEven,omitempty"`
	// BreakEvens are the crossings of the cheapest pay-per-use tier with
	// every feasible always-on tier, by traffic.
	BreakEvens []BreakEven `json:"breakEvens,omitempty"`
}

// Option returns the option of tier t.
func (d Decision) Option(t workload.Tier) (Option, bool) {
	for _, o := range d.Options {
		if o.Tier == t {
			return o, true
		}
	}
	return Option{}, false
}

// Place decides where m runs, priced with p.
func Place(m Model, p pricing.Prices) (Decision, error) {
	if err := m.Validate(); err != nil {
		return Decision{}, err
	}
	m = m.withDefaults()
	var d Decision
	for _, t := range workload.Tiers {
		o := Evaluate(m, t, p)
		if m.NoContainerImage && t != workload.TierLambda {
			o.Feasible = false
			o.Limits = append(o.Limits, "no container image given (the tier runs one)")
		}
		d.Options = append(d.Options, o)
	}
	var best *Option
	payPerUse := false
	for i := range d.Options {
		o := &d.Options[i]
		if !o.Feasible || o.Tier == workload.TierSageMakerAsync {
			continue
		}
		payPerUse = payPerUse || !o.AlwaysOn
		if best == nil || o.MonthlyUSD < best.MonthlyUSD {
			best = o
		}
	}
	asyncOpt, _ := d.Option(workload.TierSageMakerAsync)
	switch {
	case m.FrontDoor == estimate.FrontDoorNone && asyncOpt.Feasible && !payPerUse && (best == nil || asyncOpt.MonthlyUSD < best.MonthlyUSD):
		// Without a caller waiting, a job queue that scales to zero
		// competes with the always-on tiers (not with Lambda or
		// serverless, which scale to zero without the queue).
		d.Tier = workload.TierSageMakerAsync
		d.Reasons = append(d.Reasons, fmt.Sprintf("sagemaker-async is cheaper than any always-on tier at %s a month, no caller waits for the answer and no pay-per-use tier fits", money(asyncOpt.MonthlyUSD)))
	case best != nil:
		d.Tier = best.Tier
		d.Reasons = append(d.Reasons, fmt.Sprintf("%s is the cheapest feasible synchronous tier at %s a month for %s requests", best.Tier, money(best.MonthlyUSD), count(m.RequestsPerMonth)))
		if l, ok := d.Option(workload.TierLambda); ok && l.Feasible && best.Tier != workload.TierLambda {
			saving := (l.MonthlyUSD - best.MonthlyUSD) / l.MonthlyUSD
			if saving < m.Margin {
				d.Tier = workload.TierLambda
				d.Reasons = append(d.Reasons, fmt.Sprintf("lambda kept: %s saves %.0f%% (%s), under the %.0f%% margin another tier needs to beat the simpler tier", best.Tier, saving*100, money(l.MonthlyUSD-best.MonthlyUSD), m.Margin*100))
			} else {
				d.Reasons = append(d.Reasons, fmt.Sprintf("%s saves %.0f%% over lambda (%s), above the %.0f%% margin for the simpler tier", best.Tier, saving*100, money(l.MonthlyUSD), m.Margin*100))
			}
		}
	case asyncOpt.Feasible:
		d.Tier = workload.TierSageMakerAsync
		d.Reasons = append(d.Reasons, "no synchronous tier fits, so requests are queued: the caller gets a job and the answer arrives in S3 (with an SNS notification)")
	default:
		return d, errors.New("no tier can serve this model: " + strings.Join(allLimits(d.Options), "; "))
	}
	for _, o := range d.Options {
		if !o.Feasible {
			d.Reasons = append(d.Reasons, fmt.Sprintf("not %s: %s", o.Tier, strings.Join(o.Limits, "; ")))
		}
	}
	for _, o := range d.Options {
		if o.Feasible && len(o.Sizing) > 0 {
			d.Reasons = append(d.Reasons, fmt.Sprintf("%s sized: %s", o.Tier, strings.Join(o.Sizing, "; ")))
		}
	}
	d.BreakEven, d.BreakEvens = breakEvens(m, d, p)
	return d, nil
}

func allLimits(opts []Option) []string {
	var out []string
	for _, o := range opts {
		out = append(out, fmt.Sprintf("%s: %s", o.Tier, strings.Join(o.Limits, ", ")))
	}
	return out
}

func money(v float64) string { return fmt.Sprintf("$%.2f", v) }

func count(v float64) string {
	switch {
	case v >= 1e9:
		return fmt.Sprintf("%gB", math.Round(v/1e7)/100)
	case v >= 1e6:
		return fmt.Sprintf("%gM", math.Round(v/1e4)/100)
	case v >= 1e3:
		return fmt.Sprintf("%gk", math.Round(v/10)/100)
	}
	return fmt.Sprintf("%g", v)
}

func seconds(d time.Duration) string { return fmt.Sprintf("%g s", d.Seconds()) }

// frontDoorLimits checks latency and payload against the front door.
func frontDoorLimits(m Model) []string {
	var out []string
	switch m.FrontDoor {
	case estimate.FrontDoorREST:
		if m.P99Ms > float64(limits.RESTIntegrationTimeout.Milliseconds()) {
			out = append(out, fmt.Sprintf("p99 %s exceeds the REST API's %s integration timeout", ms(m.P99Ms), seconds(limits.RESTIntegrationTimeout)))
		}
		if m.PayloadBytes > limits.RESTPayloadBytes {
			out = append(out, fmt.Sprintf("payload %s exceeds the REST API's 10 MB", size(m.PayloadBytes)))
		}
	case estimate.FrontDoorHTTP:
		if m.P99Ms > float64(limits.HTTPIntegrationTimeout.Milliseconds()) {
			out = append(out, fmt.Sprintf("p99 %s exceeds the HTTP API's %s integration timeout", ms(m.P99Ms), seconds(limits.HTTPIntegrationTimeout)))
		}
		if m.PayloadBytes > limits.HTTPPayloadBytes {
			out = append(out, fmt.Sprintf("payload %s exceeds the HTTP API's 10 MB", size(m.PayloadBytes)))
		}
	}
	return out
}

func ms(v float64) string {
	if v >= 1000 {
		return fmt.Sprintf("%g s", math.Round(v/10)/100)
	}
	return fmt.Sprintf("%g ms", v)
}

func size(b float64) string {
	switch {
	case b >= 1<<30:
		return fmt.Sprintf("%.1f GB", b/(1<<30))
	case b >= 1<<20:
		return fmt.Sprintf("%.1f MB", b/(1<<20))
	}
	return fmt.Sprintf("%.0f KB", b/(1<<10))
}

// needMiB is the memory a tier must give the model.
func (m Model) needMiB() float64 { return m.PeakMemoryMB * MemoryHeadroom }

// meanConcurrency is the average number of requests in flight.
func (m Model) meanConcurrency() float64 {
	return m.RequestsPerMonth / pricing.SecondsPerMonth * m.AvgMs / 1000
}

// Evaluate sizes, checks and prices m on tier t (m with defaults applied).
func Evaluate(m Model, t workload.Tier, p pricing.Prices) Option {
	m = m.withDefaults()
	o := Option{Tier: t}
	var e estimate.Estimate
	var err error
	switch t {
	case workload.TierLambda:
		e, err = lambdaOption(m, p, &o)
	case workload.TierFargate:
		e, err = fargateOption(m, p, &o)
	case workload.TierSageMakerServerless:
		e, err = serverlessOption(m, p, &o)
	case workload.TierSageMakerRealtime, workload.TierSageMakerAsync:
		e, err = instanceOption(m, t, p, &o)
	}
	if err != nil {
		o.Limits = append(o.Limits, err.Error())
	}
	o.Feasible = len(o.Limits) == 0
	if o.Feasible {
		o.Estimate, o.MonthlyUSD = &e, e.TotalUSD
	}
	return o
}

func lambdaOption(m Model, p pricing.Prices, o *Option) (estimate.Estimate, error) {
	// Durations are taken as measured on one full vCPU, so Lambda gets at
	// least the memory that buys one (1,769 MB); below it a CPU-bound
	// request would run proportionally slower.
	mem := int(math.Max(limits.LambdaMemoryPerVCPUMiB, math.Ceil(m.needMiB()/64)*64))
	if m.GPU {
		o.Limits = append(o.Limits, "needs a GPU; Lambda has none")
	}
	if m.needMiB() > limits.LambdaMaxMemoryMiB {
		o.Limits = append(o.Limits, fmt.Sprintf("needs %.0f MB (peak %.0f MB + 25%%), over Lambda's %d MB", m.needMiB(), m.PeakMemoryMB, limits.LambdaMaxMemoryMiB))
	}
	if m.P99Ms > float64(limits.LambdaMaxTimeout.Milliseconds()) {
		o.Limits = append(o.Limits, fmt.Sprintf("p99 %s exceeds Lambda's %s maximum timeout", ms(m.P99Ms), seconds(limits.LambdaMaxTimeout)))
	}
	o.Limits = append(o.Limits, frontDoorLimits(m)...)
	if m.PayloadBytes > limits.LambdaSyncPayloadBytes {
		o.Limits = append(o.Limits, fmt.Sprintf("payload %s exceeds Lambda's 6 MB synchronous payload", size(m.PayloadBytes)))
	}
	artifact := m.ArtifactMB * (1 << 20)
	switch {
	case artifact > limits.LambdaImageBytes:
		o.Limits = append(o.Limits, fmt.Sprintf("artifact %s exceeds Lambda's 10 GB container image", size(artifact)))
	case artifact > limits.LambdaUnzippedPackageBytes:
		o.Notes = append(o.Notes, fmt.Sprintf("artifact %s is over the 250 MB unzipped .zip limit: ship a container image", size(artifact)))
	}
	if c := m.meanConcurrency(); c > limits.LambdaDefaultAccountConcurrency-limits.LambdaUnreservedMinimum {
		o.Notes = append(o.Notes, fmt.Sprintf("mean concurrency %.0f needs a concurrency quota above the default %d", c, limits.LambdaDefaultAccountConcurrency))
	}
	if len(o.Limits) > 0 {
		return estimate.Estimate{}, nil
	}
	o.Config = fmt.Sprintf("%d MB %s", mem, m.Arch)
	o.MemoryMiB = mem
	return estimate.EstimateLambda(estimate.Lambda{
		Requests: m.RequestsPerMonth, DurationMs: m.AvgMs, MemoryMiB: mem, Arch: m.Arch,
		FrontDoor: m.FrontDoor, PayloadBytes: m.PayloadBytes,
	}, p)
}

// fargateSize is the smallest Fargate task with at least need MiB.
func fargateSize(need float64) (cpu, mem int, ok bool) {
	for _, s := range limits.FargateSizes {
		if s.CPU < 1024 {
			// Inference wants at least one whole vCPU.
			continue
		}
		for m := s.MinMiB; m <= s.MaxMiB; m += s.StepMiB {
			if float64(m) >= need {
				return s.CPU, m, true
			}
		}
	}
	return 0, 0, false
}

func tasksFor(m Model, perTask float64) float64 {
	return math.Max(1, math.Ceil(m.meanConcurrency()/(perTask*TargetUtilization)))
}

func fargateOption(m Model, p pricing.Prices, o *Option) (estimate.Estimate, error) {
	o.AlwaysOn = true
	if m.GPU {
		o.Limits = append(o.Limits, "needs a GPU; Fargate has none")
	}
	cpu, mem, ok := fargateSize(m.needMiB())
	if !ok {
		o.Limits = append(o.Limits, fmt.Sprintf("needs %.0f MB, over Fargate's largest task (%d MB)", m.needMiB(), limits.FargateMaxMemoryMiB))
	}
	o.Limits = append(o.Limits, frontDoorLimits(m)...)
	if len(o.Limits) > 0 {
		return estimate.Estimate{}, nil
	}
	tasks := tasksFor(m, float64(cpu)/1024)
	o.Config = fmt.Sprintf("%g vCPU / %g GB × %g task(s) %s", float64(cpu)/1024, float64(mem)/1024, tasks, m.Arch)
	o.CPU, o.MemoryMiB, o.Count = cpu, mem, int(tasks)
	fd, alb := m.FrontDoor, m.FrontDoor != estimate.FrontDoorNone
	if alb {
		// constructs/fargate puts an HTTP API with a VPC link in front of an
		// internal load balancer, whatever front door the model asked for.
		fd = estimate.FrontDoorHTTP
	}
	natGB := m.RequestsPerMonth * NATBytesPerRequest / (1 << 30)
	o.Sizing = append(o.Sizing, fmt.Sprintf("as constructs/fargate deploys it: %d NAT gateway with its public IPv4 address all month, %.0f GB through it (%d bytes of logs a request)", FargateNATGateways, natGB, NATBytesPerRequest))
	if alb {
		o.Sizing = append(o.Sizing, "an internal Application Load Balancer behind an HTTP API (VPC link)")
	}
	return estimate.EstimateFargate(estimate.Fargate{
		CPU: cpu, MemoryMiB: mem, Arch: m.Arch, Tasks: tasks, ALB: alb,
		NATGateways: FargateNATGateways, NATDataGB: natGB,
		FrontDoor: fd, Requests: m.RequestsPerMonth, PayloadBytes: m.PayloadBytes,
	}, p)
}

func serverlessOption(m Model, p pricing.Prices, o *Option) (estimate.Estimate, error) {
	sm := p.SageMaker
	if m.GPU {
		o.Limits = append(o.Limits, "needs a GPU; SageMaker serverless has none")
	}
	// Like Lambda, serverless endpoints get CPU in proportion to memory;
	// assume one vCPU needs the same 1,769 MB, so 2 GB is the floor.
	floor := math.Max(m.needMiB(), limits.LambdaMemoryPerVCPUMiB)
	mem := int(math.Ceil(floor/float64(sm.ServerlessStepMiB))) * sm.ServerlessStepMiB
	mem = max(mem, sm.ServerlessMinMiB)
	if m.needMiB() > float64(sm.ServerlessMaxMiB) {
		o.Limits = append(o.Limits, fmt.Sprintf("needs %.0f MB, over SageMaker serverless's %d MB", m.needMiB(), sm.ServerlessMaxMiB))
	}
	if m.P99Ms > float64(limits.SageMakerServerlessTimeout.Milliseconds()) {
		o.Limits = append(o.Limits, fmt.Sprintf("p99 %s exceeds SageMaker serverless's %s", ms(m.P99Ms), seconds(limits.SageMakerServerlessTimeout)))
	}
	if m.PayloadBytes > limits.SageMakerServerlessPayloadBytes {
		o.Limits = append(o.Limits, fmt.Sprintf("payload %s exceeds SageMaker serverless's 4 MB", size(m.PayloadBytes)))
	}
	if m.ArtifactMB*(1<<20) > limits.LambdaImageBytes {
		o.Limits = append(o.Limits, fmt.Sprintf("artifact %s exceeds SageMaker serverless's 10 GB container image", size(m.ArtifactMB*(1<<20))))
	}
	o.Limits = append(o.Limits, frontDoorLimits(m)...)
	if len(o.Limits) > 0 {
		return estimate.Estimate{}, nil
	}
	o.Config = fmt.Sprintf("%d MB serverless", mem)
	o.MemoryMiB = mem
	return estimate.EstimateSageMaker(estimate.SageMaker{
		Mode: estimate.SageMakerServerless, Requests: m.RequestsPerMonth, DurationMs: m.AvgMs,
		PayloadBytes: m.PayloadBytes, MemoryMiB: mem, FrontDoor: m.FrontDoor,
	}, p)
}

// instanceFor is the priced instance with the memory (and GPU) m needs
// that serves m's traffic for the least a month: its hourly price times
// the instances the traffic needs on what it sustains (a burstable
// instance only its baseline), with the count.
func instanceFor(m Model, p pricing.Prices) (name string, in pricing.Instance, count float64, passed []string, ok bool) {
	names := estimate.InstanceTypes(p)
	best, bestCost := "", math.Inf(1)
	counts := map[string]float64{}
	for _, n := range names {
		in := p.SageMaker.Instances[n]
		if in.MemoryGiB*1024 < m.needMiB() || (m.GPU && in.GPUs == 0) {
			continue
		}
		counts[n] = tasksFor(m, perInstance(m, in))
		if c := counts[n] * in.Hourly; c < bestCost || (c == bestCost && n < best) {
			best, bestCost = n, c
		}
	}
	if best == "" {
		return "", pricing.Instance{}, 0, nil, false
	}
	// Say why a burstable instance that fits was passed over: it is
	// cheaper by the hour, but not on the CPU it sustains.
	for _, n := range names {
		in, c := p.SageMaker.Instances[n], counts[n]
		if c > 0 && n != best && in.BaselineCPU > 0 && !m.GPU && in.Hourly < p.SageMaker.Instances[best].Hourly {
			passed = append(passed, fmt.Sprintf("%s not used: burstable, it sustains %.0f%% of each vCPU (%.1f of %d) under steady load, so it needs %g instances (%s a month) against %s × %g (%s)",
				n, in.BaselineCPU*100, in.SustainedVCPUs(), in.VCPUs, c, money(c*in.Hourly*pricing.HoursPerMonth), best, counts[best], money(bestCost*pricing.HoursPerMonth)))
		}
	}
	return best, p.SageMaker.Instances[best], counts[best], passed, true
}

// perInstance is the requests an instance serves at once: its GPUs for a
// GPU model, else the vCPUs it sustains.
func perInstance(m Model, in pricing.Instance) float64 {
	if m.GPU {
		return float64(in.GPUs)
	}
	return in.SustainedVCPUs()
}

func instanceOption(m Model, t workload.Tier, p pricing.Prices, o *Option) (estimate.Estimate, error) {
	name, in, instances, passed, ok := instanceFor(m, p)
	if !ok {
		kind := "instance"
		if m.GPU {
			kind = "GPU instance"
		}
		o.Limits = append(o.Limits, fmt.Sprintf("no priced %s has %.0f MB", kind, m.needMiB()))
	}
	if t == workload.TierSageMakerRealtime {
		o.AlwaysOn = true
		if m.P99Ms > float64(limits.SageMakerRealtimeTimeout.Milliseconds()) {
			o.Limits = append(o.Limits, fmt.Sprintf("p99 %s exceeds the real-time endpoint's %s", ms(m.P99Ms), seconds(limits.SageMakerRealtimeTimeout)))
		}
		if m.PayloadBytes > limits.SageMakerRealtimePayloadBytes {
			o.Limits = append(o.Limits, fmt.Sprintf("payload %s exceeds the real-time endpoint's 6 MB", size(m.PayloadBytes)))
		}
		o.Limits = append(o.Limits, frontDoorLimits(m)...)
	} else {
		if m.P99Ms > float64(limits.SageMakerAsyncTimeout.Milliseconds()) {
			o.Limits = append(o.Limits, fmt.Sprintf("p99 %s exceeds asynchronous inference's %s", ms(m.P99Ms), seconds(limits.SageMakerAsyncTimeout)))
		}
		if m.PayloadBytes > limits.SageMakerAsyncPayloadBytes {
			o.Limits = append(o.Limits, fmt.Sprintf("payload %s exceeds asynchronous inference's 1 GB", size(m.PayloadBytes)))
		}
	}
	if len(o.Limits) > 0 {
		return estimate.Estimate{}, nil
	}
	o.Sizing = append(o.Sizing, passed...)
	if in.BaselineCPU > 0 && !m.GPU {
		o.Sizing = append(o.Sizing, fmt.Sprintf("%s is burstable: sized on its %.0f%% baseline per vCPU (%.1f of its %d vCPUs sustained under steady load)", name, in.BaselineCPU*100, in.SustainedVCPUs(), in.VCPUs))
	}
	mode := estimate.SageMakerRealtime
	o.Config = fmt.Sprintf("%s × %g", name, instances)
	o.InstanceType, o.Count = name, int(instances)
	fd := m.FrontDoor
	if t == workload.TierSageMakerAsync {
		// Scales in to zero between jobs when no job arrives within the
		// cooldown; the caller polls or is notified.
		mode, instances, fd = estimate.SageMakerAsync, 0, estimate.FrontDoorNone
		hours, pw := estimate.AsyncInstanceHours(m.RequestsPerMonth, m.AvgMs, 0, estimate.DefaultScaleInCooldownMinutes)
		o.Config = fmt.Sprintf("%s, scales in to 0 after %d idle minutes", name, estimate.DefaultScaleInCooldownMinutes)
		o.Count = 0
		o.Sizing = append(o.Sizing, fmt.Sprintf("scales in to 0 instances only after %d idle minutes; at %s requests a month a request arrives within them with probability %.1f%%, so it bills %.0f instance-hours (an always-on instance: %d)", estimate.DefaultScaleInCooldownMinutes, count(m.RequestsPerMonth), pw*100, hours, pricing.HoursPerMonth))
	}
	return estimate.EstimateSageMaker(estimate.SageMaker{
		Mode: mode, Requests: m.RequestsPerMonth, DurationMs: m.AvgMs, PayloadBytes: m.PayloadBytes,
		InstanceType: name, Instances: instances, FrontDoor: fd,
	}, p)
}

// CostAt prices tier t for m at requests a month; ok is false when the
// tier is infeasible for m.
func CostAt(m Model, t workload.Tier, requests float64, p pricing.Prices) (float64, bool) {
	m.RequestsPerMonth = requests
	o := Evaluate(m, t, p)
	return o.MonthlyUSD, o.Feasible
}

// breakEvens finds where the cheapest feasible pay-per-use tier crosses
// every feasible always-on tier, and returns the crossing with the
// cheapest always-on tier at the expected traffic first.
func breakEvens(m Model, d Decision, p pricing.Prices) (*BreakEven, []BreakEven) {
	var payg, on *Option
	var always []*Option
	for i := range d.Options {
		o := &d.Options[i]
		if !o.Feasible || o.Tier == workload.TierSageMakerAsync {
			continue
		}
		if o.AlwaysOn {
			always = append(always, o)
			if on == nil || o.MonthlyUSD < on.MonthlyUSD {
				on = o
			}
		} else if payg == nil || o.MonthlyUSD < payg.MonthlyUSD {
			payg = o
		}
	}
	if payg == nil || on == nil {
		return nil, nil
	}
	var first *BreakEven
	var all []BreakEven
	for _, o := range always {
		be := crossing(m, payg.Tier, o.Tier, p)
		if be == nil {
			continue
		}
		all = append(all, *be)
		if o == on {
			first = be
		}
	}
	sort.Slice(all, func(i, j int) bool { return all[i].RequestsPerMonth < all[j].RequestsPerMonth })
	return first, all
}

// crossing is the traffic at which pay-per-use tier a costs as much as
// always-on tier b, or nil when they do not cross below 10^12 requests.
func crossing(m Model, a, b workload.Tier, p pricing.Prices) *BreakEven {
	diff := func(r float64) float64 {
		x, _ := CostAt(m, a, r, p)
		y, _ := CostAt(m, b, r, p)
		return x - y
	}
	// Scan decades for the first traffic at which pay-per-use costs more,
	// then bisect.
	lo, hi := 0.0, 0.0
	if diff(0) >= 0 {
		hi = 0
	} else {
		for r := 1e3; r <= 1e12; r *= math.Sqrt(10) {
			if diff(r) >= 0 {
				hi = r
				break
			}
			lo = r
		}
		if hi == 0 {
			return nil
		}
		for range 60 {
			mid := (lo + hi) / 2
			if diff(mid) >= 0 {
				hi = mid
			} else {
				lo = mid
			}
		}
	}
	usd, _ := CostAt(m, b, hi, p)
	return &BreakEven{PayPerUse: a, AlwaysOn: b, RequestsPerMonth: math.Round(hi), MonthlyUSD: usd}
}
