package fargate

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cdktest"
)

// testImage is a container image asset from a stand-in Dockerfile; synth
// stages it without building it, so no Docker engine is needed.
func testImage() awsecs.ContainerImage {
	return awsecs.ContainerImage_FromAsset(jsii.String(filepath.Join("testdata", "image")), nil)
}

func newStack(t *testing.T, id string) awscdk.Stack {
	t.Helper()
	return awscdk.NewStack(cdktest.NewApp(t), jsii.String(id), nil)
}

func TestServiceDefaults(t *testing.T) {
	// GIVEN a stack with a service of default props and the AWS Solutions checks
	stack := newStack(t, "FargateDefaults")
	cdktest.AddNagChecks(stack)
	NewService(stack, "Inference", &ServiceProps{
		Image:   testImage(),
		Traffic: workload.Traffic{RequestsPerMonth: 5e6, AvgDurationMs: 40},
	})
	// WHEN it is synthesized
	tpl := assertions.Template_FromStack(stack, nil)

	t.Run("fargate service in private subnets with workload metadata", func(t *testing.T) {
		tpl.HasResource(jsii.String("AWS::ECS::Service"), map[string]any{
			"Properties": map[string]any{
				"LaunchType":   "FARGATE",
				"DesiredCount": 1,
				"NetworkConfiguration": map[string]any{"AwsvpcConfiguration": map[string]any{
					"AssignPublicIp": "DISABLED",
				}},
				"DeploymentConfiguration": assertions.Match_ObjectLike(&map[string]any{
					"DeploymentCircuitBreaker": map[string]any{"Enable": true, "Rollback": true},
				}),
			},
			"Metadata": map[string]any{workload.MetadataKey: assertions.Match_ObjectLike(&map[string]any{
				"tier":      "fargate",
				"frontDoor": "http",
				"fargate":   map[string]any{"cpu": 1024, "memoryMiB": 2048, "architecture": "arm64", "minTasks": 1, "maxTasks": 2},
				"traffic":   map[string]any{"requestsPerMonth": 5e6, "avgDurationMs": 40},
			})},
		})
	})
	t.Run("arm64 task with the model server on PORT and logs", func(t *testing.T) {
		tpl.HasResourceProperties(jsii.String("AWS::ECS::TaskDefinition"), map[string]any{
			"Cpu":                     "1024",
			"Memory":                  "2048",
			"RuntimePlatform":         map[string]any{"CpuArchitecture": "ARM64", "OperatingSystemFamily": "LINUX"},
			"RequiresCompatibilities": []any{"FARGATE"},
			"ContainerDefinitions": []any{assertions.Match_ObjectLike(&map[string]any{
				"Name":                   "ModelServer",
				"ReadonlyRootFilesystem": true,
				"Environment":            []any{map[string]any{"Name": "PORT", "Value": "8080"}},
				"PortMappings":           []any{assertions.Match_ObjectLike(&map[string]any{"ContainerPort": 8080})},
				"LogConfiguration":       assertions.Match_ObjectLike(&map[string]any{"LogDriver": "awslogs"}),
			})},
		})
		tpl.ResourcePropertiesCountIs(jsii.String("AWS::Logs::LogGroup"), map[string]any{"RetentionInDays": 30}, jsii.Number(2))
	})
	t.Run("container insights on", func(t *testing.T) {
		tpl.HasResourceProperties(jsii.String("AWS::ECS::Cluster"), map[string]any{
			"ClusterSettings": []any{map[string]any{"Name": "containerInsights", "Value": "enabled"}},
		})
	})
	t.Run("internal load balancer health-checks GET /health", func(t *testing.T) {
		tpl.HasResourceProperties(jsii.String("AWS::ElasticLoadBalancingV2::LoadBalancer"), map[string]any{
			"Scheme": "internal",
		})
		tpl.HasResourceProperties(jsii.String("AWS::ElasticLoadBalancingV2::TargetGroup"), map[string]any{
			"HealthCheckPath": "/health", "Matcher": map[string]any{"HttpCode": "200"}, "Port": 8080, "TargetType": "ip",
		})
	})
	t.Run("autoscaling on cpu and requests per target", func(t *testing.T) {
		tpl.HasResourceProperties(jsii.String("AWS::ApplicationAutoScaling::ScalableTarget"), map[string]any{
			"MinCapacity": 1, "MaxCapacity": 2, "ScalableDimension": "ecs:service:DesiredCount",
		})
		for _, metric := range []string{"ECSServiceAverageCPUUtilization", "ALBRequestCountPerTarget"} {
			tpl.HasResourceProperties(jsii.String("AWS::ApplicationAutoScaling::ScalingPolicy"), map[string]any{
				"PolicyType": "TargetTrackingScaling",
				"TargetTrackingScalingPolicyConfiguration": assertions.Match_ObjectLike(&map[string]any{
					"PredefinedMetricSpecification": assertions.Match_ObjectLike(&map[string]any{"PredefinedMetricType": metric}),
				}),
			})
		}
		tpl.ResourceCountIs(jsii.String("AWS::ApplicationAutoScaling::ScalingPolicy"), jsii.Number(2))
	})
	t.Run("http api routes reach the load balancer through a vpc link", func(t *testing.T) {
		for _, key := range []string{"POST /predict", "GET /health"} {
			tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"RouteKey": key})
		}
		tpl.ResourceCountIs(jsii.String("AWS::ApiGatewayV2::Route"), jsii.Number(2))
		tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Integration"), map[string]any{
			"IntegrationType": "HTTP_PROXY", "ConnectionType": "VPC_LINK",
		})
		tpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), map[string]any{
			"StageName": "$default", "AutoDeploy": true,
			"DefaultRouteSettings": map[string]any{"ThrottlingRateLimit": 50, "ThrottlingBurstLimit": 100},
			"AccessLogSettings":    assertions.Match_ObjectLike(&map[string]any{"DestinationArn": assertions.Match_AnyValue()}),
		})
	})
	t.Run("load balancer accepts only the vpc link", func(t *testing.T) {
		tpl.HasResourceProperties(jsii.String("AWS::EC2::SecurityGroupIngress"), map[string]any{
			"FromPort": 80, "ToPort": 80, "IpProtocol": "tcp",
			"SourceSecurityGroupId": assertions.Match_AnyValue(),
		})
		for _, sg := range findProps(tpl, "AWS::EC2::SecurityGroup") {
			for _, in := range asSlice(sg["SecurityGroupIngress"]) {
				if m, _ := in.(map[string]any); m["CidrIp"] == "0.0.0.0/0" {
					t.Errorf("security group %v is open to the internet: %v", sg["GroupDescription"], m)
				}
			}
		}
	})
	t.Run("cdk-nag clean", func(t *testing.T) {
		if f := cdktest.AwsSolutionsFindings(t, stack); len(f) > 0 {
			t.Errorf("%d unsuppressed cdk-nag findings:\n%s", len(f), strings.Join(f, "\n"))
		}
	})
	t.Run("golden", func(t *testing.T) {
		cdktest.Golden(t, filepath.Join("testdata", "defaults.template.json"), cdktest.Template(t, stack))
	})
}

func TestServiceOptions(t *testing.T) {
	t.Run("scale to zero wakes on load balancer 503s", func(t *testing.T) {
		stack := newStack(t, "FargateScaleToZero")
		cdktest.AddNagChecks(stack)
		s := NewService(stack, "Inference", &ServiceProps{Image: testImage(), ScaleToZero: true, MaxTasks: 3})
		tpl := assertions.Template_FromStack(stack, nil)
		tpl.HasResourceProperties(jsii.String("AWS::ECS::Service"), map[string]any{"DesiredCount": 0})
		tpl.HasResourceProperties(jsii.String("AWS::ApplicationAutoScaling::ScalableTarget"), map[string]any{
			"MinCapacity": 0, "MaxCapacity": 3,
		})
		tpl.HasResourceProperties(jsii.String("AWS::ApplicationAutoScaling::ScalingPolicy"), map[string]any{
			"PolicyType": "StepScaling",
		})
		tpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
			"MetricName": "HTTPCode_ELB_503_Count", "Namespace": "AWS/ApplicationELB",
		})
		if got := s.Workload().Fargate.MinTasks; got != 0 {
			t.Errorf("workload MinTasks = %d, want 0", got)
		}
		if f := cdktest.AwsSolutionsFindings(t, stack); len(f) > 0 {
			t.Errorf("unsuppressed cdk-nag findings:\n%s", strings.Join(f, "\n"))
		}
		cdktest.Golden(t, filepath.Join("testdata", "scale-to-zero.template.json"), cdktest.Template(t, stack))
	})

	t.Run("x86_64 with a given vpc and size", func(t *testing.T) {
		stack := newStack(t, "FargateGivenVpc")
		vpc := awsec2.NewVpc(stack, jsii.String("Shared"), &awsec2.VpcProps{MaxAzs: jsii.Number(2), NatGateways: jsii.Number(1)})
		s := NewService(stack, "Inference", &ServiceProps{
			Image: testImage(), VPC: vpc, CPU: 4096, MemoryMiB: 16384, Architecture: workload.ArchX86_64,
			MinTasks: 2, Environment: map[string]string{"MODEL_DIR": "/models/spam"},
			Placement: []string{"needs 16 GiB, over Lambda's 10,240 MB"},
		})
		tpl := assertions.Template_FromStack(stack, nil)
		tpl.ResourceCountIs(jsii.String("AWS::EC2::VPC"), jsii.Number(1))
		tpl.HasResourceProperties(jsii.String("AWS::ECS::TaskDefinition"), map[string]any{
			"Cpu": "4096", "Memory": "16384",
			"RuntimePlatform": map[string]any{"CpuArchitecture": "X86_64", "OperatingSystemFamily": "LINUX"},
			"ContainerDefinitions": []any{assertions.Match_ObjectLike(&map[string]any{
				"Environment": assertions.Match_ArrayWith(&[]any{map[string]any{"Name": "MODEL_DIR", "Value": "/models/spam"}}),
			})},
		})
		tpl.HasResourceProperties(jsii.String("AWS::ApplicationAutoScaling::ScalableTarget"), map[string]any{
			"MinCapacity": 2, "MaxCapacity": 2,
		})
		tpl.HasResource(jsii.String("AWS::ECS::Service"), map[string]any{
			"Metadata": map[string]any{workload.MetadataKey: assertions.Match_ObjectLike(&map[string]any{
				"placement": []any{"needs 16 GiB, over Lambda's 10,240 MB"},
			})},
		})
		if s.VPC() != awsec2.IVpc(vpc) {
			t.Error("Vpc() is not the given VPC")
		}
	})
}

func TestServiceValidation(t *testing.T) {
	tests := []struct {
		name  string
		props ServiceProps
		want  []string
	}{
		{"image missing", ServiceProps{}, []string{"Image: is required"}},
		{"cpu not a fargate size", ServiceProps{Image: testImage(), CPU: 300}, []string{"CPU: 300 is not a Fargate CPU size (want one of 256, 512, 1024, 2048, 4096, 8192, 16384)"}},
		{"memory outside the cpu's range", ServiceProps{Image: testImage(), CPU: 256, MemoryMiB: 4096},
			[]string{"MemoryMiB: 4096 is not allowed with CPU 256 (want 512, 1024 or 2048)"}},
		{"memory off the step", ServiceProps{Image: testImage(), CPU: 1024, MemoryMiB: 2500},
			[]string{"MemoryMiB: 2500 is not allowed with CPU 1024 (want 2048 to 8192 in 1024 steps)"}},
		{"architecture", ServiceProps{Image: testImage(), Architecture: "ppc64"}, []string{`Architecture: "ppc64" is not one of arm64, x86_64`}},
		{"negative min", ServiceProps{Image: testImage(), MinTasks: -1}, []string{"MinTasks: -1 is negative"}},
		{"min with scale to zero", ServiceProps{Image: testImage(), MinTasks: 1, ScaleToZero: true}, []string{"MinTasks: 1 conflicts with ScaleToZero"}},
		{"max below min", ServiceProps{Image: testImage(), MinTasks: 3, MaxTasks: 2}, []string{"MaxTasks: 2 is below MinTasks 3"}},
		{"cpu target", ServiceProps{Image: testImage(), TargetCPUPercent: 120}, []string{"TargetCPUPercent: 120 is outside 1 to 100"}},
		{"requests per target", ServiceProps{Image: testImage(), RequestsPerTargetMinute: -5}, []string{"RequestsPerTargetMinute: -5 is below 1"}},
		{"container port", ServiceProps{Image: testImage(), ContainerPort: 80}, []string{"ContainerPort: 80 is not a port from 1 to 65535 other than 80"}},
		{"port in environment", ServiceProps{Image: testImage(), Environment: map[string]string{"PORT": "9"}}, []string{"Environment: PORT is set by the construct"}},
		{"throttles", ServiceProps{Image: testImage(), ThrottleRateLimit: -1, ThrottleBurstLimit: -2},
			[]string{"ThrottleRateLimit: -1 is outside the allowed above 0 to 10000 requests per second", "ThrottleBurstLimit: -2 is outside the allowed 1 to 5000 requests"}},
		{"every problem together", ServiceProps{CPU: 300, MaxTasks: -1, TargetCPUPercent: 101},
			[]string{"Image: is required", "CPU: 300", "MaxTasks: -1 is below 1", "TargetCPUPercent: 101"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.props.withDefaults().validate()
			if err == nil {
				t.Fatalf("validate() = nil, want errors %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("validate() = %q, want it to contain %q", err, w)
				}
			}
		})
	}

	t.Run("constructor reports with the construct path", func(t *testing.T) {
		stack := newStack(t, "FargateInvalid")
		s := NewService(stack, "Inference", &ServiceProps{Image: testImage(), CPU: 300})
		msg := cdktest.CheckReported(t, s, "FargateInvalid/Inference: CPU: 300 is not a Fargate CPU size")
		if strings.Count(msg, "\n") != 0 {
			t.Errorf("Err() = %q, want one problem", msg)
		}
		if s.URL() != nil || s.Service() != nil || s.MetricCPUUtilization(nil) != nil {
			t.Error("a construct with problems returned resources")
		}
	})

	t.Run("valid props pass and are not mutated", func(t *testing.T) {
		in := ServiceProps{Image: testImage(), Environment: map[string]string{"A": "b"}}
		if err := in.withDefaults().validate(); err != nil {
			t.Fatalf("validate() = %v", err)
		}
		if in.CPU != 0 || len(in.Environment) != 1 {
			t.Errorf("withDefaults mutated the caller's props: %+v", in)
		}
	})
}

func findProps(tpl assertions.Template, typ string) []map[string]any {
	var out []map[string]any
	for _, r := range *tpl.FindResources(jsii.String(typ), nil) {
		b, _ := json.Marshal(r)
		var m struct{ Properties map[string]any }
		_ = json.Unmarshal(b, &m)
		out = append(out, m.Properties)
	}
	return out
}

func asSlice(v any) []any { s, _ := v.([]any); return s }
