package pricing

import (
	"slices"
	"strings"
)

// Lambda is AWS Lambda's price table (functions, on demand and provisioned).
type Lambda struct {
	Source Source `json:"source"`
	// RequestsPerMillion is the price of one million requests (every
	// invocation, provisioned or not).
	RequestsPerMillion float64 `json:"requestsPerMillion"`
	// Duration is the on-demand price per GB-second, tiered by the month's
	// on-demand GB-seconds of that architecture.
	Duration PerArch[Tiered] `json:"duration"`
	// ProvisionedConcurrency is the price per GB-second of concurrency
	// configured, whether used or not; not tiered, no free tier.
	ProvisionedConcurrency PerArch[float64] `json:"provisionedConcurrency"`
	// ProvisionedDuration is the price per GB-second of duration run on
	// provisioned environments.
	ProvisionedDuration PerArch[float64] `json:"provisionedDuration"`
	// EphemeralPerGBSecond is the price per GB-second of /tmp configured
	// above EphemeralFreeMiB, charged for the function's billed duration.
	EphemeralPerGBSecond float64 `json:"ephemeralPerGBSecond"`
	EphemeralFreeMiB     int     `json:"ephemeralFreeMiB"`
	// FreeRequests and FreeGBSeconds are the monthly free tier, per account,
	// shared by both architectures, not applicable to provisioned concurrency.
	FreeRequests  float64 `json:"freeRequests"`
	FreeGBSeconds float64 `json:"freeGBSeconds"`
	// BillingGranularityMs is the step duration is rounded up to.
	BillingGranularityMs float64 `json:"billingGranularityMs"`
	// ProvisionedGranularityMinutes is the step the time provisioned
	// concurrency is on is rounded up to.
	ProvisionedGranularityMinutes float64 `json:"provisionedGranularityMinutes"`
	// InitBilled says whether the init phase of an on-demand cold start is
	// billed as duration (it is for every runtime since 1 August 2025).
	InitBilled bool `json:"initBilled"`
}

// PerRequest is the price of one request.
func (l Lambda) PerRequest() float64 { return l.RequestsPerMillion / 1e6 }

// DurationPerGBSecond is the first-tier on-demand price per GB-second for a.
func (l Lambda) DurationPerGBSecond(a Arch) float64 { return l.Duration.For(a).First() }

// ProvisionedPerGBSecond is the price per GB-second of configured
// provisioned concurrency for a.
func (l Lambda) ProvisionedPerGBSecond(a Arch) float64 { return l.ProvisionedConcurrency.For(a) }

// APIGateway is Amazon API Gateway's price table for REST and HTTP APIs.
type APIGateway struct {
	Source Source `json:"source"`
	// REST is the REST API price per request, tiered by the month's
	// requests (tier sizes in requests).
	REST Tiered `json:"rest"`
	// HTTP is the HTTP API price per metered request, tiered by the month's
	// metered requests (tier sizes in requests).
	HTTP Tiered `json:"http"`
	// HTTPMeteringBytes is the step in which HTTP API requests are metered:
	// a request of up to 512 KB is one request, 513 KB to 1 MB two, and so on.
	HTTPMeteringBytes float64 `json:"httpMeteringBytes"`
	// CacheHour is a REST API stage cache's hourly price by its size in GB,
	// keyed as CloudFormation's CacheClusterSize spells it ("0.5", "1.6", …).
	CacheHour map[string]float64 `json:"cacheHour"`
}

// RESTPerRequest is the first-tier price of one REST API request.
func (a APIGateway) RESTPerRequest() float64 { return a.REST.First() }

// HTTPPerRequest is the first-tier price of one metered HTTP API request.
func (a APIGateway) HTTPPerRequest() float64 { return a.HTTP.First() }

// Fargate is AWS Fargate's price table for Linux tasks.
type Fargate struct {
	Source Source `json:"source"`
	// VCPUHour is the price per vCPU per hour.
	VCPUHour PerArch[float64] `json:"vcpuHour"`
	// GBHour is the price per GB of memory per hour.
	GBHour PerArch[float64] `json:"gbHour"`
	// MinimumBillingMinutes is the minimum billed per task start (Linux).
	MinimumBillingMinutes float64 `json:"minimumBillingMinutes"`
}

// TaskHour is the hourly price of one task of cpu ECS units (1024 = 1 vCPU)
// and memMiB MiB.
func (f Fargate) TaskHour(a Arch, cpu, memMiB int) float64 {
	return float64(cpu)/1024*f.VCPUHour.For(a) + float64(memMiB)/MiBPerGiB*f.GBHour.For(a)
}

// Instance is one SageMaker ML instance type.
type Instance struct {
	Hourly    float64 `json:"hourly"`
	VCPUs     int     `json:"vcpus"`
	MemoryGiB float64 `json:"memoryGiB"`
	// GPUs is the number of GPUs; 0 for CPU instances.
	GPUs int `json:"gpus,omitempty"`
	// GPU names the accelerator, when there is one.
	GPU string `json:"gpu,omitempty"`
	// BaselineCPU is the share of each vCPU a burstable instance (ml.t2,
	// ml.t3) sustains without CPU credits; 0 for a fixed-performance
	// instance, which sustains all of it.
	BaselineCPU float64 `json:"baselineCPU,omitempty"`
}

// burstableBaselines is the baseline utilization per vCPU of the burstable
// instance sizes SageMaker hosts on (ml. and the EC2 size): the "Earn CPU
// credits" table of the EC2 User Guide, "Key concepts and definitions for
// burstable performance instances"
// (https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/burstable-credits-baseline-concepts.html;
// read 2026-11-30). The Price List has no such attribute, so an imported
// instance takes it from here.
var burstableBaselines = map[string]float64{
	"t2.nano": 0.05, "t2.micro": 0.10, "t2.small": 0.20, "t2.medium": 0.20,
	"t2.large": 0.30, "t2.xlarge": 0.225, "t2.2xlarge": 0.17,
	"t3.nano": 0.05, "t3.micro": 0.10, "t3.small": 0.20, "t3.medium": 0.20,
	"t3.large": 0.30, "t3.xlarge": 0.40, "t3.2xlarge": 0.40,
}

// BurstableBaseline is the baseline share of each vCPU of the instance type
// (as SageMaker names it, "ml.t2.medium", or as EC2 does), 0 for a
// fixed-performance type.
func BurstableBaseline(instanceType string) float64 {
	return burstableBaselines[strings.TrimPrefix(instanceType, "ml.")]
}

// SustainedVCPUs is the vCPUs an instance sustains under steady load: all
// of them, or the baseline share of a burstable instance.
func (i Instance) SustainedVCPUs() float64 {
	if i.BaselineCPU > 0 {
		return float64(i.VCPUs) * i.BaselineCPU
	}
	return float64(i.VCPUs)
}

// SageMaker is Amazon SageMaker AI's price table for inference.
type SageMaker struct {
	Source Source `json:"source"`
	// ServerlessPerGBSecond is the serverless inference price per second of
	// compute per GB of configured memory.
	ServerlessPerGBSecond float64 `json:"serverlessPerGBSecond"`
	// ServerlessMinMiB and ServerlessMaxMiB bound a serverless endpoint's
	// memory, in ServerlessStepMiB steps.
	ServerlessMinMiB  int `json:"serverlessMinMiB"`
	ServerlessMaxMiB  int `json:"serverlessMaxMiB"`
	ServerlessStepMiB int `json:"serverlessStepMiB"`
	// DataPerGB is the price per GB of data processed in and, separately,
	// out, for serverless, real-time and asynchronous inference.
	DataPerGB float64 `json:"dataPerGB"`
	// Instances are the real-time and asynchronous inference instances,
	// billed per hour while they run.
	Instances map[string]Instance `json:"instances"`
}

// CloudWatch is Amazon CloudWatch's price table for what costguard creates.
type CloudWatch struct {
	Source Source `json:"source"`
	// AlarmMetricMonth is the price of a standard-resolution alarm per
	// metric per month: a metric-math alarm pays for each metric its
	// expression reads.
	AlarmMetricMonth float64 `json:"alarmMetricMonth"`
	// FreeAlarmMetrics is the free tier of standard alarm metrics per account.
	FreeAlarmMetrics int `json:"freeAlarmMetrics"`
	// HighResolutionAlarmMetricMonth is the price of a high-resolution
	// (10 s) alarm per metric per month.
	HighResolutionAlarmMetricMonth float64 `json:"highResolutionAlarmMetricMonth"`
	// CompositeAlarmMonth is the price of one composite alarm per month.
	CompositeAlarmMonth float64 `json:"compositeAlarmMonth"`
	// DashboardMonth is the price of one dashboard per month beyond
	// FreeDashboards per account.
	DashboardMonth float64 `json:"dashboardMonth"`
	FreeDashboards int     `json:"freeDashboards"`
	// CustomMetricMonth is the first-tier price of one custom metric per
	// month (first 10,000 metrics), beyond FreeCustomMetrics.
	CustomMetricMonth float64 `json:"customMetricMonth"`
	FreeCustomMetrics int     `json:"freeCustomMetrics"`
	// LogsIngestionPerGB and LogsStoragePerGBMonth are the standard log
	// class prices; FreeLogsGB is the free tier shared by ingestion,
	// storage and Logs Insights scans.
	LogsIngestionPerGB    float64 `json:"logsIngestionPerGB"`
	LogsStoragePerGBMonth float64 `json:"logsStoragePerGBMonth"`
	FreeLogsGB            float64 `json:"freeLogsGB"`
	// LogEventOverheadBytes is what CloudWatch Logs adds to each log
	// event's message when it measures ingestion (the PutLogEvents batch
	// size rule).
	LogEventOverheadBytes float64 `json:"logEventOverheadBytes"`
	// ContainerInsights is how many custom metrics ECS Container Insights
	// (standard mode) creates for a Fargate cluster: each is billed at
	// CustomMetricMonth.
	ContainerInsights ContainerInsights `json:"containerInsights"`
}

// ContainerInsights counts the metrics ECS Container Insights (standard
// mode, Fargate) publishes per dimension set.
type ContainerInsights struct {
	// PerCluster are the metrics of dimension set {ClusterName}.
	PerCluster int `json:"perCluster"`
	// PerService are the metrics of {ClusterName, ServiceName}, per service.
	PerService int `json:"perService"`
	// PerTaskFamily are the metrics of {ClusterName, TaskDefinitionFamily},
	// per task definition family.
	PerTaskFamily int `json:"perTaskFamily"`
	// PerformanceEventBytes is the size assumed for one performance log
	// event; the agent writes one a minute per task, per service and per
	// cluster, to a log group that keeps them a day.
	PerformanceEventBytes float64 `json:"performanceEventBytes"`
}

// XRay is AWS X-Ray's price table and the default sampling rule that
// decides how many requests become recorded traces.
type XRay struct {
	Source Source `json:"source"`
	// RecordedPerMillion is the price of a million traces recorded beyond
	// FreeRecorded a month.
	RecordedPerMillion float64 `json:"recordedPerMillion"`
	FreeRecorded       float64 `json:"freeRecorded"`
	// RetrievedPerMillion is the price of a million traces retrieved or
	// scanned beyond FreeRetrieved a month.
	RetrievedPerMillion float64 `json:"retrievedPerMillion"`
	FreeRetrieved       float64 `json:"freeRetrieved"`
	// ReservoirPerSecond and FixedRate are the default sampling rule: the
	// first ReservoirPerSecond requests each second, then FixedRate of the
	// rest (Lambda and API Gateway apply it when the account has no
	// sampling rule of its own).
	ReservoirPerSecond float64 `json:"reservoirPerSecond"`
	FixedRate          float64 `json:"fixedRate"`
}

// PerRecorded is the price of one recorded trace beyond the free tier.
func (x XRay) PerRecorded() float64 { return x.RecordedPerMillion / 1e6 }

// DataTransfer is the price of data sent from AWS to the internet, which
// API Gateway responses pay at the EC2 rates.
type DataTransfer struct {
	Source Source `json:"source"`
	// InternetOut is the price per GB, tiered by the month's GB (tier sizes
	// in GB), beyond FreeInternetOutGB a month per account.
	InternetOut       Tiered  `json:"internetOut"`
	FreeInternetOutGB float64 `json:"freeInternetOutGB"`
}

// SNS is Amazon SNS's price table for the notifications costguard sends.
type SNS struct {
	Source Source `json:"source"`
	// EmailPer100k is the price of 100,000 email notifications beyond FreeEmails.
	EmailPer100k float64 `json:"emailPer100k"`
	FreeEmails   float64 `json:"freeEmails"`
	// RequestsPerMillion is the price of one million API requests (publishes)
	// beyond FreeRequests.
	RequestsPerMillion float64 `json:"requestsPerMillion"`
	FreeRequests       float64 `json:"freeRequests"`
}

// Network is the price table of the VPC pieces an always-on tier brings:
// an Application Load Balancer in front of Fargate and NAT gateways for
// private subnets.
type Network struct {
	Source Source `json:"source"`
	// ALBHour is an Application Load Balancer's hourly price and
	// ALBLCUHour the price per Load Balancer Capacity Unit-hour.
	ALBHour    float64 `json:"albHour"`
	ALBLCUHour float64 `json:"albLCUHour"`
	// NATGatewayHour is a NAT gateway's hourly price and NATGatewayPerGB
	// the price per GB it processes.
	NATGatewayHour  float64 `json:"natGatewayHour"`
	NATGatewayPerGB float64 `json:"natGatewayPerGB"`
	// NLBHour and NLBNLCUHour are a Network Load Balancer's hourly and
	// per-capacity-unit-hour prices.
	NLBHour     float64 `json:"nlbHour"`
	NLBNLCUHour float64 `json:"nlbNLCUHour"`
	// InterfaceEndpointHour is an interface VPC endpoint's price per hour
	// per Availability Zone.
	InterfaceEndpointHour float64 `json:"interfaceEndpointHour"`
	// PublicIPv4Hour is the price of one public IPv4 address an hour, in
	// use or idle (a NAT gateway's Elastic IP is one).
	PublicIPv4Hour float64 `json:"publicIPv4Hour"`
}

// Other is the price table of the smaller fixed costs a stack can carry.
type Other struct {
	Source Source `json:"source"`
	// KMSKeyMonth is a customer managed KMS key's monthly price.
	KMSKeyMonth float64 `json:"kmsKeyMonth"`
	// KMSRotationMonth is what each automatic rotation adds to a key's
	// monthly price, for the first KMSBilledRotations rotations (later ones
	// are free); a key rotates once a year.
	KMSRotationMonth   float64 `json:"kmsRotationMonth"`
	KMSBilledRotations int     `json:"kmsBilledRotations"`
	// KMSRequestsPer10k is the price of 10,000 API requests beyond
	// KMSFreeRequests a month per account.
	KMSRequestsPer10k float64 `json:"kmsRequestsPer10k"`
	KMSFreeRequests   float64 `json:"kmsFreeRequests"`
	// SQSPerMillion is the price of a million standard-queue requests
	// beyond SQSFreeRequests a month.
	SQSPerMillion   float64 `json:"sqsPerMillion"`
	SQSFreeRequests float64 `json:"sqsFreeRequests"`
	// EventBridgeCustomEventsPerMillion is the price of a million custom
	// events put on an event bus; scheduled rules and AWS service events
	// are free.
	EventBridgeCustomEventsPerMillion float64 `json:"eventBridgeCustomEventsPerMillion"`
	// SchedulerPerMillion is the price of a million EventBridge Scheduler
	// invocations beyond SchedulerFreeInvocations a month.
	SchedulerPerMillion      float64 `json:"schedulerPerMillion"`
	SchedulerFreeInvocations float64 `json:"schedulerFreeInvocations"`
	// WAFWebACLMonth, WAFRuleMonth and WAFPerMillion are AWS WAF's prices
	// per web ACL, per rule and per million requests inspected.
	WAFWebACLMonth float64 `json:"wafWebACLMonth"`
	WAFRuleMonth   float64 `json:"wafRuleMonth"`
	WAFPerMillion  float64 `json:"wafPerMillion"`
	// SecretMonth is a Secrets Manager secret's monthly price.
	SecretMonth float64 `json:"secretMonth"`
	// SSMAdvancedParameterMonth is an advanced-tier SSM parameter's
	// monthly price (standard parameters are free).
	SSMAdvancedParameterMonth float64 `json:"ssmAdvancedParameterMonth"`
}

// KMSKeyMonthly is a customer managed key's monthly price once every
// billed rotation has happened (from its second yearly rotation on), or the
// key alone when it does not rotate.
func (o Other) KMSKeyMonthly(rotates bool) float64 {
	if !rotates {
		return o.KMSKeyMonth
	}
	return o.KMSKeyMonth + float64(o.KMSBilledRotations)*o.KMSRotationMonth
}

// Prices is every table for one region.
type Prices struct {
	Region       string       `json:"region"`
	Lambda       Lambda       `json:"lambda"`
	APIGateway   APIGateway   `json:"apiGateway"`
	Fargate      Fargate      `json:"fargate"`
	SageMaker    SageMaker    `json:"sagemaker"`
	CloudWatch   CloudWatch   `json:"cloudwatch"`
	SNS          SNS          `json:"sns"`
	Network      Network      `json:"network"`
	XRay         XRay         `json:"xray"`
	DataTransfer DataTransfer `json:"dataTransfer"`
	Other        Other        `json:"other"`
	// Missing lists the prices of a region priced from AWS Price List files
	// that the files did not give; they are 0 here, and reports say so.
	Missing []string `json:"missing,omitempty"`
	// Unread lists the prices of a region priced only from AWS Price List
	// files that the import does not read at all (WAF, Secrets Manager,
	// SSM, SQS, EventBridge): none of the stacks deploys them, so they are
	// not in Missing, but they are 0 here, and a report that meets such a
	// resource says so.
	Unread []string `json:"unread,omitempty"`
}

// Unpriced reports whether the price named key (as in Missing or Unread)
// is one the tables lack.
func (p Prices) Unpriced(key string) bool {
	return slices.Contains(p.Missing, key) || slices.Contains(p.Unread, key)
}
