package sagemaker

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapplicationautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecr"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awskms"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3"
	"github.com/aws/aws-cdk-go/awscdk/v2/awssagemaker"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/costguard-ml/costguard/constructs/internal/frontdoor"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/validation"
)

// Variant is the kind of SageMaker endpoint.
type Variant string

// The variants an [Endpoint] can be.
const (
	VariantServerless Variant = "serverless"
	VariantRealtime   Variant = "realtime"
	VariantAsync      Variant = "async"
)

// Tier returns the costguard tier the variant bills as.
func (v Variant) Tier() workload.Tier {
	switch v {
	case VariantRealtime:
		return workload.TierSageMakerRealtime
	case VariantAsync:
		return workload.TierSageMakerAsync
	default:
		return workload.TierSageMakerServerless
	}
}

// Defaults applied to a zero [EndpointProps] field.
const (
	DefaultServerlessMemoryMiB       = 2048
	DefaultMaxConcurrency            = 5
	DefaultInstanceType              = "ml.c5.large"
	DefaultMaxInstances              = 2
	DefaultInvocationsPerInstance    = 100
	DefaultBacklogPerInstance        = 5
	DefaultAsyncInvocationsPerInst   = 4
	DefaultAsyncResultExpirationDays = 7
	DefaultThrottleRateLimit         = 20
	DefaultThrottleBurstLimit        = 40
	DefaultLogRetention              = awslogs.RetentionDays_ONE_MONTH
	// StageName is the REST API's stage; clients POST to .../v1/predict.
	StageName = "v1"
	// VariantName is the endpoint's only production variant.
	VariantName = "AllTraffic"
	// ModelDir is where SageMaker places model data in the container.
	ModelDir = "/opt/ml/model"
)

// Serverless concurrency bounds per endpoint.
//
// Source: Amazon SageMaker AI Developer Guide, "Serverless Inference",
// MaxConcurrency (1 to 200 per endpoint); read 2026-11-27.
// TODO(costguard): move to cost/limits with the other SageMaker quotas.
const (
	minServerlessConcurrency = 1
	maxServerlessConcurrency = 200
)

// Image is a container image in Amazon ECR. The
// awsecrassets.DockerImageAsset of service.ModelServerImage satisfies it.
type Image interface {
	ImageUri() *string
	Repository() awsecr.IRepository
}

// ModelData is a gzip-compressed TAR archive of a model directory
// (manifest.json and model.onnx) in S3. An awss3assets.Asset of a .tar.gz
// file satisfies it.
type ModelData interface {
	Bucket() awss3.IBucket
	S3ObjectKey() *string
	S3ObjectUrl() *string
}

// EndpointProps configures an [Endpoint]. The zero value of every optional
// field selects the documented default.
type EndpointProps struct {
	// Image is the model server's container image, started by SageMaker with
	// the argument serve. Required.
	Image Image
	// ModelData is the model to serve, unpacked into /opt/ml/model, whose path
	// the server receives as MODEL_DIR. Default: the model built into the image.
	ModelData ModelData
	// Variant is the kind of endpoint. Default serverless.
	Variant Variant
	// MemoryMiB is a serverless endpoint's memory (1024 to 6144 in 1024
	// steps). Default 2048. Serverless only.
	MemoryMiB int
	// MaxConcurrency is a serverless endpoint's concurrency limit (1 to 200).
	// Default 5. Serverless only.
	MaxConcurrency int
	// InstanceType is a real-time or asynchronous endpoint's instance type,
	// one that costguard can price. Default ml.c5.large.
	InstanceType string
	// MinInstances is the fewest instances. Default 1 for real-time (at least
	// 1), 0 for asynchronous (scale to zero when the queue is empty).
	MinInstances int
	// MaxInstances is the most instances. Default 2, or MinInstances if larger.
	MaxInstances int
	// DeregisterScaling leaves the variant out of Application Auto Scaling
	// (no scalable target, no policies). SageMaker refuses to change the
	// instance type of a variant registered with Application Auto Scaling,
	// so an instance-type change takes three deployments: this set, then
	// the new InstanceType, then this cleared (docs/tiers.md). While set,
	// the endpoint runs at its initial count and the kill switch has no
	// target to hold. Default: false (the variant autoscales).
	DeregisterScaling bool
	// InvocationsPerInstance is the invocations per instance per minute a
	// real-time endpoint's autoscaling keeps. Default 100.
	InvocationsPerInstance int
	// BacklogPerInstance is the queued requests per instance an asynchronous
	// endpoint's autoscaling keeps. Default 5.
	BacklogPerInstance int
	// MaxConcurrentInvocationsPerInstance is how many requests an asynchronous
	// endpoint sends each instance at once. Default 4.
	MaxConcurrentInvocationsPerInstance int
	// ResultExpiration is how long an asynchronous endpoint's inputs and
	// results stay in S3, in days. Default 7.
	ResultExpirationDays int
	// EncryptionKey encrypts the instances' storage volumes (where the
	// instance type has no NVMe instance store, which is always encrypted)
	// and the asynchronous inputs and results. Default: a new customer
	// managed key with rotation, created only when something needs it.
	EncryptionKey awskms.IKey
	// Environment adds variables to the model server's environment
	// (non-secret configuration only). Default none.
	Environment map[string]string
	// LogRetention is how long the endpoint's and the API's logs are kept.
	// Default one month.
	LogRetention awslogs.RetentionDays
	// ThrottleRateLimit is the API stage's steady-state request rate per
	// second. Default 20.
	ThrottleRateLimit float64
	// ThrottleBurstLimit is the API stage's burst. Default 40.
	ThrottleBurstLimit int
	// Traffic is what the stage expects, recorded for the cost report.
	// Default none.
	Traffic workload.Traffic
	// Placement records why this tier was chosen, one reason a line; set by
	// InferenceService. Default none.
	Placement []string
}

// Endpoint is the model server on a SageMaker endpoint behind an API
// Gateway REST API.
type Endpoint struct {
	constructs.Construct
	props        EndpointProps
	name         string
	role         awsiam.Role
	key          awskms.IKey
	model        awssagemaker.CfnModel
	config       awssagemaker.CfnEndpointConfig
	endpoint     awssagemaker.CfnEndpoint
	logs         awslogs.LogGroup
	scaling      awsapplicationautoscaling.ScalableTarget
	bucket       awss3.Bucket
	submit       awslambda.Function
	api          awsapigateway.RestApi
	accessLogs   awslogs.LogGroup
	apiRole      awsiam.Role
	workloadInfo workload.Workload
	err          *validation.Error
}

// withDefaults returns a copy of p with every zero field resolved.
func (p EndpointProps) withDefaults() EndpointProps {
	p.Variant = cmp.Or(p.Variant, VariantServerless)
	switch p.Variant {
	case VariantServerless:
		p.MemoryMiB = cmp.Or(p.MemoryMiB, DefaultServerlessMemoryMiB)
		p.MaxConcurrency = cmp.Or(p.MaxConcurrency, DefaultMaxConcurrency)
	case VariantRealtime, VariantAsync:
		p.InstanceType = cmp.Or(p.InstanceType, DefaultInstanceType)
		if p.MinInstances == 0 && p.Variant == VariantRealtime {
			p.MinInstances = 1
		}
		p.MaxInstances = cmp.Or(p.MaxInstances, max(DefaultMaxInstances, p.MinInstances))
		p.InvocationsPerInstance = cmp.Or(p.InvocationsPerInstance, DefaultInvocationsPerInstance)
		p.BacklogPerInstance = cmp.Or(p.BacklogPerInstance, DefaultBacklogPerInstance)
		p.MaxConcurrentInvocationsPerInstance = cmp.Or(p.MaxConcurrentInvocationsPerInstance, DefaultAsyncInvocationsPerInst)
		p.ResultExpirationDays = cmp.Or(p.ResultExpirationDays, DefaultAsyncResultExpirationDays)
	}
	p.LogRetention = cmp.Or(p.LogRetention, DefaultLogRetention)
	p.ThrottleRateLimit = cmp.Or(p.ThrottleRateLimit, DefaultThrottleRateLimit)
	p.ThrottleBurstLimit = cmp.Or(p.ThrottleBurstLimit, DefaultThrottleBurstLimit)
	p.Environment = maps.Clone(p.Environment)
	p.Placement = slices.Clone(p.Placement)
	return p
}

// validate reports every problem with the resolved props, joined.
func (p EndpointProps) validate() error {
	var errs []error
	if p.Image == nil {
		errs = append(errs, validation.Problem("Image", "is required (the model server's container image in ECR)"))
	}
	switch p.Variant {
	case VariantServerless:
		errs = append(errs, p.serverlessProblems()...)
	case VariantRealtime, VariantAsync:
		errs = append(errs, p.instanceProblems()...)
	default:
		errs = append(errs, fmt.Errorf("Variant: %q is not one of serverless, realtime, async", p.Variant))
	}
	for _, k := range []string{"MODEL_DIR", "SERVER_MODE", "PORT"} {
		if _, ok := p.Environment[k]; ok {
			errs = append(errs, validation.Problem("Environment", k+" is set by the construct"))
		}
	}
	errs = append(errs, frontdoor.ThrottleProblems(p.ThrottleRateLimit, p.ThrottleBurstLimit)...)
	return errors.Join(errs...)
}

// serverlessProblems checks the serverless variant's memory and
// concurrency, and that no instance field is set.
func (p EndpointProps) serverlessProblems() []error {
	var errs []error
	sm := pricing.Default().SageMaker
	if p.MemoryMiB < sm.ServerlessMinMiB || p.MemoryMiB > sm.ServerlessMaxMiB || p.MemoryMiB%sm.ServerlessStepMiB != 0 {
		errs = append(errs, fmt.Errorf("MemoryMiB: %d is not a serverless memory size (want %d to %d in %d steps)",
			p.MemoryMiB, sm.ServerlessMinMiB, sm.ServerlessMaxMiB, sm.ServerlessStepMiB))
	}
	if p.MaxConcurrency < minServerlessConcurrency || p.MaxConcurrency > maxServerlessConcurrency {
		errs = append(errs, fmt.Errorf("MaxConcurrency: %d is outside %d to %d", p.MaxConcurrency, minServerlessConcurrency, maxServerlessConcurrency))
	}
	if p.InstanceType != "" || p.MinInstances != 0 || p.MaxInstances != 0 {
		errs = append(errs, errors.New("InstanceType, MinInstances, MaxInstances: apply to the realtime and async variants only"))
	}
	return errs
}

// instanceProblems checks the real-time and asynchronous variants'
// instance type, counts and scaling targets, and that no serverless field
// is set.
func (p EndpointProps) instanceProblems() []error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf(format, args...)) }
	instances := pricing.Default().SageMaker.Instances
	if _, ok := instances[p.InstanceType]; !ok {
		bad("InstanceType: %q is not an instance costguard can price (want one of %s)", p.InstanceType, strings.Join(slices.Sorted(maps.Keys(instances)), ", "))
	}
	if p.Variant == VariantRealtime && p.MinInstances < 1 {
		bad("MinInstances: %d is below 1 (a real-time endpoint keeps at least one instance; use the async variant to scale to zero)", p.MinInstances)
	}
	if p.MinInstances < 0 {
		bad("MinInstances: %d is negative", p.MinInstances)
	}
	if p.MaxInstances < 1 {
		bad("MaxInstances: %d is below 1", p.MaxInstances)
	} else if p.MaxInstances < p.MinInstances {
		bad("MaxInstances: %d is below MinInstances %d", p.MaxInstances, p.MinInstances)
	}
	if p.InvocationsPerInstance < 1 {
		bad("InvocationsPerInstance: %d is below 1", p.InvocationsPerInstance)
	}
	if p.BacklogPerInstance < 1 {
		bad("BacklogPerInstance: %d is below 1", p.BacklogPerInstance)
	}
	if n := p.MaxConcurrentInvocationsPerInstance; n < 1 || n > 1000 {
		bad("MaxConcurrentInvocationsPerInstance: %d is outside 1 to 1000", n)
	}
	if p.ResultExpirationDays < 1 {
		bad("ResultExpirationDays: %d is below 1", p.ResultExpirationDays)
	}
	if p.MemoryMiB != 0 || p.MaxConcurrency != 0 {
		errs = append(errs, errors.New("MemoryMiB, MaxConcurrency: apply to the serverless variant only"))
	}
	return errs
}

// hasInstanceStore reports whether an instance type has NVMe instance
// storage, which SageMaker encrypts itself and for which it rejects a KMS key.
func hasInstanceStore(instanceType string) bool {
	family := strings.Split(strings.TrimPrefix(instanceType, "ml."), ".")[0]
	return strings.HasSuffix(family, "d") || strings.HasPrefix(family, "g") || strings.HasPrefix(family, "p") || strings.HasPrefix(family, "inf") || strings.HasPrefix(family, "trn")
}

// NewEndpoint builds the model server on a SageMaker endpoint. Bad props
// build nothing: every problem is reported at once as a CDK error
// annotation (`cdk synth` fails listing them) and by [Endpoint.Err].
func NewEndpoint(scope constructs.Construct, id string, props *EndpointProps) *Endpoint {
	var p EndpointProps
	if props != nil {
		p = *props
	}
	p = p.withDefaults()
	e := &Endpoint{props: p}
	constructs.NewConstruct_Override(e, scope, jsii.String(id))
	if e.err = validation.Report(e, p.validate()); e.err != nil {
		return e
	}
	// A fixed name (unique in the account, stable across deployments, made
	// from the construct path) lets the log group exist, with its retention,
	// before SageMaker writes to it.
	e.name = *awscdk.Names_UniqueResourceName(e, &awscdk.UniqueResourceNameOptions{MaxLength: jsii.Number(63)})
	e.buildKey()
	e.buildBucket()
	e.buildModel()
	e.buildEndpoint()
	e.buildScaling()
	e.buildAPI()
	e.recordWorkload()
	return e
}

func (e *Endpoint) needsKey() bool {
	return e.props.Variant == VariantAsync || (e.props.Variant == VariantRealtime && !hasInstanceStore(e.props.InstanceType))
}

func (e *Endpoint) buildKey() {
	if e.props.EncryptionKey != nil {
		e.key = e.props.EncryptionKey
		return
	}
	if !e.needsKey() {
		return
	}
	e.key = awskms.NewKey(e.Construct, jsii.String("Key"), &awskms.KeyProps{
		Description:       jsii.String("costguard SageMaker endpoint: storage volumes and asynchronous inputs and results"),
		EnableKeyRotation: jsii.Bool(true),
		RemovalPolicy:     awscdk.RemovalPolicy_DESTROY,
		PendingWindow:     awscdk.Duration_Days(jsii.Number(7)),
	})
}

func (e *Endpoint) buildBucket() {
	if e.props.Variant != VariantAsync {
		return
	}
	e.bucket = awss3.NewBucket(e.Construct, jsii.String("AsyncBucket"), &awss3.BucketProps{
		Encryption:        awss3.BucketEncryption_KMS,
		EncryptionKey:     e.key,
		BucketKeyEnabled:  jsii.Bool(true),
		EnforceSSL:        jsii.Bool(true),
		BlockPublicAccess: awss3.BlockPublicAccess_BLOCK_ALL(),
		ObjectOwnership:   awss3.ObjectOwnership_BUCKET_OWNER_ENFORCED,
		RemovalPolicy:     awscdk.RemovalPolicy_DESTROY,
		AutoDeleteObjects: jsii.Bool(true),
		LifecycleRules: &[]*awss3.LifecycleRule{{
			Id:                                  jsii.String("ExpireRequestsAndResults"),
			Expiration:                          awscdk.Duration_Days(jsii.Number(float64(e.props.ResultExpirationDays))),
			AbortIncompleteMultipartUploadAfter: awscdk.Duration_Days(jsii.Number(1)),
		}},
	})
	cdknag.NagSuppressions_AddResourceSuppressions(e.bucket, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-S1"),
		Reason: jsii.String("The bucket holds transient inference inputs and results that expire after days; every " +
			"request is already recorded in the API's access log, so server access logs would only duplicate it at a cost."),
	}}, jsii.Bool(true))
}

func (e *Endpoint) buildModel() {
	p := e.props
	e.role = awsiam.NewRole(e.Construct, jsii.String("ExecutionRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("sagemaker.amazonaws.com"), nil),
		Description: jsii.String("costguard SageMaker model: pulls the model server image, reads model data, writes logs and metrics"),
	})
	p.Image.Repository().GrantPull(e.role)
	stack := awscdk.Stack_Of(e.Construct)
	e.role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions: jsii.Strings("logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"),
		Resources: jsii.Strings(*stack.FormatArn(&awscdk.ArnComponents{
			Service: jsii.String("logs"), Resource: jsii.String("log-group"),
			ResourceName: jsii.String("/aws/sagemaker/Endpoints/" + e.name + ":*"), ArnFormat: awscdk.ArnFormat_COLON_RESOURCE_NAME,
		})),
	}))
	e.role.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:    jsii.Strings("cloudwatch:PutMetricData"),
		Resources:  jsii.Strings("*"),
		Conditions: &map[string]any{"StringEquals": map[string]any{"cloudwatch:namespace": "/aws/sagemaker/Endpoints"}},
	}))
	env := map[string]*string{"SERVER_MODE": jsii.String("sagemaker")}
	for k, v := range p.Environment {
		env[k] = jsii.String(v)
	}
	container := &awssagemaker.CfnModel_ContainerDefinitionProperty{
		Image:       p.Image.ImageUri(),
		Mode:        jsii.String("SingleModel"),
		Environment: &env,
	}
	if p.ModelData != nil {
		p.ModelData.Bucket().GrantRead(e.role, p.ModelData.S3ObjectKey())
		env["MODEL_DIR"] = jsii.String(ModelDir)
		container.ModelDataSource = &awssagemaker.CfnModel_ModelDataSourceProperty{
			S3DataSource: &awssagemaker.CfnModel_S3DataSourceProperty{
				S3Uri:           p.ModelData.S3ObjectUrl(),
				S3DataType:      jsii.String("S3Object"),
				CompressionType: jsii.String("Gzip"),
			},
		}
	}
	e.model = awssagemaker.NewCfnModel(e.Construct, jsii.String("Model"), &awssagemaker.CfnModelProps{
		ExecutionRoleArn: e.role.RoleArn(),
		PrimaryContainer: container,
	})
	// The role's policy must exist before SageMaker validates the image.
	e.model.Node().AddDependency(e.role)
	cdknag.NagSuppressions_AddResourceSuppressions(e.role, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-IAM5"),
		Reason: jsii.String("ecr:GetAuthorizationToken and cloudwatch:PutMetricData support no resource-level " +
			"permission (PutMetricData is limited to SageMaker's namespace by condition); log streams are created " +
			"under this endpoint's own log group, and the bucket grants cover this endpoint's prefixes only."),
	}}, jsii.Bool(true))
}

func (e *Endpoint) buildEndpoint() {
	p := e.props
	e.logs = awslogs.NewLogGroup(e.Construct, jsii.String("Logs"), &awslogs.LogGroupProps{
		LogGroupName:  jsii.String("/aws/sagemaker/Endpoints/" + e.name),
		Retention:     p.LogRetention,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	variant := &awssagemaker.CfnEndpointConfig_ProductionVariantProperty{
		VariantName:          jsii.String(VariantName),
		ModelName:            e.model.AttrModelName(),
		InitialVariantWeight: jsii.Number(1),
	}
	cfgProps := &awssagemaker.CfnEndpointConfigProps{}
	switch p.Variant {
	case VariantServerless:
		variant.ServerlessConfig = &awssagemaker.CfnEndpointConfig_ServerlessConfigProperty{
			MemorySizeInMb: jsii.Number(float64(p.MemoryMiB)),
			MaxConcurrency: jsii.Number(float64(p.MaxConcurrency)),
		}
	default:
		variant.InstanceType = jsii.String(p.InstanceType)
		variant.InitialInstanceCount = jsii.Number(float64(max(1, p.MinInstances)))
		if e.key != nil && !hasInstanceStore(p.InstanceType) {
			cfgProps.KmsKeyId = e.key.KeyArn()
			e.key.GrantEncryptDecrypt(e.role)
		}
	}
	if p.Variant == VariantAsync {
		e.bucket.GrantRead(e.role, jsii.String("input/*"))
		e.bucket.GrantPut(e.role, jsii.String("output/*"))
		e.bucket.GrantPut(e.role, jsii.String("failure/*"))
		cfgProps.AsyncInferenceConfig = &awssagemaker.CfnEndpointConfig_AsyncInferenceConfigProperty{
			OutputConfig: &awssagemaker.CfnEndpointConfig_AsyncInferenceOutputConfigProperty{
				S3OutputPath:  e.bucket.S3UrlForObject(jsii.String("output")),
				S3FailurePath: e.bucket.S3UrlForObject(jsii.String("failure")),
				KmsKeyId:      e.key.KeyArn(),
			},
			ClientConfig: &awssagemaker.CfnEndpointConfig_AsyncInferenceClientConfigProperty{
				MaxConcurrentInvocationsPerInstance: jsii.Number(float64(p.MaxConcurrentInvocationsPerInstance)),
			},
		}
	}
	cfgProps.ProductionVariants = &[]any{variant}
	e.config = awssagemaker.NewCfnEndpointConfig(e.Construct, jsii.String("Config"), cfgProps)
	e.config.Node().AddDependency(e.role)
	e.endpoint = awssagemaker.NewCfnEndpoint(e.Construct, jsii.String("Resource"), &awssagemaker.CfnEndpointProps{
		EndpointName:       jsii.String(e.name),
		EndpointConfigName: e.config.AttrEndpointConfigName(),
		// Without it every endpoint-config update (a new model, a new
		// image) resets the variant to its initial instance count, waking
		// an asynchronous endpoint that autoscaling had at 0 and undoing a
		// kill switch's hold; with it the variant keeps the instance count
		// and weight it has
		// (https://docs.aws.amazon.com/sagemaker/latest/dg/endpoint-scaling-update.html).
		RetainAllVariantProperties: jsii.Bool(true),
	})
	e.endpoint.Node().AddDependency(e.logs)
}

func (e *Endpoint) buildScaling() {
	p := e.props
	if p.Variant == VariantServerless || p.DeregisterScaling {
		return
	}
	e.scaling = awsapplicationautoscaling.NewScalableTarget(e.Construct, jsii.String("Scaling"), &awsapplicationautoscaling.ScalableTargetProps{
		ServiceNamespace:  awsapplicationautoscaling.ServiceNamespace_SAGEMAKER,
		ResourceId:        jsii.String("endpoint/" + e.name + "/variant/" + VariantName),
		ScalableDimension: jsii.String("sagemaker:variant:DesiredInstanceCount"),
		MinCapacity:       jsii.Number(float64(p.MinInstances)),
		MaxCapacity:       jsii.Number(float64(p.MaxInstances)),
	})
	e.scaling.Node().AddDependency(e.endpoint)
	if p.Variant == VariantRealtime {
		e.scaling.ScaleToTrackMetric(jsii.String("InvocationScaling"), &awsapplicationautoscaling.BasicTargetTrackingScalingPolicyProps{
			TargetValue:      jsii.Number(float64(p.InvocationsPerInstance)),
			PredefinedMetric: awsapplicationautoscaling.PredefinedMetric_SAGEMAKER_VARIANT_INVOCATIONS_PER_INSTANCE,
			ScaleOutCooldown: awscdk.Duration_Minutes(jsii.Number(1)),
			ScaleInCooldown:  awscdk.Duration_Minutes(jsii.Number(5)),
		})
		return
	}
	// Asynchronous: track the backlog per instance, and wake from zero
	// instances on HasBacklogWithoutCapacity (AWS's documented pattern).
	e.scaling.ScaleToTrackMetric(jsii.String("BacklogScaling"), &awsapplicationautoscaling.BasicTargetTrackingScalingPolicyProps{
		TargetValue:      jsii.Number(float64(p.BacklogPerInstance)),
		CustomMetric:     e.metric("ApproximateBacklogSizePerInstance", "Average", false),
		ScaleOutCooldown: awscdk.Duration_Minutes(jsii.Number(1)),
		ScaleInCooldown:  awscdk.Duration_Minutes(jsii.Number(5)),
	})
	e.scaling.ScaleOnMetric(jsii.String("WakeOnBacklog"), &awsapplicationautoscaling.BasicStepScalingPolicyProps{
		Metric: e.metric("HasBacklogWithoutCapacity", "Average", false),
		ScalingSteps: &[]*awsapplicationautoscaling.ScalingInterval{
			{Upper: jsii.Number(0), Change: jsii.Number(0)},
			{Lower: jsii.Number(1), Change: jsii.Number(1)},
		},
		AdjustmentType: awsapplicationautoscaling.AdjustmentType_CHANGE_IN_CAPACITY,
		Cooldown:       awscdk.Duration_Minutes(jsii.Number(2)),
	})
}

// metric returns one of the endpoint's metrics in AWS/SageMaker; perVariant
// adds the variant dimension that the invocation metrics carry.
func (e *Endpoint) metric(name, statistic string, perVariant bool) awscloudwatch.Metric {
	dims := map[string]*string{"EndpointName": jsii.String(e.name)}
	if perVariant {
		dims["VariantName"] = jsii.String(VariantName)
	}
	return awscloudwatch.NewMetric(&awscloudwatch.MetricProps{
		Namespace:     jsii.String("AWS/SageMaker"),
		MetricName:    jsii.String(name),
		DimensionsMap: &dims,
		Statistic:     jsii.String(statistic),
		Period:        awscdk.Duration_Minutes(jsii.Number(1)),
	})
}

func (e *Endpoint) recordWorkload() {
	p := e.props
	sm := &workload.SageMaker{}
	if p.Variant == VariantServerless {
		sm.MemoryMiB, sm.MaxConcurrency = p.MemoryMiB, p.MaxConcurrency
	} else {
		sm.InstanceType, sm.MinInstances, sm.MaxInstances = p.InstanceType, p.MinInstances, p.MaxInstances
	}
	e.workloadInfo = workload.Workload{
		Version:   workload.SchemaVersion,
		Tier:      p.Variant.Tier(),
		FrontDoor: workload.FrontDoorREST,
		Traffic:   p.Traffic,
		SageMaker: sm,
		Placement: p.Placement,
	}
	e.endpoint.AddMetadata(jsii.String(workload.MetadataKey), e.workloadInfo.Map())
}

// Variant returns the kind of endpoint.
func (e *Endpoint) Variant() Variant { return e.props.Variant }

// EndpointName returns the endpoint's name, fixed at synth.
func (e *Endpoint) EndpointName() string { return e.name }

// EndpointARN returns the endpoint's ARN.
func (e *Endpoint) EndpointARN() *string {
	if e.err != nil {
		return nil
	}
	return awscdk.Stack_Of(e.Construct).FormatArn(&awscdk.ArnComponents{
		Service: jsii.String("sagemaker"), Resource: jsii.String("endpoint"),
		// SageMaker ARNs carry the endpoint name in lower case.
		ResourceName: jsii.String(strings.ToLower(e.name)),
	})
}

// Endpoint returns the AWS::SageMaker::Endpoint, the resource that bills.
func (e *Endpoint) Endpoint() awssagemaker.CfnEndpoint { return e.endpoint }

// EndpointConfig returns the endpoint configuration.
func (e *Endpoint) EndpointConfig() awssagemaker.CfnEndpointConfig { return e.config }

// Model returns the SageMaker model (the model server's SageMaker face).
func (e *Endpoint) Model() awssagemaker.CfnModel { return e.model }

// Role returns the model's execution role.
func (e *Endpoint) Role() awsiam.IRole { return e.role }

// EncryptionKey returns the KMS key, or nil when the variant needs none
// (serverless, or instances with an instance store) and none was given.
func (e *Endpoint) EncryptionKey() awskms.IKey { return e.key }

// ScalableTarget returns the instance-count autoscaling target, or nil for
// the serverless variant. The cost guard's kill switch sets its maximum to
// its minimum.
func (e *Endpoint) ScalableTarget() awsapplicationautoscaling.ScalableTarget { return e.scaling }

// Bucket returns the asynchronous variant's input and result bucket, or nil.
func (e *Endpoint) Bucket() awss3.IBucket {
	if e.bucket == nil {
		return nil
	}
	return e.bucket
}

// SubmitFunction returns the asynchronous variant's submit function, or nil.
func (e *Endpoint) SubmitFunction() awslambda.IFunction {
	if e.submit == nil {
		return nil
	}
	return e.submit
}

// LogGroup returns the endpoint's log group.
func (e *Endpoint) LogGroup() awslogs.ILogGroup { return e.logs }

// RestAPI returns the REST API with POST /predict.
func (e *Endpoint) RestAPI() awsapigateway.IRestApi { return e.api }

// Stage returns the API's throttled, access-logged stage.
func (e *Endpoint) Stage() awsapigateway.Stage {
	if e.err != nil {
		return nil
	}
	return e.api.DeploymentStage()
}

// AccessLogGroup returns the API stage's access log group.
func (e *Endpoint) AccessLogGroup() awslogs.ILogGroup { return e.accessLogs }

// URL returns the API's base URL; clients POST to URL + "predict".
func (e *Endpoint) URL() *string {
	if e.err != nil {
		return nil
	}
	return e.api.Url()
}

// Workload returns the cost record attached to the endpoint.
func (e *Endpoint) Workload() workload.Workload { return e.workloadInfo }

// MetricInvocations returns the number of requests sent to the endpoint.
func (e *Endpoint) MetricInvocations() awscloudwatch.Metric {
	if e.err != nil {
		return nil
	}
	return e.metric("Invocations", "Sum", true)
}

// MetricModelLatency returns the model's p99 latency in microseconds.
func (e *Endpoint) MetricModelLatency() awscloudwatch.Metric {
	if e.err != nil {
		return nil
	}
	return e.metric("ModelLatency", "p99", true)
}

// MetricInvocation5XXErrors returns the number of requests that failed
// inside the endpoint.
func (e *Endpoint) MetricInvocation5XXErrors() awscloudwatch.Metric {
	if e.err != nil {
		return nil
	}
	return e.metric("Invocation5XXErrors", "Sum", true)
}

// Err returns the problems of the props it was built from, or nil: a
// construct with problems built nothing and its other methods return
// zero values (nil resources and metrics).
func (e *Endpoint) Err() error { return e.err.AsError() }
