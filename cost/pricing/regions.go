package pricing

import (
	"fmt"
	"sort"
	"strings"
)

// DefaultRegion is the region priced when none is given.
const DefaultRegion = "us-east-1"

// regions builds each priced region's tables afresh, so a caller that edits
// its copy (say, to model a discount) never changes another caller's prices.
var regions = map[string]func() Prices{
	"us-east-1": usEast1,
}

// Regions lists the priced regions, sorted.
func Regions() []string {
	r := make([]string, 0, len(regions))
	for k := range regions {
		r = append(r, k)
	}
	sort.Strings(r)
	return r
}

// ForRegion returns the price tables of region; "" means [DefaultRegion].
func ForRegion(region string) (Prices, error) {
	if region == "" {
		region = DefaultRegion
	}
	f, ok := regions[region]
	if !ok {
		return Prices{}, fmt.Errorf("region %q is not priced (priced: %s)", region, strings.Join(Regions(), ", "))
	}
	return f(), nil
}

// Default returns the tables of [DefaultRegion].
func Default() Prices { return usEast1() }

// usEast1 is US East (N. Virginia).
func usEast1() Prices {
	return Prices{
		Region: "us-east-1",

		// Source: https://aws.amazon.com/lambda/pricing/ (x86 and Arm price
		// tables, "Provisioned Concurrency Pricing", "Ephemeral storage",
		// free tier), the tiered-pricing announcement
		// https://aws.amazon.com/blogs/compute/introducing-tiered-pricing-for-aws-lambda/
		// and, for init billing, "AWS Lambda standardizes billing for INIT
		// phase" (https://aws.amazon.com/blogs/compute/aws-lambda-standardizes-billing-for-init-phase/);
		// read 2026-11-27.
		Lambda: Lambda{
			Source:             Source{URL: "https://aws.amazon.com/lambda/pricing/", Read: "2026-11-27"},
			RequestsPerMillion: 0.20,
			Duration: PerArch[Tiered]{
				X86_64: Tiered{{Size: 6e9, Price: 0.0000166667}, {Size: 9e9, Price: 0.000015}, {Price: 0.0000133334}},
				ARM64:  Tiered{{Size: 7.5e9, Price: 0.0000133334}, {Size: 11.25e9, Price: 0.0000120001}, {Price: 0.0000106667}},
			},
			ProvisionedConcurrency:        PerArch[float64]{X86_64: 0.0000041667, ARM64: 0.0000033334},
			ProvisionedDuration:           PerArch[float64]{X86_64: 0.0000097222, ARM64: 0.0000077778},
			EphemeralPerGBSecond:          0.0000000309,
			EphemeralFreeMiB:              512,
			FreeRequests:                  1e6,
			FreeGBSeconds:                 400000,
			BillingGranularityMs:          1,
			ProvisionedGranularityMinutes: 5,
			InitBilled:                    true,
		},

		// Source: https://aws.amazon.com/api-gateway/pricing/ ("REST APIs",
		// "HTTP APIs", metering note, "Caching"); read 2026-11-27.
		APIGateway: APIGateway{
			Source: Source{URL: "https://aws.amazon.com/api-gateway/pricing/", Read: "2026-11-27"},
			// Published per million requests; kept per request here.
			REST:              Tiered{{Size: 333e6, Price: 3.50 / 1e6}, {Size: 667e6, Price: 2.80 / 1e6}, {Size: 19e9, Price: 2.38 / 1e6}, {Price: 1.51 / 1e6}},
			HTTP:              Tiered{{Size: 300e6, Price: 1.00 / 1e6}, {Price: 0.90 / 1e6}},
			HTTPMeteringBytes: 512 * 1024,
			CacheHour: map[string]float64{
				"0.5": 0.020, "1.6": 0.038, "6.1": 0.200, "13.5": 0.250,
				"28.4": 0.500, "58.2": 1.000, "118": 1.900, "237": 3.800,
			},
		},

		// Source: https://aws.amazon.com/fargate/pricing/ (Linux/x86 and
		// Linux/ARM per vCPU-hour and per GB-hour); read 2026-11-27.
		Fargate: Fargate{
			Source:                Source{URL: "https://aws.amazon.com/fargate/pricing/", Read: "2026-11-27"},
			VCPUHour:              PerArch[float64]{X86_64: 0.04048, ARM64: 0.03238},
			GBHour:                PerArch[float64]{X86_64: 0.004445, ARM64: 0.00356},
			MinimumBillingMinutes: 1,
		},

		// Source: https://aws.amazon.com/sagemaker/ai/pricing/ ("Serverless
		// Inference", "Real-Time Inference", "Asynchronous Inference" on-demand
		// tables) and instance specifications from
		// https://aws.amazon.com/sagemaker/ai/pricing/ "Instance details";
		// read 2026-11-27.
		SageMaker: SageMaker{
			Source:                Source{URL: "https://aws.amazon.com/sagemaker/ai/pricing/", Read: "2026-11-27"},
			ServerlessPerGBSecond: 0.00002,
			ServerlessMinMiB:      1024,
			ServerlessMaxMiB:      6144,
			ServerlessStepMiB:     1024,
			DataPerGB:             0.016,
			Instances: map[string]Instance{
				// Burstable: 20 % of each vCPU sustained (baseline of the
				// t2.medium in the EC2 User Guide, "Key concepts and
				// definitions for burstable performance instances",
				// https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/burstable-credits-baseline-concepts.html;
				// read 2026-11-30).
				"ml.t2.medium": {Hourly: 0.056, VCPUs: 2, MemoryGiB: 4, BaselineCPU: BurstableBaseline("ml.t2.medium")},
				"ml.c5.large":  {Hourly: 0.102, VCPUs: 2, MemoryGiB: 4},
				"ml.m5.large":  {Hourly: 0.115, VCPUs: 2, MemoryGiB: 8},
				// Larger CPU instances, beyond the list, so a model of
				// more than 8 GB has a CPU instance to go to. List prices not
				// re-read from a stored copy of the page; re-check them.
				"ml.m5.xlarge":   {Hourly: 0.23, VCPUs: 4, MemoryGiB: 16},
				"ml.m5.2xlarge":  {Hourly: 0.461, VCPUs: 8, MemoryGiB: 32},
				"ml.g4dn.xlarge": {Hourly: 0.7364, VCPUs: 4, MemoryGiB: 16, GPUs: 1, GPU: "NVIDIA T4"},
				"ml.g5.xlarge":   {Hourly: 1.408, VCPUs: 4, MemoryGiB: 16, GPUs: 1, GPU: "NVIDIA A10G"},
			},
		},

		// Source: https://aws.amazon.com/cloudwatch/pricing/ ("Alarms",
		// "Dashboards", "Metrics", "Logs" and the free tier); read 2026-11-27.
		CloudWatch: CloudWatch{
			Source:                         Source{URL: "https://aws.amazon.com/cloudwatch/pricing/", Read: "2026-11-27"},
			AlarmMetricMonth:               0.10,
			FreeAlarmMetrics:               10,
			HighResolutionAlarmMetricMonth: 0.30,
			CompositeAlarmMonth:            0.50,
			DashboardMonth:                 3.00,
			FreeDashboards:                 3,
			CustomMetricMonth:              0.30,
			FreeCustomMetrics:              10,
			LogsIngestionPerGB:             0.50,
			LogsStoragePerGBMonth:          0.03,
			FreeLogsGB:                     5,
			// The PutLogEvents API reference: a batch's size is the sum of
			// its messages in UTF-8 plus 26 bytes for each log event.
			LogEventOverheadBytes: 26,
			// Container Insights metrics are billed as custom metrics (the
			// CloudWatch pricing page and "Amazon ECS Container Insights
			// metrics",
			// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Container-Insights-metrics-ECS.html).
			// Counted from that table for tasks on Fargate: per cluster
			// CpuReserved, CpuUtilized, MemoryReserved, MemoryUtilized,
			// NetworkRxBytes, NetworkTxBytes, EphemeralStorageReserved,
			// EphemeralStorageUtilized, ServiceCount, TaskCount; per service
			// the same six CPU, memory and network metrics, the two
			// ephemeral-storage ones, DeploymentCount, DesiredTaskCount,
			// PendingTaskCount, RunningTaskCount, TaskSetCount; per task
			// family the eight and RunningTaskCount. The stored copies of the
			// page could not be read in full; re-check the counts there. The
			// performance event size is an estimate (one JSON event of about
			// 25 fields).
			ContainerInsights: ContainerInsights{PerCluster: 10, PerService: 13, PerTaskFamily: 9, PerformanceEventBytes: 1024},
		},

		// Source: https://aws.amazon.com/xray/pricing/ ("Always free tier":
		// 100,000 traces recorded and 1,000,000 retrieved or scanned a
		// month; $5.00 per million recorded, $0.50 per million retrieved or
		// scanned beyond it); the default sampling rule (reservoir of one
		// request a second, then 5 %) from the X-Ray Developer Guide,
		// "Configuring sampling rules"
		// (https://docs.aws.amazon.com/xray/latest/devguide/xray-console-sampling.html);
		// read 2026-11-30.
		XRay: XRay{
			Source:              Source{URL: "https://aws.amazon.com/xray/pricing/", Read: "2026-11-30"},
			RecordedPerMillion:  5.00,
			FreeRecorded:        100000,
			RetrievedPerMillion: 0.50,
			FreeRetrieved:       1e6,
			ReservoirPerSecond:  1,
			FixedRate:           0.05,
		},

		// Source: https://aws.amazon.com/ec2/pricing/on-demand/ ("Data
		// Transfer OUT From Amazon EC2 To Internet": $0.09 per GB for the
		// first 10 TB, $0.085 the next 40 TB, $0.07 the next 100 TB, $0.05
		// beyond; 100 GB a month free across services and regions), which
		// https://aws.amazon.com/api-gateway/pricing/ applies to API Gateway
		// responses; read 2026-11-30. Not re-read from a stored copy of the
		// EC2 page (an AWS re:Post answer confirms $0.09 after the 100 GB);
		// re-check the higher tiers there.
		DataTransfer: DataTransfer{
			Source:            Source{URL: "https://aws.amazon.com/ec2/pricing/on-demand/", Read: "2026-11-30"},
			InternetOut:       Tiered{{Size: 10240, Price: 0.09}, {Size: 40960, Price: 0.085}, {Size: 102400, Price: 0.07}, {Price: 0.05}},
			FreeInternetOutGB: 100,
		},

		// Source: https://aws.amazon.com/sns/pricing/ ("Notification
		// deliveries": email, and API requests); read 2026-11-27.
		SNS: SNS{
			Source:             Source{URL: "https://aws.amazon.com/sns/pricing/", Read: "2026-11-27"},
			EmailPer100k:       2.00,
			FreeEmails:         1000,
			RequestsPerMillion: 0.50,
			FreeRequests:       1e6,
		},

		// Source: https://aws.amazon.com/elasticloadbalancing/pricing/
		// ("Application Load Balancer", "Network Load Balancer"),
		// https://aws.amazon.com/vpc/pricing/ ("NAT Gateway") and
		// https://aws.amazon.com/privatelink/pricing/ ("Interface
		// Endpoint"); read 2026-11-27. No stored copy of these AWS pages was
		// at hand: the values are the published us-east-1 list prices,
		// cross-checked against third-party 2026 pricing guides (NAT gateway
		// $0.045/h and $0.045/GB). Re-check them against the pages above.
		Network: Network{
			Source:          Source{URL: "https://aws.amazon.com/elasticloadbalancing/pricing/", Read: "2026-11-27"},
			ALBHour:         0.0225,
			ALBLCUHour:      0.008,
			NATGatewayHour:  0.045,
			NATGatewayPerGB: 0.045,
			NLBHour:         0.0225,
			NLBNLCUHour:     0.006,
			// https://aws.amazon.com/privatelink/pricing/
			InterfaceEndpointHour: 0.01,
			// https://aws.amazon.com/vpc/pricing/ ("Public IPv4 Address":
			// $0.005 per IP per hour, in use or idle, since 1 February 2024).
			PublicIPv4Hour: 0.005,
		},

		// Source: https://aws.amazon.com/kms/pricing/ ("Customer managed
		// keys"), https://aws.amazon.com/waf/pricing/,
		// https://aws.amazon.com/secrets-manager/pricing/ and
		// https://aws.amazon.com/systems-manager/pricing/ ("Parameter
		// Store"); read 2026-11-27. As for Network: published list prices
		// not re-read from a stored copy of these pages; re-check them.
		Other: Other{
			Source:      Source{URL: "https://aws.amazon.com/kms/pricing/", Read: "2026-11-27"},
			KMSKeyMonth: 1.00,
			// "each newly generated backing key costs an additional
			// $1/month" (the page); since AWS's price change of April 2024
			// only the first and second rotations are billed.
			KMSRotationMonth:   1.00,
			KMSBilledRotations: 2,
			KMSRequestsPer10k:  0.03,
			KMSFreeRequests:    20000,
			// https://aws.amazon.com/sqs/pricing/ (standard queue) and
			// https://aws.amazon.com/eventbridge/pricing/ (custom events;
			// Scheduler); read 2026-11-30, not re-read from a stored copy.
			SQSPerMillion:                     0.40,
			SQSFreeRequests:                   1e6,
			EventBridgeCustomEventsPerMillion: 1.00,
			SchedulerPerMillion:               1.00,
			SchedulerFreeInvocations:          14e6,
			WAFWebACLMonth:                    5.00,
			WAFRuleMonth:                      1.00,
			WAFPerMillion:                     0.60,
			SecretMonth:                       0.40,
			SSMAdvancedParameterMonth:         0.05,
		},
	}
}
