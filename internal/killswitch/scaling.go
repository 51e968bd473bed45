package killswitch

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	aas "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling"
	aastypes "github.com/aws/aws-sdk-go-v2/service/applicationautoscaling/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
)

// Kinds of the container tiers' targets (constructs/service names them the
// same way).
const (
	// KindECSService is an ECS service, named "CLUSTER/SERVICE": stopped by
	// holding its scalable target at 0..0 and its desired count at 0.
	KindECSService = "ecs-service"
	// KindSageMakerEndpoint is a SageMaker endpoint, named "ENDPOINT":
	// stopped by holding each instance variant's scalable target at its
	// minimum (0 for asynchronous endpoints, which then queue).
	KindSageMakerEndpoint = "sagemaker-endpoint"
)

// AutoScalingAPI is the part of the Application Auto Scaling client the
// container drivers use.
type AutoScalingAPI interface {
	DescribeScalableTargets(ctx context.Context, in *aas.DescribeScalableTargetsInput, opts ...func(*aas.Options)) (*aas.DescribeScalableTargetsOutput, error)
	RegisterScalableTarget(ctx context.Context, in *aas.RegisterScalableTargetInput, opts ...func(*aas.Options)) (*aas.RegisterScalableTargetOutput, error)
}

// ECSAPI is the part of the ECS client the ECS driver uses.
type ECSAPI interface {
	DescribeServices(ctx context.Context, in *ecs.DescribeServicesInput, opts ...func(*ecs.Options)) (*ecs.DescribeServicesOutput, error)
	UpdateService(ctx context.Context, in *ecs.UpdateServiceInput, opts ...func(*ecs.Options)) (*ecs.UpdateServiceOutput, error)
}

// Bounds is one scalable target's capacity range and what of its scaling
// was suspended.
type Bounds struct {
	ResourceID string `json:"resourceId"`
	Min        int32  `json:"min"`
	Max        int32  `json:"max"`
	// Suspended is the target's suspended state; nil when nothing was
	// suspended (records written before it was kept have none).
	Suspended *Suspended `json:"suspended,omitempty"`
}

// Suspended is a scalable target's suspended scaling.
type Suspended struct {
	DynamicIn  bool `json:"dynamicIn,omitempty"`
	DynamicOut bool `json:"dynamicOut,omitempty"`
	Scheduled  bool `json:"scheduled,omitempty"`
}

// allSuspended is what a trip sets on every scalable target it holds: a
// scheduled action sets the target's minimum and maximum when it runs,
// whatever the bounds the switch registered, so the scheduled scale-up of
// a provisioned-concurrency window, of a Fargate service or of an endpoint
// would start spending again (and, on Lambda, fail against a reserved
// concurrency of 0). Suspending scheduled and dynamic scaling keeps the
// target where the trip put it
// (https://docs.aws.amazon.com/autoscaling/application/userguide/application-auto-scaling-suspend-resume-scaling.html).
var allSuspended = &Suspended{DynamicIn: true, DynamicOut: true, Scheduled: true}

func suspendedFrom(s *aastypes.SuspendedState) *Suspended {
	if s == nil {
		return nil
	}
	out := &Suspended{DynamicIn: aws.ToBool(s.DynamicScalingInSuspended), DynamicOut: aws.ToBool(s.DynamicScalingOutSuspended), Scheduled: aws.ToBool(s.ScheduledScalingSuspended)}
	if *out == (Suspended{}) {
		return nil
	}
	return out
}

// held says whether b is held at min..min with all scaling suspended.
func (b Bounds) held(min int32) bool {
	return b.Min == min && b.Max == min && b.Suspended != nil && *b.Suspended == *allSuspended
}

// ECSPrevious is what the ECS driver records.
type ECSPrevious struct {
	DesiredCount int32 `json:"desiredCount"`
	// Scaling is the service's scalable target, nil when it has none.
	Scaling *Bounds `json:"scaling,omitempty"`
}

// ECSDriver stops an ECS service (Fargate tier) by scaling it to 0 tasks.
type ECSDriver struct {
	ECS         ECSAPI
	AutoScaling AutoScalingAPI
}

const ecsDimension = aastypes.ScalableDimensionECSServiceDesiredCount

func splitService(name string) (cluster, service string, err error) {
	cluster, service, ok := strings.Cut(name, "/")
	if !ok || cluster == "" || service == "" || strings.Contains(service, "/") {
		return "", "", fmt.Errorf("ecs service %q is not CLUSTER/SERVICE", name)
	}
	return cluster, service, nil
}

func (d ECSDriver) desired(ctx context.Context, cluster, service string) (int32, error) {
	out, err := d.ECS.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: []string{service}})
	if err != nil {
		return 0, fmt.Errorf("describe ecs service %s/%s: %w", cluster, service, err)
	}
	if len(out.Services) != 1 {
		return 0, fmt.Errorf("describe ecs service %s/%s: not found", cluster, service)
	}
	return out.Services[0].DesiredCount, nil
}

func (d ECSDriver) bounds(ctx context.Context, cluster, service string) (*Bounds, error) {
	id := "service/" + cluster + "/" + service
	out, err := d.AutoScaling.DescribeScalableTargets(ctx, &aas.DescribeScalableTargetsInput{
		ServiceNamespace: aastypes.ServiceNamespaceEcs, ScalableDimension: ecsDimension, ResourceIds: []string{id},
	})
	if err != nil {
		return nil, fmt.Errorf("describe scalable target %s: %w", id, err)
	}
	for _, t := range out.ScalableTargets {
		if aws.ToString(t.ResourceId) == id {
			return &Bounds{ResourceID: id, Min: aws.ToInt32(t.MinCapacity), Max: aws.ToInt32(t.MaxCapacity), Suspended: suspendedFrom(t.SuspendedState)}, nil
		}
	}
	return nil, nil
}

// register sets b's bounds and suspended state (all resumed when
// b.Suspended is nil: RegisterScalableTarget leaves a state it is not
// given unchanged, so restore passes every flag).
func register(ctx context.Context, c AutoScalingAPI, ns aastypes.ServiceNamespace, dim aastypes.ScalableDimension, b Bounds) error {
	var sus Suspended
	if b.Suspended != nil {
		sus = *b.Suspended
	}
	_, err := c.RegisterScalableTarget(ctx, &aas.RegisterScalableTargetInput{
		ServiceNamespace: ns, ScalableDimension: dim, ResourceId: aws.String(b.ResourceID),
		MinCapacity: aws.Int32(b.Min), MaxCapacity: aws.Int32(b.Max),
		SuspendedState: &aastypes.SuspendedState{
			DynamicScalingInSuspended: aws.Bool(sus.DynamicIn), DynamicScalingOutSuspended: aws.Bool(sus.DynamicOut),
			ScheduledScalingSuspended: aws.Bool(sus.Scheduled),
		},
	})
	if err != nil {
		return fmt.Errorf("register scalable target %s at %d..%d: %w", b.ResourceID, b.Min, b.Max, err)
	}
	return nil
}

// Current records the desired count and the scaling bounds.
func (d ECSDriver) Current(ctx context.Context, name string) (json.RawMessage, error) {
	cluster, service, err := splitService(name)
	if err != nil {
		return nil, err
	}
	n, err := d.desired(ctx, cluster, service)
	if err != nil {
		return nil, err
	}
	b, err := d.bounds(ctx, cluster, service)
	if err != nil {
		return nil, err
	}
	return json.Marshal(ECSPrevious{DesiredCount: n, Scaling: b})
}

// Stop holds the scalable target at 0..0 with its scheduled and dynamic
// scaling suspended (so neither a scheduled action nor a policy starts
// tasks again) and sets the desired count to 0.
func (d ECSDriver) Stop(ctx context.Context, name string) (string, error) {
	cluster, service, err := splitService(name)
	if err != nil {
		return "", err
	}
	var changes []string
	b, err := d.bounds(ctx, cluster, service)
	if err != nil {
		return "", err
	}
	if b != nil && !b.held(0) {
		if err := register(ctx, d.AutoScaling, aastypes.ServiceNamespaceEcs, ecsDimension, Bounds{ResourceID: b.ResourceID, Suspended: allSuspended}); err != nil {
			return "", err
		}
		changes = append(changes, fmt.Sprintf("scaling %d..%d -> 0..0, suspended", b.Min, b.Max))
	}
	n, err := d.desired(ctx, cluster, service)
	if err != nil {
		return "", err
	}
	if n != 0 {
		if _, err := d.ECS.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String(cluster), Service: aws.String(service), DesiredCount: aws.Int32(0)}); err != nil {
			return "", fmt.Errorf("scale ecs service %s to 0: %w", name, err)
		}
		changes = append(changes, fmt.Sprintf("desired count %d -> 0", n))
	}
	if len(changes) == 0 {
		return "", nil
	}
	return "ecs " + name + ": " + strings.Join(changes, ", "), nil
}

// Restore puts back the recorded scaling bounds and desired count.
func (d ECSDriver) Restore(ctx context.Context, name string, previous json.RawMessage) (string, error) {
	cluster, service, err := splitService(name)
	if err != nil {
		return "", err
	}
	var p ECSPrevious
	if err := json.Unmarshal(previous, &p); err != nil {
		return "", fmt.Errorf("restore %s: recorded value %s: %w", name, previous, err)
	}
	var changes []string
	if p.Scaling != nil {
		if err := register(ctx, d.AutoScaling, aastypes.ServiceNamespaceEcs, ecsDimension, *p.Scaling); err != nil {
			return "", err
		}
		changes = append(changes, fmt.Sprintf("scaling 0..0 -> %d..%d", p.Scaling.Min, p.Scaling.Max))
	}
	if _, err := d.ECS.UpdateService(ctx, &ecs.UpdateServiceInput{Cluster: aws.String(cluster), Service: aws.String(service), DesiredCount: aws.Int32(p.DesiredCount)}); err != nil {
		return "", fmt.Errorf("scale ecs service %s to %d: %w", name, p.DesiredCount, err)
	}
	changes = append(changes, fmt.Sprintf("desired count 0 -> %d", p.DesiredCount))
	return "ecs " + name + ": " + strings.Join(changes, ", "), nil
}

// SageMakerPrevious is what the SageMaker driver records: each instance
// variant's scaling bounds.
type SageMakerPrevious struct {
	Variants []Bounds `json:"variants"`
}

// SageMakerDriver stops a SageMaker endpoint's instance spending by holding
// every variant's scalable target at its minimum capacity (AWS scales the
// variant in to it). A variant without a scalable target cannot be held.
type SageMakerDriver struct {
	AutoScaling AutoScalingAPI
}

const sageMakerDimension = aastypes.ScalableDimensionSageMakerVariantDesiredInstanceCount

func (d SageMakerDriver) variants(ctx context.Context, endpoint string) ([]Bounds, error) {
	prefix := "endpoint/" + endpoint + "/variant/"
	var out []Bounds
	var token *string
	for {
		page, err := d.AutoScaling.DescribeScalableTargets(ctx, &aas.DescribeScalableTargetsInput{
			ServiceNamespace: aastypes.ServiceNamespaceSagemaker, ScalableDimension: sageMakerDimension, NextToken: token,
		})
		if err != nil {
			return nil, fmt.Errorf("describe scalable targets of endpoint %s: %w", endpoint, err)
		}
		for _, t := range page.ScalableTargets {
			if id := aws.ToString(t.ResourceId); strings.HasPrefix(id, prefix) {
				out = append(out, Bounds{ResourceID: id, Min: aws.ToInt32(t.MinCapacity), Max: aws.ToInt32(t.MaxCapacity), Suspended: suspendedFrom(t.SuspendedState)})
			}
		}
		if token = page.NextToken; token == nil {
			break
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("endpoint %s: no variant has a scalable target (%s), so none can be held at its minimum", endpoint, sageMakerDimension)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ResourceID < out[j].ResourceID })
	return out, nil
}

// Current records every variant's bounds.
func (d SageMakerDriver) Current(ctx context.Context, name string) (json.RawMessage, error) {
	v, err := d.variants(ctx, name)
	if err != nil {
		return nil, err
	}
	return json.Marshal(SageMakerPrevious{Variants: v})
}

// Stop lowers every variant's maximum to its minimum and suspends its
// scheduled and dynamic scaling.
func (d SageMakerDriver) Stop(ctx context.Context, name string) (string, error) {
	v, err := d.variants(ctx, name)
	if err != nil {
		return "", err
	}
	var changes []string
	for _, b := range v {
		if b.held(b.Min) {
			continue
		}
		if err := register(ctx, d.AutoScaling, aastypes.ServiceNamespaceSagemaker, sageMakerDimension, Bounds{ResourceID: b.ResourceID, Min: b.Min, Max: b.Min, Suspended: allSuspended}); err != nil {
			return "", err
		}
		changes = append(changes, fmt.Sprintf("%s %d..%d -> %d..%d, suspended", b.ResourceID, b.Min, b.Max, b.Min, b.Min))
	}
	if len(changes) == 0 {
		return "", nil
	}
	return "sagemaker " + strings.Join(changes, ", "), nil
}

// Restore puts back every variant's recorded bounds.
func (d SageMakerDriver) Restore(ctx context.Context, name string, previous json.RawMessage) (string, error) {
	var p SageMakerPrevious
	if err := json.Unmarshal(previous, &p); err != nil {
		return "", fmt.Errorf("restore %s: recorded value %s: %w", name, previous, err)
	}
	var changes []string
	for _, b := range p.Variants {
		if err := register(ctx, d.AutoScaling, aastypes.ServiceNamespaceSagemaker, sageMakerDimension, b); err != nil {
			return "", err
		}
		changes = append(changes, fmt.Sprintf("%s -> %d..%d", b.ResourceID, b.Min, b.Max))
	}
	return "sagemaker " + strings.Join(changes, ", "), nil
}
