package sagemaker

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecrassets"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cdktest"
)

func newStack(t *testing.T, id string) awscdk.Stack {
	t.Helper()
	return awscdk.NewStack(cdktest.NewApp(t), jsii.String(id), nil)
}

// testImage stages a stand-in Dockerfile as an image asset; synth does not
// build it, so no Docker engine is needed.
func testImage(stack awscdk.Stack) awsecrassets.DockerImageAsset {
	return awsecrassets.NewDockerImageAsset(stack, jsii.String("Image"), &awsecrassets.DockerImageAssetProps{
		Directory: jsii.String(filepath.Join("testdata", "image")),
	})
}

func match(m map[string]any) assertions.Matcher { return assertions.Match_ObjectLike(&m) }

func TestServerless(t *testing.T) {
	// GIVEN a serverless endpoint with default props and the AWS Solutions checks
	stack := newStack(t, "SageMakerServerless")
	cdktest.AddNagChecks(stack)
	e := NewEndpoint(stack, "Inference", &EndpointProps{
		Image:   testImage(stack),
		Traffic: workload.Traffic{RequestsPerMonth: 1e5, AvgDurationMs: 80},
	})
	tpl := assertions.Template_FromStack(stack, nil)

	t.Run("model is the server's sagemaker face", func(t *testing.T) {
		tpl.HasResourceProperties(jsii.String("AWS::SageMaker::Model"), map[string]any{
			"PrimaryContainer": match(map[string]any{
				"Mode":        "SingleModel",
				"Environment": map[string]any{"SERVER_MODE": "sagemaker"},
				"Image":       assertions.Match_AnyValue(),
			}),
		})
	})
	t.Run("serverless config with memory and concurrency", func(t *testing.T) {
		tpl.HasResourceProperties(jsii.String("AWS::SageMaker::EndpointConfig"), map[string]any{
			"ProductionVariants": []any{match(map[string]any{
				"VariantName":      "AllTraffic",
				"ServerlessConfig": map[string]any{"MemorySizeInMB": 2048, "MaxConcurrency": 5},
			})},
			"KmsKeyId": assertions.Match_Absent(),
		})
		tpl.ResourceCountIs(jsii.String("AWS::KMS::Key"), jsii.Number(0))
		tpl.ResourceCountIs(jsii.String("AWS::ApplicationAutoScaling::ScalableTarget"), jsii.Number(0))
	})
	t.Run("endpoint records its workload", func(t *testing.T) {
		tpl.HasResource(jsii.String("AWS::SageMaker::Endpoint"), map[string]any{
			"Properties": map[string]any{"EndpointName": e.EndpointName(), "EndpointConfigName": assertions.Match_AnyValue()},
			"Metadata": map[string]any{workload.MetadataKey: match(map[string]any{
				"tier": "sagemaker-serverless", "frontDoor": "rest",
				"sagemaker": map[string]any{"memoryMiB": 2048, "maxConcurrency": 5},
			})},
		})
		if w := e.Workload(); w.Validate() != nil {
			t.Errorf("workload invalid: %v", w.Validate())
		}
	})
	t.Run("log group with retention exists before the endpoint", func(t *testing.T) {
		tpl.HasResourceProperties(jsii.String("AWS::Logs::LogGroup"), map[string]any{
			"LogGroupName": "/aws/sagemaker/Endpoints/" + e.EndpointName(), "RetentionInDays": 30,
		})
		tpl.HasResource(jsii.String("AWS::SageMaker::Endpoint"), map[string]any{
			"DependsOn": assertions.Match_ArrayWith(&[]any{assertions.Match_StringLikeRegexp(jsii.String("InferenceLogs"))}),
		})
	})
	t.Run("POST /predict calls InvokeEndpoint with a scoped role", func(t *testing.T) {
		tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Method"), map[string]any{
			"HttpMethod":         "POST",
			"RequestValidatorId": assertions.Match_AnyValue(),
			"Integration": match(map[string]any{
				"Type": "AWS", "IntegrationHttpMethod": "POST", "PassthroughBehavior": "NEVER",
				"Uri": match(map[string]any{"Fn::Join": []any{"", assertions.Match_ArrayWith(&[]any{
					":runtime.sagemaker:path/endpoints/" + e.EndpointName() + "/invocations",
				})}}),
			}),
		})
		tpl.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
			"PolicyDocument": match(map[string]any{"Statement": []any{match(map[string]any{
				"Action": "sagemaker:InvokeEndpoint", "Effect": "Allow",
			})}}),
		})
		tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Stage"), map[string]any{
			"StageName": "v1",
			"MethodSettings": assertions.Match_ArrayWith(&[]any{match(map[string]any{
				"ThrottlingRateLimit": 20, "ThrottlingBurstLimit": 40,
			})}),
			"AccessLogSetting": match(map[string]any{"DestinationArn": assertions.Match_AnyValue()}),
		})
	})
	t.Run("cdk-nag clean", func(t *testing.T) {
		if f := cdktest.AwsSolutionsFindings(t, stack); len(f) > 0 {
			t.Errorf("%d unsuppressed cdk-nag findings:\n%s", len(f), strings.Join(f, "\n"))
		}
	})
	t.Run("golden", func(t *testing.T) {
		cdktest.Golden(t, filepath.Join("testdata", "serverless.template.json"), cdktest.Template(t, stack))
	})
}

func TestRealtime(t *testing.T) {
	t.Run("gpu instances with autoscaling and model data", func(t *testing.T) {
		stack := newStack(t, "SageMakerRealtimeGPU")
		cdktest.AddNagChecks(stack)
		data := awss3assets.NewAsset(stack, jsii.String("ModelData"), &awss3assets.AssetProps{
			Path: jsii.String(filepath.Join("testdata", "model.tar.gz")),
		})
		e := NewEndpoint(stack, "Inference", &EndpointProps{
			Image: testImage(stack), ModelData: data, Variant: VariantRealtime,
			InstanceType: "ml.g4dn.xlarge", MaxInstances: 3,
			Placement: []string{"needs a GPU"},
		})
		tpl := assertions.Template_FromStack(stack, nil)
		tpl.HasResourceProperties(jsii.String("AWS::SageMaker::Model"), map[string]any{
			"PrimaryContainer": match(map[string]any{
				"Environment": map[string]any{"SERVER_MODE": "sagemaker", "MODEL_DIR": "/opt/ml/model"},
				"ModelDataSource": map[string]any{"S3DataSource": match(map[string]any{
					"CompressionType": "Gzip", "S3DataType": "S3Object",
				})},
			}),
		})
		tpl.HasResourceProperties(jsii.String("AWS::SageMaker::EndpointConfig"), map[string]any{
			"ProductionVariants": []any{match(map[string]any{
				"InstanceType": "ml.g4dn.xlarge", "InitialInstanceCount": 1,
			})},
			// g4dn instances have an NVMe instance store: SageMaker rejects a key.
			"KmsKeyId": assertions.Match_Absent(),
		})
		tpl.HasResourceProperties(jsii.String("AWS::ApplicationAutoScaling::ScalableTarget"), map[string]any{
			"MinCapacity": 1, "MaxCapacity": 3, "ServiceNamespace": "sagemaker",
			"ResourceId":        "endpoint/" + e.EndpointName() + "/variant/AllTraffic",
			"ScalableDimension": "sagemaker:variant:DesiredInstanceCount",
		})
		tpl.HasResourceProperties(jsii.String("AWS::ApplicationAutoScaling::ScalingPolicy"), map[string]any{
			"TargetTrackingScalingPolicyConfiguration": match(map[string]any{
				"TargetValue":                   100,
				"PredefinedMetricSpecification": map[string]any{"PredefinedMetricType": "SageMakerVariantInvocationsPerInstance"},
			}),
		})
		tpl.HasResource(jsii.String("AWS::SageMaker::Endpoint"), map[string]any{
			"Metadata": map[string]any{workload.MetadataKey: match(map[string]any{
				"tier":      "sagemaker-realtime",
				"sagemaker": map[string]any{"instanceType": "ml.g4dn.xlarge", "minInstances": 1, "maxInstances": 3},
				"placement": []any{"needs a GPU"},
			})},
		})
		if f := cdktest.AwsSolutionsFindings(t, stack); len(f) > 0 {
			t.Errorf("unsuppressed cdk-nag findings:\n%s", strings.Join(f, "\n"))
		}
		cdktest.Golden(t, filepath.Join("testdata", "realtime-gpu.template.json"), cdktest.Template(t, stack))
	})

	t.Run("cpu instances encrypt their volumes with a rotated key", func(t *testing.T) {
		stack := newStack(t, "SageMakerRealtimeCPU")
		e := NewEndpoint(stack, "Inference", &EndpointProps{Image: testImage(stack), Variant: VariantRealtime, InstanceType: "ml.m5.large"})
		tpl := assertions.Template_FromStack(stack, nil)
		tpl.HasResourceProperties(jsii.String("AWS::KMS::Key"), map[string]any{"EnableKeyRotation": true})
		tpl.HasResourceProperties(jsii.String("AWS::SageMaker::EndpointConfig"), map[string]any{
			"KmsKeyId": assertions.Match_AnyValue(),
		})
		if e.EncryptionKey() == nil {
			t.Error("EncryptionKey() = nil, want the created key")
		}
	})
}

func TestAsync(t *testing.T) {
	stack := newStack(t, "SageMakerAsync")
	cdktest.AddNagChecks(stack)
	e := NewEndpoint(stack, "Inference", &EndpointProps{Image: testImage(stack), Variant: VariantAsync, InstanceType: "ml.m5.xlarge"})
	tpl := assertions.Template_FromStack(stack, nil)

	t.Run("results in an encrypted bucket that expires them", func(t *testing.T) {
		tpl.HasResourceProperties(jsii.String("AWS::S3::Bucket"), map[string]any{
			"BucketEncryption": map[string]any{"ServerSideEncryptionConfiguration": []any{match(map[string]any{
				"ServerSideEncryptionByDefault": match(map[string]any{"SSEAlgorithm": "aws:kms"}),
			})}},
			"LifecycleConfiguration": map[string]any{"Rules": assertions.Match_ArrayWith(&[]any{match(map[string]any{
				"ExpirationInDays": 7, "Status": "Enabled",
			})})},
		})
		tpl.HasResourceProperties(jsii.String("AWS::SageMaker::EndpointConfig"), map[string]any{
			"AsyncInferenceConfig": map[string]any{
				"OutputConfig": match(map[string]any{
					"S3OutputPath": assertions.Match_AnyValue(), "S3FailurePath": assertions.Match_AnyValue(),
					"KmsKeyId": assertions.Match_AnyValue(),
				}),
				"ClientConfig": map[string]any{"MaxConcurrentInvocationsPerInstance": 4},
			},
			"KmsKeyId": assertions.Match_AnyValue(),
		})
	})
	t.Run("scales to zero and wakes on backlog", func(t *testing.T) {
		tpl.HasResourceProperties(jsii.String("AWS::ApplicationAutoScaling::ScalableTarget"), map[string]any{
			"MinCapacity": 0, "MaxCapacity": 2,
		})
		tpl.HasResourceProperties(jsii.String("AWS::ApplicationAutoScaling::ScalingPolicy"), map[string]any{
			"TargetTrackingScalingPolicyConfiguration": match(map[string]any{
				"CustomizedMetricSpecification": match(map[string]any{"MetricName": "ApproximateBacklogSizePerInstance"}),
			}),
		})
		tpl.HasResourceProperties(jsii.String("AWS::CloudWatch::Alarm"), map[string]any{
			"MetricName": "HasBacklogWithoutCapacity", "Namespace": "AWS/SageMaker",
		})
		tpl.HasResourceProperties(jsii.String("AWS::SageMaker::EndpointConfig"), map[string]any{
			"ProductionVariants": []any{match(map[string]any{"InitialInstanceCount": 1})},
		})
	})
	t.Run("POST /predict submits through a function", func(t *testing.T) {
		tpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
			"Runtime": "nodejs24.x", "Architectures": []any{"arm64"},
			"Environment": map[string]any{"Variables": match(map[string]any{"ENDPOINT_NAME": e.EndpointName()})},
		})
		tpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Method"), map[string]any{
			"HttpMethod":  "POST",
			"Integration": match(map[string]any{"Type": "AWS_PROXY"}),
		})
		tpl.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
			"PolicyDocument": match(map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{match(map[string]any{
				"Action": "sagemaker:InvokeEndpointAsync",
			})})}),
		})
		tpl.HasResource(jsii.String("AWS::SageMaker::Endpoint"), map[string]any{
			"Metadata": map[string]any{workload.MetadataKey: match(map[string]any{
				"tier": "sagemaker-async", "sagemaker": map[string]any{"instanceType": "ml.m5.xlarge", "maxInstances": 2},
			})},
		})
	})
	t.Run("cdk-nag clean", func(t *testing.T) {
		if f := cdktest.AwsSolutionsFindings(t, stack); len(f) > 0 {
			t.Errorf("%d unsuppressed cdk-nag findings:\n%s", len(f), strings.Join(f, "\n"))
		}
	})
	t.Run("golden", func(t *testing.T) {
		cdktest.Golden(t, filepath.Join("testdata", "async.template.json"), cdktest.Template(t, stack))
	})
}

// fakeImage satisfies Image for validation tests without a stack.
type fakeImage struct{ Image }

func TestEndpointValidation(t *testing.T) {
	img := fakeImage{}
	tests := []struct {
		name  string
		props EndpointProps
		want  []string
	}{
		{"image missing", EndpointProps{}, []string{"Image: is required"}},
		{"variant", EndpointProps{Image: img, Variant: "batch"}, []string{`Variant: "batch" is not one of serverless, realtime, async`}},
		{"serverless memory above 6 GB", EndpointProps{Image: img, MemoryMiB: 12288},
			[]string{"MemoryMiB: 12288 is not a serverless memory size (want 1024 to 6144 in 1024 steps)"}},
		{"serverless memory off the step", EndpointProps{Image: img, MemoryMiB: 1500}, []string{"MemoryMiB: 1500 is not a serverless memory size"}},
		{"serverless concurrency", EndpointProps{Image: img, MaxConcurrency: 500}, []string{"MaxConcurrency: 500 is outside 1 to 200"}},
		{"instance props on serverless", EndpointProps{Image: img, InstanceType: "ml.c5.large"},
			[]string{"InstanceType, MinInstances, MaxInstances: apply to the realtime and async variants only"}},
		{"unknown instance", EndpointProps{Image: img, Variant: VariantRealtime, InstanceType: "ml.x99.huge"},
			[]string{`InstanceType: "ml.x99.huge" is not an instance costguard can price (want one of ml.c5.large, `}},
		{"realtime min zero", EndpointProps{Image: img, Variant: VariantRealtime, MinInstances: -1},
			[]string{"MinInstances: -1 is below 1", "MinInstances: -1 is negative"}},
		{"max below min", EndpointProps{Image: img, Variant: VariantRealtime, MinInstances: 3, MaxInstances: 2},
			[]string{"MaxInstances: 2 is below MinInstances 3"}},
		{"scaling targets", EndpointProps{Image: img, Variant: VariantRealtime, InvocationsPerInstance: -1, BacklogPerInstance: -1, ResultExpirationDays: -1},
			[]string{"InvocationsPerInstance: -1 is below 1", "BacklogPerInstance: -1 is below 1", "ResultExpirationDays: -1 is below 1"}},
		{"max instances", EndpointProps{Image: img, Variant: VariantAsync, MaxInstances: -1}, []string{"MaxInstances: -1 is below 1"}},
		{"async concurrency", EndpointProps{Image: img, Variant: VariantAsync, MaxConcurrentInvocationsPerInstance: 2000},
			[]string{"MaxConcurrentInvocationsPerInstance: 2000 is outside 1 to 1000"}},
		{"serverless props on instances", EndpointProps{Image: img, Variant: VariantAsync, MemoryMiB: 2048},
			[]string{"MemoryMiB, MaxConcurrency: apply to the serverless variant only"}},
		{"reserved environment", EndpointProps{Image: img, Environment: map[string]string{"MODEL_DIR": "/x", "SERVER_MODE": "http"}},
			[]string{"Environment: MODEL_DIR is set by the construct", "Environment: SERVER_MODE is set by the construct"}},
		{"throttles", EndpointProps{Image: img, ThrottleRateLimit: -1, ThrottleBurstLimit: -1},
			[]string{"ThrottleRateLimit: -1 is outside the allowed above 0 to 10000 requests per second", "ThrottleBurstLimit: -1 is outside the allowed 1 to 5000 requests"}},
		{"every problem together", EndpointProps{MemoryMiB: 7000, MaxConcurrency: 201},
			[]string{"Image: is required", "MemoryMiB: 7000", "MaxConcurrency: 201"}},
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
		stack := newStack(t, "SageMakerInvalid")
		e := NewEndpoint(stack, "Inference", &EndpointProps{Image: testImage(stack), MemoryMiB: 12288})
		want := "SageMakerInvalid/Inference: MemoryMiB: 12288 is not a serverless memory size (want 1024 to 6144 in 1024 steps)"
		if got := cdktest.CheckReported(t, e); got != want {
			t.Errorf("Err() = %q, want %q", got, want)
		}
		if e.URL() != nil || e.Endpoint() != nil || e.MetricInvocations() != nil {
			t.Error("a construct with problems returned resources")
		}
	})
}

func TestHasInstanceStore(t *testing.T) {
	for typ, want := range map[string]bool{
		"ml.c5.large": false, "ml.m5.large": false, "ml.t2.medium": false, "ml.m5d.large": true,
		"ml.g4dn.xlarge": true, "ml.g5.xlarge": true, "ml.p3.2xlarge": true, "ml.inf1.xlarge": true,
	} {
		t.Run(typ, func(t *testing.T) {
			if got := hasInstanceStore(typ); got != want {
				t.Errorf("hasInstanceStore(%q) = %v, want %v", typ, got, want)
			}
		})
	}
}

// TestEndpointUpdates checks the template for the two documented update
// rules: the endpoint keeps its variants' instance count and weight across
// endpoint-config updates (RetainAllVariantProperties), and the first step
// of an instance-type change, DeregisterScaling, leaves the variant out of
// Application Auto Scaling (SageMaker refuses to change the instance type
// of a registered variant) while the endpoint itself is kept.
func TestEndpointUpdates(t *testing.T) {
	for _, v := range []Variant{VariantRealtime, VariantAsync} {
		t.Run(string(v), func(t *testing.T) {
			stack := newStack(t, "Updates"+string(v))
			NewEndpoint(stack, "Inference", &EndpointProps{Image: testImage(stack), Variant: v})
			tpl := assertions.Template_FromStack(stack, nil)
			tpl.HasResourceProperties(jsii.String("AWS::SageMaker::Endpoint"), map[string]any{"RetainAllVariantProperties": true})
			tpl.ResourceCountIs(jsii.String("AWS::ApplicationAutoScaling::ScalableTarget"), jsii.Number(1))

			step1 := newStack(t, "Deregistered"+string(v))
			e := NewEndpoint(step1, "Inference", &EndpointProps{Image: testImage(step1), Variant: v, DeregisterScaling: true})
			tpl = assertions.Template_FromStack(step1, nil)
			tpl.ResourceCountIs(jsii.String("AWS::ApplicationAutoScaling::ScalableTarget"), jsii.Number(0))
			tpl.ResourceCountIs(jsii.String("AWS::ApplicationAutoScaling::ScalingPolicy"), jsii.Number(0))
			tpl.HasResourceProperties(jsii.String("AWS::SageMaker::Endpoint"), map[string]any{"RetainAllVariantProperties": true})
			if e.ScalableTarget() != nil {
				t.Error("ScalableTarget() is set with DeregisterScaling")
			}
		})
	}
}
