package spend

import (
	"errors"
	"fmt"
	"time"

	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
)

// Metric ids of the container tiers' expressions.
const (
	// IDTasks is the ECS service's RunningTaskCount (Container Insights),
	// statistic Average.
	IDTasks = "tasks"
	// IDInstanceSamples is the endpoint variant's CPUUtilization
	// (/aws/sagemaker/Endpoints), statistic SampleCount: each instance
	// reports once a minute, so samples ÷ minutes = instances.
	IDInstanceSamples = "instances"
	// IDModelLatency is the serverless variant's ModelLatency in
	// microseconds, statistic Sum.
	IDModelLatency = "latency"
	// IDModelSetup is the serverless variant's ModelSetupTime (cold starts)
	// in microseconds, statistic Sum.
	IDModelSetup = "setup"
)

// TierModel is the dollar model of a container tier (Fargate or a
// SageMaker endpoint) and its API, priced like [Model]:
//
//	fargate:   tasks × task-hour + req × perRequest × periodsPerHour + load balancer (and NAT) per hour
//	serverless: (latency + setup) µs × memory GB × per-GB-second × periodsPerHour + req × …
//	instances: instances ÷ minutes per period × instance-hour + req × …
//
// Every term is FILLed with 0, so an idle API still prices the running
// tasks (a missing term would make the whole expression missing). Cold
// starts (ModelSetupTime) are priced as compute, which over-estimates if
// AWS does not bill them: the safe side for a guard.
type TierModel struct {
	Tier workload.Tier
	// TaskHour is one Fargate task of the tier's size for an hour.
	TaskHour float64
	// InstanceHour is one SageMaker instance for an hour.
	InstanceHour float64
	// PerMicrosecond is one microsecond of serverless compute at the
	// endpoint's memory.
	PerMicrosecond float64
	// FixedPerHour is what bills whatever the traffic: the Fargate tier's
	// load balancer (an hour and the one LCU cost/estimate assumes), and
	// whatever the caller adds (the guard adds the tier's NAT gateways).
	FixedPerHour float64
	// APIPerRequest is USD per API request; 0 without an API.
	APIPerRequest float64
	// HasAPI says whether the req metric exists.
	HasAPI bool
	// Around is what bills around the tier and its API; its per-request
	// items are priced on req, so without an API only its fixed ones.
	Around Around
}

// TierModelFor prices w, a Fargate or SageMaker workload, from p; hasAPI
// says whether an API's request count is part of the expression.
func TierModelFor(p pricing.Prices, w workload.Workload, hasAPI bool) (TierModel, error) {
	m := TierModel{Tier: w.Tier, HasAPI: hasAPI}
	switch w.FrontDoor {
	case workload.FrontDoorREST:
		m.APIPerRequest = p.APIGateway.RESTPerRequest()
	case workload.FrontDoorHTTP:
		m.APIPerRequest = p.APIGateway.HTTPPerRequest()
	}
	if !hasAPI {
		m.APIPerRequest = 0
	}
	if w.SageMaker != nil {
		// The endpoint bills the data it processes, in and out: the
		// record's payload is a request plus its response.
		m.Around.PerRequestUSD = w.Traffic.PayloadBytes / (1 << 30) * p.SageMaker.DataPerGB
	}
	switch w.Tier {
	case workload.TierFargate:
		f := w.Fargate
		if f == nil {
			return TierModel{}, errors.New("tier fargate without its fargate configuration")
		}
		a, err := pricing.ParseArch(string(f.Architecture))
		if err != nil {
			return TierModel{}, err
		}
		m.TaskHour = p.Fargate.TaskHour(a, f.CPU, f.MemoryMiB)
		m.FixedPerHour = p.Network.ALBHour + p.Network.ALBLCUHour
	case workload.TierSageMakerServerless:
		s := w.SageMaker
		if s == nil || s.MemoryMiB <= 0 {
			return TierModel{}, errors.New("tier sagemaker-serverless without its memory size")
		}
		m.PerMicrosecond = float64(s.MemoryMiB) / pricing.MiBPerGiB * p.SageMaker.ServerlessPerGBSecond / 1e6
	case workload.TierSageMakerRealtime, workload.TierSageMakerAsync:
		s := w.SageMaker
		if s == nil {
			return TierModel{}, fmt.Errorf("tier %s without its sagemaker configuration", w.Tier)
		}
		in, ok := p.SageMaker.Instances[s.InstanceType]
		if !ok {
			return TierModel{}, fmt.Errorf("instance type %q has no price", s.InstanceType)
		}
		m.InstanceHour = in.Hourly
	default:
		return TierModel{}, fmt.Errorf("tier %q is not fargate or a sagemaker tier", w.Tier)
	}
	return m, nil
}

// MetricIDs lists the ids the expressions use, in a stable order.
func (m TierModel) MetricIDs() []string {
	var ids []string
	switch m.Tier {
	case workload.TierFargate:
		ids = []string{IDTasks}
	case workload.TierSageMakerServerless:
		ids = []string{IDModelLatency, IDModelSetup}
	default:
		ids = []string{IDInstanceSamples}
	}
	if m.HasAPI {
		ids = append(ids, IDRequests)
	}
	return ids
}

// periodsPerHour is how many DefaultPeriod periods make an hour.
func (m TierModel) periodsPerHour() float64 { return float64(pricingHour / DefaultPeriod) }

const pricingHour = time.Hour

// USDPerHourExpression is the spend rate in dollars per hour over the last
// period.
func (m TierModel) USDPerHourExpression() string {
	var e string
	switch m.Tier {
	case workload.TierFargate:
		e = fmt.Sprintf("FILL(%s, 0) * %s", IDTasks, num(m.TaskHour))
	case workload.TierSageMakerServerless:
		e = fmt.Sprintf("(FILL(%s, 0) + FILL(%s, 0)) * %s", IDModelLatency, IDModelSetup, num(m.PerMicrosecond*m.periodsPerHour()))
	default:
		e = fmt.Sprintf("FILL(%s, 0) / %s * %s", IDInstanceSamples, num(DefaultPeriod.Minutes()), num(m.InstanceHour))
	}
	if m.HasAPI {
		e += fmt.Sprintf(" + FILL(%s, 0) * %s", IDRequests, num(m.APIPerRequest*m.periodsPerHour()))
	}
	if m.FixedPerHour > 0 {
		e += " + " + num(m.FixedPerHour)
	}
	count := ""
	if m.HasAPI {
		count = IDRequests
	}
	return e + m.Around.terms(count, DefaultPeriod.Seconds())
}

// ProjectedMonthlyExpression is the monthly bill if the last period's
// spend rate went on all month, in dollars.
func (m TierModel) ProjectedMonthlyExpression() string {
	return "(" + m.USDPerHourExpression() + ") * " + num(pricing.HoursPerMonth)
}

// FloorPerHour is what the tier spends an hour with no traffic and
// minimum running tasks or instances: the spend alarm never goes below it.
func (m TierModel) FloorPerHour(w workload.Workload) float64 {
	floor := m.FixedPerHour + m.Around.FixedMonthlyUSD/pricing.HoursPerMonth
	switch {
	case w.Fargate != nil:
		floor += float64(w.Fargate.MinTasks) * m.TaskHour
	case w.SageMaker != nil && m.InstanceHour > 0:
		floor += float64(w.SageMaker.MinInstances) * m.InstanceHour
	}
	return floor
}
