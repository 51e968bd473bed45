package fargate

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapplicationautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	elb "github.com/aws/aws-cdk-go/awscdk/v2/awselasticloadbalancingv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawsec2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/costguard-ml/costguard/constructs/internal/frontdoor"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/validation"
)

// Defaults applied to a zero [ServiceProps] field.
const (
	DefaultCPU                     = 1024
	DefaultMemoryMiB               = 2048
	DefaultMinTasks                = 1
	DefaultMaxTasks                = 2
	DefaultTargetCPUPercent        = 60
	DefaultRequestsPerTargetMinute = 600
	DefaultContainerPort           = 8080
	DefaultThrottleRateLimit       = 50
	DefaultThrottleBurstLimit      = 100
	DefaultLogRetention            = awslogs.RetentionDays_ONE_MONTH
)

// listenerPort is the internal load balancer's port; TLS ends at API Gateway
// and the hop from the VPC link to the load balancer stays inside the VPC.
const listenerPort = 80

// ServiceProps configures a [Service]. The zero value of every optional
// field selects the documented default.
type ServiceProps struct {
	// Image is the model server's container image, run with its HTTP face
	// (it listens on $PORT). Required. service.ModelServerImage builds it
	// with the caller's model directory; synth needs no Docker engine.
	Image awsecs.ContainerImage
	// VPC is the network the service runs in, in its private subnets with
	// egress. Default: a new VPC over two Availability Zones with public and
	// private subnets and one NAT gateway (for image pulls and logs).
	VPC awsec2.IVpc
	// CPU is the task's CPU in ECS units (1024 = 1 vCPU). Default 1024. Must
	// form a Fargate-supported combination with MemoryMiB.
	CPU int
	// MemoryMiB is the task's memory. Default 2048.
	MemoryMiB int
	// Architecture is the task's CPU architecture. Default arm64 (Graviton,
	// about 20 % cheaper per vCPU-hour).
	Architecture workload.Architecture
	// MinTasks is the fewest running tasks. Default 1, or 0 with ScaleToZero.
	MinTasks int
	// ScaleToZero lets the service scale in to no task when idle. Requests
	// then get 503 from the load balancer until a task is healthy (about a
	// minute): a step-scaling policy on the load balancer's 503 count starts
	// the first task. Meant for development stages. Default false.
	ScaleToZero bool
	// MaxTasks is the most running tasks. Default 2, or MinTasks if larger.
	MaxTasks int
	// TargetCPUPercent is the average CPU utilization autoscaling keeps.
	// Default 60.
	TargetCPUPercent int
	// RequestsPerTargetMinute is the number of requests per task per minute
	// autoscaling keeps (ALBRequestCountPerTarget). Default 600.
	RequestsPerTargetMinute int
	// ContainerPort is the port the model server listens on, passed as $PORT.
	// Default 8080.
	ContainerPort int
	// Environment adds variables to the model server's environment
	// (non-secret configuration only). PORT is set by the construct.
	// Default none.
	Environment map[string]string
	// LogRetention is how long the container's and the API's logs are kept.
	// Default one month.
	LogRetention awslogs.RetentionDays
	// ThrottleRateLimit is the API stage's steady-state request rate per
	// second. Default 50.
	ThrottleRateLimit float64
	// ThrottleBurstLimit is the API stage's burst. Default 100.
	ThrottleBurstLimit int
	// Authorizer protects the routes. Default none: the API is public, like
	// the Lambda tier's HTTP API, and bounded by the stage's throttles and the
	// cost guard.
	Authorizer awsapigatewayv2.IHttpRouteAuthorizer
	// Traffic is what the stage expects, recorded for the cost report.
	// Default none (the report prices the fixed part only).
	Traffic workload.Traffic
	// Placement records why this tier was chosen, one reason a line; set by
	// InferenceService. Default none.
	Placement []string
}

// Service is the model server on ECS Fargate behind an internal Application
// Load Balancer and an API Gateway HTTP API.
type Service struct {
	constructs.Construct
	props        ServiceProps
	vpc          awsec2.IVpc
	cluster      awsecs.Cluster
	taskDef      awsecs.FargateTaskDefinition
	container    awsecs.ContainerDefinition
	service      awsecs.FargateService
	scaling      awsecs.ScalableTaskCount
	lb           elb.ApplicationLoadBalancer
	listener     elb.ApplicationListener
	targetGroup  elb.ApplicationTargetGroup
	vpcLink      awsapigatewayv2.VpcLink
	api          awsapigatewayv2.HttpApi
	stage        awsapigatewayv2.HttpStage
	logs         awslogs.LogGroup
	accessLogs   awslogs.LogGroup
	workloadInfo workload.Workload
	err          *validation.Error
}

// withDefaults returns a copy of p with every zero field resolved.
func (p ServiceProps) withDefaults() ServiceProps {
	p.CPU = cmp.Or(p.CPU, DefaultCPU)
	p.MemoryMiB = cmp.Or(p.MemoryMiB, DefaultMemoryMiB)
	p.Architecture = cmp.Or(p.Architecture, workload.ArchARM64)
	if p.MinTasks == 0 && !p.ScaleToZero {
		p.MinTasks = DefaultMinTasks
	}
	p.MaxTasks = cmp.Or(p.MaxTasks, max(DefaultMaxTasks, p.MinTasks))
	p.TargetCPUPercent = cmp.Or(p.TargetCPUPercent, DefaultTargetCPUPercent)
	p.RequestsPerTargetMinute = cmp.Or(p.RequestsPerTargetMinute, DefaultRequestsPerTargetMinute)
	p.ContainerPort = cmp.Or(p.ContainerPort, DefaultContainerPort)
	p.LogRetention = cmp.Or(p.LogRetention, DefaultLogRetention)
	p.ThrottleRateLimit = cmp.Or(p.ThrottleRateLimit, DefaultThrottleRateLimit)
	p.ThrottleBurstLimit = cmp.Or(p.ThrottleBurstLimit, DefaultThrottleBurstLimit)
	p.Environment = maps.Clone(p.Environment)
	p.Placement = slices.Clone(p.Placement)
	return p
}

// validate reports every problem with the resolved props, joined.
func (p ServiceProps) validate() error {
	var errs []error
	if p.Image == nil {
		errs = append(errs, validation.Problem("Image", "is required (the model server's container image)"))
	}
	if err := ValidateTaskSize(p.CPU, p.MemoryMiB); err != nil {
		errs = append(errs, err)
	}
	if p.Architecture != workload.ArchARM64 && p.Architecture != workload.ArchX86_64 {
		errs = append(errs, validation.Problem("Architecture", fmt.Sprintf("%q is not one of arm64, x86_64", p.Architecture)))
	}
	if p.MinTasks < 0 {
		errs = append(errs, fmt.Errorf("MinTasks: %d is negative (want 0 with ScaleToZero, or at least 1)", p.MinTasks))
	}
	if p.ScaleToZero && p.MinTasks > 0 {
		errs = append(errs, fmt.Errorf("MinTasks: %d conflicts with ScaleToZero (leave MinTasks 0)", p.MinTasks))
	}
	if p.MaxTasks < 1 {
		errs = append(errs, fmt.Errorf("MaxTasks: %d is below 1", p.MaxTasks))
	} else if p.MaxTasks < p.MinTasks {
		errs = append(errs, fmt.Errorf("MaxTasks: %d is below MinTasks %d", p.MaxTasks, p.MinTasks))
	}
	if p.TargetCPUPercent < 1 || p.TargetCPUPercent > 100 {
		errs = append(errs, fmt.Errorf("TargetCPUPercent: %d is outside 1 to 100", p.TargetCPUPercent))
	}
	if p.RequestsPerTargetMinute < 1 {
		errs = append(errs, fmt.Errorf("RequestsPerTargetMinute: %d is below 1", p.RequestsPerTargetMinute))
	}
	if p.ContainerPort < 1 || p.ContainerPort > 65535 || p.ContainerPort == listenerPort {
		errs = append(errs, fmt.Errorf("ContainerPort: %d is not a port from 1 to 65535 other than %d", p.ContainerPort, listenerPort))
	}
	if _, ok := p.Environment["PORT"]; ok {
		errs = append(errs, validation.Problem("Environment", "PORT is set by the construct from ContainerPort"))
	}
	errs = append(errs, frontdoor.ThrottleProblems(p.ThrottleRateLimit, p.ThrottleBurstLimit)...)
	return errors.Join(errs...)
}

// NewService builds the model server on ECS Fargate. Bad props build
// nothing: every problem is reported at once as a CDK error annotation
// (`cdk synth` fails listing them) and by [Service.Err].
func NewService(scope constructs.Construct, id string, props *ServiceProps) *Service {
	var p ServiceProps
	if props != nil {
		p = *props
	}
	p = p.withDefaults()
	s := &Service{props: p}
	constructs.NewConstruct_Override(s, scope, jsii.String(id))
	if s.err = validation.Report(s, p.validate()); s.err != nil {
		return s
	}
	s.buildNetwork()
	s.buildService()
	s.buildLoadBalancer()
	s.buildScaling()
	s.buildAPI()
	s.recordWorkload()
	return s
}

// natGateways is how many NAT gateways the VPC the construct creates runs.
const natGateways = 1

func (s *Service) buildNetwork() {
	if s.props.VPC != nil {
		s.vpc = s.props.VPC
		return
	}
	vpc := awsec2.NewVpc(s.Construct, jsii.String("Vpc"), &awsec2.VpcProps{
		MaxAzs:      jsii.Number(2),
		NatGateways: jsii.Number(natGateways),
		SubnetConfiguration: &[]*awsec2.SubnetConfiguration{
			{Name: jsii.String("Public"), SubnetType: awsec2.SubnetType_PUBLIC, CidrMask: jsii.Number(24)},
			{Name: jsii.String("Private"), SubnetType: awsec2.SubnetType_PRIVATE_WITH_EGRESS, CidrMask: jsii.Number(22)},
		},
	})
	cdknag.NagSuppressions_AddResourceSuppressions(vpc, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-VPC7"),
		Reason: jsii.String("The VPC carries only the model server's traffic from API Gateway, whose access logs record " +
			"every request; flow logs would add a per-GB ingestion cost for no extra audit value. Pass an existing " +
			"VPC with flow logs where policy requires them."),
	}}, jsii.Bool(true))
	s.vpc = vpc
}

func (s *Service) privateSubnets() *awsec2.SubnetSelection {
	return &awsec2.SubnetSelection{SubnetType: awsec2.SubnetType_PRIVATE_WITH_EGRESS}
}

func (s *Service) buildService() {
	p := s.props
	s.cluster = awsecs.NewCluster(s.Construct, jsii.String("Cluster"), &awsecs.ClusterProps{
		Vpc:                 s.vpc,
		ContainerInsightsV2: awsecs.ContainerInsights_ENABLED,
	})
	s.logs = awslogs.NewLogGroup(s.Construct, jsii.String("Logs"), &awslogs.LogGroupProps{
		Retention:     p.LogRetention,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	cpuArch := awsecs.CpuArchitecture_ARM64()
	if p.Architecture == workload.ArchX86_64 {
		cpuArch = awsecs.CpuArchitecture_X86_64()
	}
	s.taskDef = awsecs.NewFargateTaskDefinition(s.Construct, jsii.String("TaskDefinition"), &awsecs.FargateTaskDefinitionProps{
		Cpu:            jsii.Number(float64(p.CPU)),
		MemoryLimitMiB: jsii.Number(float64(p.MemoryMiB)),
		RuntimePlatform: &awsecs.RuntimePlatform{
			CpuArchitecture:       cpuArch,
			OperatingSystemFamily: awsecs.OperatingSystemFamily_LINUX(),
		},
	})
	env := map[string]*string{"PORT": jsii.String(fmt.Sprint(p.ContainerPort))}
	for k, v := range p.Environment {
		env[k] = jsii.String(v)
	}
	s.container = s.taskDef.AddContainer(jsii.String("ModelServer"), &awsecs.ContainerDefinitionOptions{
		Image:                  p.Image,
		Essential:              jsii.Bool(true),
		ReadonlyRootFilesystem: jsii.Bool(true),
		Environment:            &env,
		PortMappings:           &[]*awsecs.PortMapping{{ContainerPort: jsii.Number(float64(p.ContainerPort))}},
		Logging: awsecs.LogDriver_AwsLogs(&awsecs.AwsLogDriverProps{
			LogGroup:     s.logs,
			StreamPrefix: jsii.String("model-server"),
		}),
	})
	cdknag.NagSuppressions_AddResourceSuppressions(s.taskDef, &[]*cdknag.NagPackSuppression{
		{
			Id: jsii.String("AwsSolutions-ECS2"),
			Reason: jsii.String("The environment holds only non-secret configuration (the listening port and the " +
				"caller's model settings); secrets belong in Secrets Manager, not in these props."),
		},
		{
			Id: jsii.String("AwsSolutions-IAM5"),
			Reason: jsii.String("ecr:GetAuthorizationToken supports no resource-level permission, so the execution " +
				"role's policy needs Resource '*' for that action; every other statement names its repository or log group."),
			AppliesTo: &[]interface{}{jsii.String("Resource::*")},
		},
	}, jsii.Bool(true))

	taskSG := awsec2.NewSecurityGroup(s.Construct, jsii.String("TaskSecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc:              s.vpc,
		Description:      jsii.String("costguard model server tasks: HTTP from the load balancer, HTTPS out for ECR and logs"),
		AllowAllOutbound: jsii.Bool(false),
	})
	taskSG.AddEgressRule(awsec2.Peer_AnyIpv4(), awsec2.Port_Tcp(jsii.Number(443)),
		jsii.String("HTTPS to ECR, S3 and CloudWatch Logs"), nil)

	s.service = awsecs.NewFargateService(s.Construct, jsii.String("Resource"), &awsecs.FargateServiceProps{
		Cluster:              s.cluster,
		TaskDefinition:       s.taskDef,
		DesiredCount:         jsii.Number(float64(p.MinTasks)),
		AssignPublicIp:       jsii.Bool(false),
		VpcSubnets:           s.privateSubnets(),
		SecurityGroups:       &[]awsec2.ISecurityGroup{taskSG},
		MinHealthyPercent:    jsii.Number(100),
		MaxHealthyPercent:    jsii.Number(200),
		CircuitBreaker:       &awsecs.DeploymentCircuitBreaker{Enable: jsii.Bool(true), Rollback: jsii.Bool(true)},
		PropagateTags:        awsecs.PropagatedTagSource_SERVICE,
		EnableECSManagedTags: jsii.Bool(true),
	})
}

func (s *Service) buildLoadBalancer() {
	p := s.props
	lbSG := awsec2.NewSecurityGroup(s.Construct, jsii.String("LoadBalancerSecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc:              s.vpc,
		Description:      jsii.String("costguard internal load balancer: HTTP from the API Gateway VPC link only"),
		AllowAllOutbound: jsii.Bool(false),
	})
	s.lb = elb.NewApplicationLoadBalancer(s.Construct, jsii.String("LoadBalancer"), &elb.ApplicationLoadBalancerProps{
		Vpc:                     s.vpc,
		InternetFacing:          jsii.Bool(false),
		VpcSubnets:              s.privateSubnets(),
		SecurityGroup:           lbSG,
		DropInvalidHeaderFields: jsii.Bool(true),
	})
	cdknag.NagSuppressions_AddResourceSuppressions(s.lb, &[]*cdknag.NagPackSuppression{{
		Id: jsii.String("AwsSolutions-ELB2"),
		Reason: jsii.String("The load balancer is internal and reachable only through the API Gateway VPC link, whose " +
			"stage writes a JSON access log line for every request; a second access log in S3 would duplicate it."),
	}}, jsii.Bool(true))
	s.listener = s.lb.AddListener(jsii.String("Listener"), &elb.BaseApplicationListenerProps{
		Port:     jsii.Number(listenerPort),
		Protocol: elb.ApplicationProtocol_HTTP,
		Open:     jsii.Bool(false),
	})
	s.targetGroup = s.listener.AddTargets(jsii.String("ModelServer"), &elb.AddApplicationTargetsProps{
		Port:                jsii.Number(float64(p.ContainerPort)),
		Protocol:            elb.ApplicationProtocol_HTTP,
		Targets:             &[]elb.IApplicationLoadBalancerTarget{s.service},
		DeregistrationDelay: awscdk.Duration_Seconds(jsii.Number(30)),
		HealthCheck: &elb.HealthCheck{
			Path:                    jsii.String("/health"),
			HealthyHttpCodes:        jsii.String("200"),
			Interval:                awscdk.Duration_Seconds(jsii.Number(15)),
			Timeout:                 awscdk.Duration_Seconds(jsii.Number(5)),
			HealthyThresholdCount:   jsii.Number(2),
			UnhealthyThresholdCount: jsii.Number(3),
		},
	})
}

func (s *Service) buildScaling() {
	p := s.props
	s.scaling = s.service.AutoScaleTaskCount(&awsapplicationautoscaling.EnableScalingProps{
		MinCapacity: jsii.Number(float64(p.MinTasks)),
		MaxCapacity: jsii.Number(float64(p.MaxTasks)),
	})
	s.scaling.ScaleOnCpuUtilization(jsii.String("CpuScaling"), &awsecs.CpuUtilizationScalingProps{
		TargetUtilizationPercent: jsii.Number(float64(p.TargetCPUPercent)),
		ScaleOutCooldown:         awscdk.Duration_Seconds(jsii.Number(60)),
		ScaleInCooldown:          awscdk.Duration_Minutes(jsii.Number(5)),
	})
	s.scaling.ScaleOnRequestCount(jsii.String("RequestScaling"), &awsecs.RequestCountScalingProps{
		RequestsPerTarget: jsii.Number(float64(p.RequestsPerTargetMinute)),
		TargetGroup:       s.targetGroup,
		ScaleOutCooldown:  awscdk.Duration_Seconds(jsii.Number(60)),
		ScaleInCooldown:   awscdk.Duration_Minutes(jsii.Number(5)),
	})
	if p.ScaleToZero {
		// With no task there is no per-target request metric to track; the
		// load balancer's 503s (no healthy target) are the signal to wake.
		s.scaling.ScaleOnMetric(jsii.String("WakeOnRequest"), &awsapplicationautoscaling.BasicStepScalingPolicyProps{
			Metric: s.lb.Metrics().HttpCodeElb(elb.HttpCodeElb_ELB_503_COUNT, &awscloudwatch.MetricOptions{
				Period:    awscdk.Duration_Minutes(jsii.Number(1)),
				Statistic: jsii.String("Sum"),
			}),
			ScalingSteps: &[]*awsapplicationautoscaling.ScalingInterval{
				{Upper: jsii.Number(0), Change: jsii.Number(0)},
				{Lower: jsii.Number(1), Change: jsii.Number(1)},
			},
			AdjustmentType: awsapplicationautoscaling.AdjustmentType_CHANGE_IN_CAPACITY,
			Cooldown:       awscdk.Duration_Seconds(jsii.Number(60)),
		})
	}
}

func (s *Service) buildAPI() {
	p := s.props
	linkSG := awsec2.NewSecurityGroup(s.Construct, jsii.String("VpcLinkSecurityGroup"), &awsec2.SecurityGroupProps{
		Vpc:              s.vpc,
		Description:      jsii.String("costguard API Gateway VPC link: HTTP to the internal load balancer only"),
		AllowAllOutbound: jsii.Bool(false),
	})
	s.lb.Connections().AllowFrom(linkSG, awsec2.Port_Tcp(jsii.Number(listenerPort)),
		jsii.String("API Gateway VPC link to the listener"))
	s.vpcLink = awsapigatewayv2.NewVpcLink(s.Construct, jsii.String("VpcLink"), &awsapigatewayv2.VpcLinkProps{
		Vpc:            s.vpc,
		Subnets:        s.privateSubnets(),
		SecurityGroups: &[]interfacesawsec2.ISecurityGroupRef{linkSG},
	})
	s.api = awsapigatewayv2.NewHttpApi(s.Construct, jsii.String("Api"), &awsapigatewayv2.HttpApiProps{
		ApiName:            frontdoor.APIName(s.Construct),
		Description:        jsii.String("costguard inference API (Fargate tier)"),
		CreateDefaultStage: jsii.Bool(false),
	})
	integration := awsapigatewayv2integrations.NewHttpAlbIntegration(jsii.String("ModelServer"), s.listener,
		&awsapigatewayv2integrations.HttpAlbIntegrationProps{VpcLink: s.vpcLink})
	for _, r := range []struct {
		path   string
		method awsapigatewayv2.HttpMethod
	}{{"/predict", awsapigatewayv2.HttpMethod_POST}, {"/health", awsapigatewayv2.HttpMethod_GET}} {
		s.api.AddRoutes(&awsapigatewayv2.AddRoutesOptions{
			Path:        jsii.String(r.path),
			Methods:     &[]awsapigatewayv2.HttpMethod{r.method},
			Integration: integration,
			Authorizer:  p.Authorizer,
		})
	}
	if p.Authorizer == nil {
		cdknag.NagSuppressions_AddResourceSuppressions(s.api, &[]*cdknag.NagPackSuppression{{
			Id: jsii.String("AwsSolutions-APIG4"),
			Reason: jsii.String("The inference API is public by design, like the Lambda tier's; abuse is bounded by the " +
				"stage throttles and the cost guard's alarms and kill switch. Set Authorizer to require callers to sign in."),
		}}, jsii.Bool(true))
	}
	s.accessLogs = frontdoor.NewAccessLogGroup(s.Construct, p.LogRetention)
	s.stage = awsapigatewayv2.NewHttpStage(s.Construct, jsii.String("Stage"), &awsapigatewayv2.HttpStageProps{
		HttpApi:    s.api,
		StageName:  jsii.String("$default"),
		AutoDeploy: jsii.Bool(true),
		Throttle: &awsapigatewayv2.ThrottleSettings{
			RateLimit:  jsii.Number(p.ThrottleRateLimit),
			BurstLimit: jsii.Number(float64(p.ThrottleBurstLimit)),
		},
		AccessLogSettings: frontdoor.HTTPAccessLogs(s.accessLogs, frontdoor.AccessLogFormat(workload.FrontDoorHTTP)),
	})
}

func (s *Service) recordWorkload() {
	p := s.props
	s.workloadInfo = workload.Workload{
		Version:   workload.SchemaVersion,
		Tier:      workload.TierFargate,
		FrontDoor: workload.FrontDoorHTTP,
		Traffic:   p.Traffic,
		Fargate: &workload.Fargate{
			CPU:          p.CPU,
			MemoryMiB:    p.MemoryMiB,
			Architecture: p.Architecture,
			MinTasks:     p.MinTasks,
			MaxTasks:     p.MaxTasks,
		},
		Placement: p.Placement,
	}
	cfn := s.service.Node().DefaultChild().(awscdk.CfnResource)
	cfn.AddMetadata(jsii.String(workload.MetadataKey), s.workloadInfo.Map())
}

// VPC returns the network the service runs in.
func (s *Service) VPC() awsec2.IVpc { return s.vpc }

// NATGateways returns how many NAT gateways the construct created (with
// the VPC it creates when VPC is not given): they bill by the hour whatever
// the traffic. 0 when VPC was given.
func (s *Service) NATGateways() int {
	if s.props.VPC != nil {
		return 0
	}
	return natGateways
}

// Cluster returns the ECS cluster (Container Insights on).
func (s *Service) Cluster() awsecs.ICluster { return s.cluster }

// TaskDefinition returns the Fargate task definition.
func (s *Service) TaskDefinition() awsecs.FargateTaskDefinition { return s.taskDef }

// Container returns the model server's container definition.
func (s *Service) Container() awsecs.ContainerDefinition { return s.container }

// Service returns the ECS service, the resource that bills for compute.
func (s *Service) Service() awsecs.FargateService { return s.service }

// ScalableTaskCount returns the service's autoscaling target; the cost
// guard's kill switch sets its minimum and maximum to 0.
func (s *Service) ScalableTaskCount() awsecs.ScalableTaskCount { return s.scaling }

// LoadBalancer returns the internal Application Load Balancer.
func (s *Service) LoadBalancer() elb.IApplicationLoadBalancer { return s.lb }

// Listener returns the load balancer's listener.
func (s *Service) Listener() elb.IApplicationListener { return s.listener }

// TargetGroup returns the target group that health-checks GET /health.
func (s *Service) TargetGroup() elb.IApplicationTargetGroup { return s.targetGroup }

// VPCLink returns API Gateway's VPC link to the load balancer.
func (s *Service) VPCLink() awsapigatewayv2.IVpcLink { return s.vpcLink }

// HTTPAPI returns the HTTP API with POST /predict and GET /health.
func (s *Service) HTTPAPI() awsapigatewayv2.IHttpApi { return s.api }

// Stage returns the API's throttled, access-logged $default stage.
func (s *Service) Stage() awsapigatewayv2.IHttpStage { return s.stage }

// LogGroup returns the model server's log group.
func (s *Service) LogGroup() awslogs.ILogGroup { return s.logs }

// AccessLogGroup returns the API stage's access log group.
func (s *Service) AccessLogGroup() awslogs.ILogGroup { return s.accessLogs }

// URL returns the API's base URL; clients POST to URL + "predict".
func (s *Service) URL() *string {
	if s.err != nil {
		return nil
	}
	return s.stage.Url()
}

// Workload returns the cost record attached to the ECS service.
func (s *Service) Workload() workload.Workload { return s.workloadInfo }

// MetricCPUUtilization returns the service's average CPU utilization.
func (s *Service) MetricCPUUtilization(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	if s.err != nil {
		return nil
	}
	return s.service.MetricCpuUtilization(opts)
}

// MetricRequestCount returns the number of requests the load balancer sent
// to the service's tasks.
func (s *Service) MetricRequestCount(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	if s.err != nil {
		return nil
	}
	return s.targetGroup.Metrics().RequestCount(opts)
}

// MetricTargetResponseTime returns the tasks' response time as the load
// balancer measures it.
func (s *Service) MetricTargetResponseTime(opts *awscloudwatch.MetricOptions) awscloudwatch.Metric {
	if s.err != nil {
		return nil
	}
	return s.targetGroup.Metrics().TargetResponseTime(opts)
}

// Err returns the problems of the props it was built from, or nil: a
// construct with problems built nothing and its other methods return
// zero values (nil resources and metrics).
func (s *Service) Err() error { return s.err.AsError() }
