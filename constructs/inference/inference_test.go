package inference

import (
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/costguard-ml/costguard/cost/sizing"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cdktest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	cdktest.RemoveSharedDir()
	os.Exit(code)
}

// memoryProfile is a measured duration-by-memory profile for the
// memory-sizing scenario.
var memoryProfile = sizing.Profile{Format: sizing.FormatMap, Points: []sizing.Point{
	{MemoryMiB: 512, AvgDurationMs: 400}, {MemoryMiB: 1024, AvgDurationMs: 190},
	{MemoryMiB: 2048, AvgDurationMs: 100}, {MemoryMiB: 3008, AvgDurationMs: 95},
}}

// scenarios are the configurations under test, one stack each in one app
// (synthesized once, with cdk-nag applied).
var scenarios = map[string]func() *LambdaAPIProps{
	"defaults": func() *LambdaAPIProps { return &LambdaAPIProps{Code: newTestCode()} },
	"options": func() *LambdaAPIProps {
		return &LambdaAPIProps{
			Code: newTestCode(), Architecture: workload.ArchX86_64, MemoryMiB: 2048, Timeout: 20 * time.Second,
			EphemeralStorageMiB: 1024, ReservedConcurrency: 20, StageName: "prod", ThrottleRateLimit: 5, ThrottleBurstLimit: 7,
			MonthlyQuota: 5000, MaxBatchSize: 8, MaxInstanceLength: 100, Cors: &Cors{AllowOrigins: []string{"https://app.example.com"}},
			LogRetention: awslogs.RetentionDays_ONE_WEEK, LogRemovalPolicy: awscdk.RemovalPolicy_DESTROY, LogLevel: "debug", LogFormat: "text",
			Tracing: true, Environment: map[string]string{"ENGINE": "gonnx"}, Description: "spam classifier",
			Traffic: workload.Traffic{RequestsPerMonth: 1000, AvgDurationMs: 20},
		}
	},
	"http": func() *LambdaAPIProps {
		return &LambdaAPIProps{Code: newTestCode(), FrontDoor: workload.FrontDoorHTTP, Cors: &Cors{AllowOrigins: []string{"*"}}, Tracing: true}
	},
	"provisioned": func() *LambdaAPIProps { return &LambdaAPIProps{Code: newTestCode(), ProvisionedConcurrency: 3} },
	"autoscaled": func() *LambdaAPIProps {
		return &LambdaAPIProps{Code: newTestCode(), ProvisionedConcurrency: 2, ProvisionedMaxConcurrency: 8, ProvisionedUtilizationTarget: 0.6}
	},
	"scheduled": func() *LambdaAPIProps {
		return &LambdaAPIProps{Code: newTestCode(), ProvisionedConcurrency: 2,
			ProvisionedSchedule: &Schedule{StartHour: 9, EndHour: 17, TimeZone: "Europe/Berlin"}}
	},
	"sized": func() *LambdaAPIProps {
		return &LambdaAPIProps{Code: newTestCode(), MemoryProfile: &memoryProfile, MemoryStrategy: sizing.StrategyCost,
			LatencyProfile: &sizing.LatencyProfile{P99: 2 * time.Second, Init: 700 * time.Millisecond}}
	},
	"unreserved": func() *LambdaAPIProps { return &LambdaAPIProps{Code: newTestCode(), Unreserved: true} },
	"long": func() *LambdaAPIProps {
		return &LambdaAPIProps{Code: newTestCode(), IntegrationTimeout: 60 * time.Second, Timeout: 55 * time.Second, CloudWatchRole: true}
	},
}

var (
	fixtureOnce sync.Once
	fixture     map[string]*LambdaAPI
)

func built(t *testing.T, name string) (*LambdaAPI, assertions.Template) {
	t.Helper()
	fixtureOnce.Do(func() {
		app := cdktest.NewAppIn(t, cdktest.SharedDir(t), nil)
		fixture = map[string]*LambdaAPI{}
		for n, props := range scenarios {
			stack := awscdk.NewStack(app, jsii.String(n), nil)
			fixture[n] = NewLambdaAPI(stack, "Api", props())
		}
		awscdk.Aspects_Of(app).Add(cdknag.NewAwsSolutionsChecks(nil), nil)
	})
	a := fixture[name]
	return a, assertions.Template_FromStack(awscdk.Stack_Of(a), nil)
}

func only(t *testing.T, tmpl assertions.Template, typ string) map[string]any {
	t.Helper()
	res := *tmpl.FindResources(jsii.String(typ), nil)
	if len(res) != 1 {
		t.Fatalf("%d resources of type %s, want 1", len(res), typ)
	}
	for _, r := range res {
		return *r
	}
	return nil
}

func TestDefaults(t *testing.T) {
	a, tmpl := built(t, "defaults")

	// The function: arm64 provided.al2023 with the defaults.
	tmpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"Runtime":                      "provided.al2023",
		"Handler":                      "bootstrap",
		"Architectures":                []any{"arm64"},
		"MemorySize":                   DefaultMemoryMiB,
		"Timeout":                      DefaultTimeout.Seconds(),
		"EphemeralStorage":             map[string]any{"Size": 512},
		"ReservedConcurrentExecutions": DefaultReservedConcurrency,
		"Environment": map[string]any{"Variables": map[string]any{
			"MODEL_DIR": ModelDir, "LOG_LEVEL": "info", "LOG_FORMAT": "json", "MAX_INSTANCES": "32",
		}},
		"LoggingConfig": map[string]any{"LogGroup": assertions.Match_AnyValue()},
		"TracingConfig": assertions.Match_Absent(),
	})
	// Both log groups have a finite retention.
	tmpl.ResourceCountIs(jsii.String("AWS::Logs::LogGroup"), jsii.Number(2))
	tmpl.AllResourcesProperties(jsii.String("AWS::Logs::LogGroup"), map[string]any{"RetentionInDays": 30})
	tmpl.AllResources(jsii.String("AWS::Logs::LogGroup"), map[string]any{"DeletionPolicy": "Retain"})
	// No managed policy: an inline policy writes to the function's log group only.
	tmpl.HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]any{"ManagedPolicyArns": assertions.Match_Absent()})
	tmpl.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": []any{map[string]any{
			"Action":   []any{"logs:CreateLogStream", "logs:PutLogEvents"},
			"Effect":   "Allow",
			"Resource": map[string]any{"Fn::GetAtt": []any{logicalID(a.FunctionLogGroup()), "Arn"}},
		}}},
	})
	// The alias "live" without provisioned concurrency, and no scaling.
	tmpl.HasResourceProperties(jsii.String("AWS::Lambda::Alias"), map[string]any{"Name": "live", "ProvisionedConcurrencyConfig": assertions.Match_Absent()})
	tmpl.ResourceCountIs(jsii.String("AWS::ApplicationAutoScaling::ScalableTarget"), jsii.Number(0))

	// The REST API: regional, stage v1 throttled, JSON access log.
	tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::RestApi"), map[string]any{
		"EndpointConfiguration": map[string]any{"Types": []any{"REGIONAL"}},
		"ApiKeySourceType":      "HEADER",
	})
	stage := only(t, tmpl, "AWS::ApiGateway::Stage")["Properties"].(map[string]any)
	if stage["StageName"] != DefaultStageName || stage["TracingEnabled"] != false {
		t.Errorf("stage = %v, want v1 without tracing", stage)
	}
	tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Stage"), map[string]any{
		"MethodSettings": []any{map[string]any{
			"HttpMethod": "*", "ResourcePath": "/*", "DataTraceEnabled": false,
			"ThrottlingRateLimit": DefaultThrottleRateLimit, "ThrottlingBurstLimit": DefaultThrottleBurstLimit,
		}},
	})
	// The format is JSON once API Gateway substitutes the variables (a
	// ...String variable arrives quoted and escaped).
	format := stage["AccessLogSetting"].(map[string]any)["Format"].(string)
	sample := strings.ReplaceAll(format, "$context.error.messageString", `"Invalid request body"`)
	var fields map[string]string
	if err := json.Unmarshal([]byte(sample), &fields); err != nil {
		t.Fatalf("access log format %q is not JSON: %v", format, err)
	}
	if fields["requestId"] != "$context.requestId" || fields["status"] != "$context.status" || fields["apiKeyId"] != "$context.identity.apiKeyId" || fields["errorMessage"] != "Invalid request body" {
		t.Errorf("access log fields = %v", fields)
	}
	// Usage plan with a monthly quota, throttling and an API key.
	tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::UsagePlan"), map[string]any{
		"Quota":    map[string]any{"Limit": DefaultMonthlyQuota, "Period": "MONTH"},
		"Throttle": map[string]any{"RateLimit": DefaultThrottleRateLimit, "BurstLimit": DefaultThrottleBurstLimit},
	})
	tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::ApiKey"), jsii.Number(1))
	tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::UsagePlanKey"), jsii.Number(1))
	// Routes: POST /predict (API key, validated JSON body), GET /health; no CORS.
	tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Resource"), map[string]any{"PathPart": "predict"})
	tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Resource"), map[string]any{"PathPart": "health"})
	tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::Method"), jsii.Number(2))
	aliasRef := map[string]any{"Ref": logicalID(a.Alias())}
	tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Method"), map[string]any{
		"HttpMethod": "POST", "ApiKeyRequired": true, "AuthorizationType": "NONE",
		"RequestValidatorId": assertions.Match_AnyValue(),
		"RequestModels":      map[string]any{"application/json": map[string]any{"Ref": logicalID(a.requestModel)}},
		"Integration": assertions.Match_ObjectLike(&map[string]any{
			"Type": "AWS_PROXY",
			"Uri":  map[string]any{"Fn::Join": []any{"", assertions.Match_ArrayWith(&[]any{aliasRef})}},
		}),
	})
	tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Method"), map[string]any{
		"HttpMethod": "GET", "ApiKeyRequired": true,
		"Integration": assertions.Match_ObjectLike(&map[string]any{
			"Uri": map[string]any{"Fn::Join": []any{"", assertions.Match_ArrayWith(&[]any{aliasRef})}},
		}),
	})
	// The API may invoke the alias only, for each route.
	tmpl.ResourceCountIs(jsii.String("AWS::Lambda::Permission"), jsii.Number(2))
	tmpl.AllResourcesProperties(jsii.String("AWS::Lambda::Permission"), map[string]any{"FunctionName": aliasRef})
	tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::RequestValidator"), map[string]any{"ValidateRequestBody": true, "ValidateRequestParameters": true})
	tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Model"), map[string]any{
		"ContentType": "application/json",
		"Schema": assertions.Match_ObjectLike(&map[string]any{
			"required":             []any{"instances"},
			"additionalProperties": false,
			"properties": map[string]any{"instances": assertions.Match_ObjectLike(&map[string]any{
				"type": "array", "minItems": 1, "maxItems": DefaultMaxBatchSize,
			})},
		}),
	})

	// The construct adds no stack output; the stack chooses its own.
	if outputs := *tmpl.FindOutputs(jsii.String("*"), nil); len(outputs) != 0 {
		t.Errorf("outputs = %v, want none", outputs)
	}

	// The cost record.
	w := workloadOf(t, tmpl)
	want := workload.Workload{Version: workload.SchemaVersion, Tier: workload.TierLambda, FrontDoor: workload.FrontDoorREST,
		Lambda: &workload.Lambda{MemoryMiB: DefaultMemoryMiB, Architecture: workload.ArchARM64, EphemeralStorageMiB: 512, ReservedConcurrency: DefaultReservedConcurrency}}
	if g, _ := json.Marshal(w); string(g) != string(mustJSON(want)) {
		t.Errorf("workload = %s, want %s", g, mustJSON(want))
	}

	// Accessors: REST sub-resources present, HTTP ones nil.
	if a.RestAPI() == nil || a.RestStage() == nil || a.UsagePlan() == nil || a.APIKey() == nil || a.HTTPAPI() != nil || a.HTTPStage() != nil || a.ProvisionedScaling() != nil {
		t.Error("accessors do not match the REST front door")
	}
	if a.URL() == nil || a.FrontDoor() != workload.FrontDoorREST {
		t.Error("URL or FrontDoor missing")
	}
}

func TestOptions(t *testing.T) {
	_, tmpl := built(t, "options")
	tmpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{
		"Architectures":                []any{"x86_64"},
		"MemorySize":                   2048,
		"Timeout":                      20,
		"EphemeralStorage":             map[string]any{"Size": 1024},
		"ReservedConcurrentExecutions": 20,
		"TracingConfig":                map[string]any{"Mode": "Active"},
		"Description":                  "spam classifier",
		"Environment": map[string]any{"Variables": map[string]any{
			"MODEL_DIR": ModelDir, "LOG_LEVEL": "debug", "LOG_FORMAT": "text", "MAX_INSTANCES": "8", "ENGINE": "gonnx",
		}},
	})
	tmpl.AllResourcesProperties(jsii.String("AWS::Logs::LogGroup"), map[string]any{"RetentionInDays": 7})
	tmpl.AllResources(jsii.String("AWS::Logs::LogGroup"), map[string]any{"DeletionPolicy": "Delete"})
	tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Stage"), map[string]any{
		"StageName": "prod", "TracingEnabled": true,
		"MethodSettings": []any{assertions.Match_ObjectLike(&map[string]any{"ThrottlingRateLimit": 5, "ThrottlingBurstLimit": 7})},
	})
	tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::UsagePlan"), map[string]any{"Quota": map[string]any{"Limit": 5000, "Period": "MONTH"}})
	// CORS adds OPTIONS preflights on the root and both routes.
	tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::Method"), jsii.Number(5))
	tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Method"), map[string]any{
		"HttpMethod": "OPTIONS",
		"Integration": assertions.Match_ObjectLike(&map[string]any{"IntegrationResponses": []any{assertions.Match_ObjectLike(&map[string]any{
			"ResponseParameters": assertions.Match_ObjectLike(&map[string]any{"method.response.header.Access-Control-Allow-Origin": "'https://app.example.com'"}),
		})}}),
	})
	tmpl.HasResourceProperties(jsii.String("AWS::ApiGateway::Model"), map[string]any{
		"Schema": assertions.Match_ObjectLike(&map[string]any{"properties": map[string]any{"instances": assertions.Match_ObjectLike(&map[string]any{
			"maxItems": 8,
			"items": map[string]any{"oneOf": []any{
				map[string]any{"type": "string", "minLength": 1, "maxLength": 100},
				map[string]any{"type": "array", "minItems": 1, "maxItems": 100, "items": map[string]any{"type": "number"}},
			}},
		})}}),
	})
	// X-Ray needs a wildcard resource, suppressed next to the role.
	tmpl.HasResourceProperties(jsii.String("AWS::IAM::Policy"), map[string]any{
		"PolicyDocument": map[string]any{"Statement": assertions.Match_ArrayWith(&[]any{assertions.Match_ObjectLike(&map[string]any{
			"Action": []any{"xray:PutTelemetryRecords", "xray:PutTraceSegments"}, "Resource": "*",
		})})},
	})
	if w := workloadOf(t, tmpl); w.Lambda.Architecture != workload.ArchX86_64 || w.Traffic.RequestsPerMonth != 1000 || w.Lambda.ReservedConcurrency != 20 {
		t.Errorf("workload = %+v", w)
	}
}

func TestHTTPFrontDoor(t *testing.T) {
	a, tmpl := built(t, "http")
	tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::RestApi"), jsii.Number(0))
	tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::UsagePlan"), jsii.Number(0))
	tmpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Api"), map[string]any{
		"ProtocolType":      "HTTP",
		"CorsConfiguration": assertions.Match_ObjectLike(&map[string]any{"AllowOrigins": []any{"*"}}),
	})
	tmpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Stage"), map[string]any{
		"StageName":            DefaultStageName,
		"AutoDeploy":           true,
		"DefaultRouteSettings": map[string]any{"ThrottlingRateLimit": DefaultThrottleRateLimit, "ThrottlingBurstLimit": DefaultThrottleBurstLimit},
		"AccessLogSettings":    map[string]any{"DestinationArn": assertions.Match_AnyValue(), "Format": assertions.Match_StringLikeRegexp(jsii.String(`"routeKey":"\$context.routeKey"`))},
	})
	for _, route := range []string{"POST /predict", "GET /health"} {
		tmpl.HasResourceProperties(jsii.String("AWS::ApiGatewayV2::Route"), map[string]any{"RouteKey": route})
	}
	tmpl.AllResourcesProperties(jsii.String("AWS::ApiGatewayV2::Integration"), map[string]any{
		"IntegrationType": "AWS_PROXY", "PayloadFormatVersion": "2.0",
		"IntegrationUri": map[string]any{"Ref": logicalID(a.Alias())},
	})
	tmpl.AllResourcesProperties(jsii.String("AWS::Lambda::Permission"), map[string]any{"FunctionName": map[string]any{"Ref": logicalID(a.Alias())}})
	// The HTTP API's limit is 30 s; the default timeout stays 10 s.
	tmpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{"Timeout": 10, "TracingConfig": map[string]any{"Mode": "Active"}})
	if w := workloadOf(t, tmpl); w.FrontDoor != workload.FrontDoorHTTP {
		t.Errorf("workload front door = %s, want http", w.FrontDoor)
	}
	if a.HTTPAPI() == nil || a.HTTPStage() == nil || a.RestAPI() != nil || a.UsagePlan() != nil || a.APIKey() != nil || a.RequestModel() != nil {
		t.Error("accessors do not match the HTTP front door")
	}
}

func TestProvisionedConcurrency(t *testing.T) {
	tests := []struct {
		scenario      string
		aliasPC       any
		minCap        any // nil: no scalable target
		maxCap        any
		target        any // nil: no target-tracking policy
		actions       int
		hoursPerMonth float64
	}{
		{scenario: "provisioned", aliasPC: map[string]any{"ProvisionedConcurrentExecutions": 3}, hoursPerMonth: HoursPerMonth},
		{scenario: "autoscaled", aliasPC: map[string]any{"ProvisionedConcurrentExecutions": 2}, minCap: 2, maxCap: 8, target: 0.6, hoursPerMonth: HoursPerMonth},
		// 8 hours × 5 days × 365/7/12 weeks a month.
		{scenario: "scheduled", aliasPC: assertions.Match_Absent(), minCap: 0, maxCap: 2, actions: 2, hoursPerMonth: 173.81},
	}
	for _, tc := range tests {
		t.Run(tc.scenario, func(t *testing.T) {
			_, tmpl := built(t, tc.scenario)
			tmpl.HasResourceProperties(jsii.String("AWS::Lambda::Alias"), map[string]any{"Name": AliasName, "ProvisionedConcurrencyConfig": tc.aliasPC})
			if tc.minCap == nil {
				tmpl.ResourceCountIs(jsii.String("AWS::ApplicationAutoScaling::ScalableTarget"), jsii.Number(0))
			} else {
				tmpl.HasResourceProperties(jsii.String("AWS::ApplicationAutoScaling::ScalableTarget"), map[string]any{
					"MinCapacity": tc.minCap, "MaxCapacity": tc.maxCap,
					"ScalableDimension": "lambda:function:ProvisionedConcurrency",
					"ServiceNamespace":  "lambda",
				})
			}
			if tc.target == nil {
				tmpl.ResourceCountIs(jsii.String("AWS::ApplicationAutoScaling::ScalingPolicy"), jsii.Number(0))
			} else {
				tmpl.HasResourceProperties(jsii.String("AWS::ApplicationAutoScaling::ScalingPolicy"), map[string]any{
					"PolicyType": "TargetTrackingScaling",
					"TargetTrackingScalingPolicyConfiguration": map[string]any{
						"PredefinedMetricSpecification": map[string]any{"PredefinedMetricType": "LambdaProvisionedConcurrencyUtilization"},
						"TargetValue":                   tc.target,
					},
				})
			}
			if tc.actions > 0 {
				tmpl.HasResourceProperties(jsii.String("AWS::ApplicationAutoScaling::ScalableTarget"), map[string]any{
					"ScheduledActions": []any{
						map[string]any{"ScheduledActionName": assertions.Match_StringLikeRegexp(jsii.String("WindowOpens")), "Schedule": "cron(0 9 ? * MON,TUE,WED,THU,FRI *)", "Timezone": "Europe/Berlin",
							"ScalableTargetAction": map[string]any{"MinCapacity": 2, "MaxCapacity": 2}},
						map[string]any{"ScheduledActionName": assertions.Match_StringLikeRegexp(jsii.String("WindowCloses")), "Schedule": "cron(0 17 ? * MON,TUE,WED,THU,FRI *)", "Timezone": "Europe/Berlin",
							"ScalableTargetAction": map[string]any{"MinCapacity": 0, "MaxCapacity": 0}},
					},
				})
			}
			if got := workloadOf(t, tmpl).Lambda.ProvisionedHoursPerMonth; got != tc.hoursPerMonth {
				t.Errorf("ProvisionedHoursPerMonth = %g, want %g", got, tc.hoursPerMonth)
			}
		})
	}
}

func TestSizing(t *testing.T) {
	_, tmpl := built(t, "sized")
	// Cost per invocation in GB-s: 512 MB 0.200, 1024 MB 0.190, 2048 MB
	// 0.200, 3008 MB 0.279, so the cost strategy picks 1024 MB.
	// (2 s + 0.7 s) × 1.5 = 4.05 s, rounded up to 5 s.
	tmpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{"MemorySize": 1024, "Timeout": 5})
}

func TestUnreserved(t *testing.T) {
	_, tmpl := built(t, "unreserved")
	tmpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{"ReservedConcurrentExecutions": assertions.Match_Absent()})
	if w := workloadOf(t, tmpl); w.Lambda.ReservedConcurrency != 0 {
		t.Errorf("workload reserved = %d, want 0", w.Lambda.ReservedConcurrency)
	}
}

func TestRaisedIntegrationTimeout(t *testing.T) {
	_, tmpl := built(t, "long")
	tmpl.HasResourceProperties(jsii.String("AWS::Lambda::Function"), map[string]any{"Timeout": 55})
	tmpl.AllResourcesProperties(jsii.String("AWS::ApiGateway::Method"), map[string]any{
		"Integration": assertions.Match_ObjectLike(&map[string]any{"TimeoutInMillis": 60000}),
	})
	// The default leaves the integration at API Gateway's 29 s.
	_, def := built(t, "defaults")
	def.AllResourcesProperties(jsii.String("AWS::ApiGateway::Method"), map[string]any{
		"Integration": assertions.Match_ObjectLike(&map[string]any{"TimeoutInMillis": assertions.Match_Absent()}),
	})
}

func TestCloudWatchRole(t *testing.T) {
	_, tmpl := built(t, "long")
	tmpl.ResourceCountIs(jsii.String("AWS::ApiGateway::Account"), jsii.Number(1))
	tmpl.HasResourceProperties(jsii.String("AWS::IAM::Role"), map[string]any{
		"AssumeRolePolicyDocument": assertions.Match_ObjectLike(&map[string]any{"Statement": []any{assertions.Match_ObjectLike(&map[string]any{
			"Principal": map[string]any{"Service": "apigateway.amazonaws.com"},
		})}}),
	})
	_, def := built(t, "defaults")
	def.ResourceCountIs(jsii.String("AWS::ApiGateway::Account"), jsii.Number(0))
}

func TestNoUnsuppressedNagFindings(t *testing.T) {
	for name := range scenarios {
		t.Run(name, func(t *testing.T) {
			a, _ := built(t, name)
			for _, f := range cdktest.NagFindings(t, awscdk.Stack_Of(a), "AwsSolutions-") {
				t.Errorf("unsuppressed cdk-nag finding: %s", f)
			}
		})
	}
}

func TestMetrics(t *testing.T) {
	rest, _ := built(t, "defaults")
	http, _ := built(t, "http")
	tests := []struct {
		name, namespace, metric, statistic string
		m                                  awscloudwatch.Metric
	}{
		{"invocations", "AWS/Lambda", "Invocations", "Sum", rest.MetricInvocations(nil)},
		{"errors", "AWS/Lambda", "Errors", "Sum", rest.MetricErrors(nil)},
		{"throttles", "AWS/Lambda", "Throttles", "Sum", rest.MetricThrottles(nil)},
		{"duration", "AWS/Lambda", "Duration", "Average", rest.MetricDuration(nil)},
		{"concurrency", "AWS/Lambda", "ConcurrentExecutions", "Maximum", rest.MetricConcurrentExecutions(nil)},
		{"pc utilization", "AWS/Lambda", "ProvisionedConcurrencyUtilization", "Maximum", rest.MetricProvisionedConcurrencyUtilization(nil)},
		{"pc spillover", "AWS/Lambda", "ProvisionedConcurrencySpilloverInvocations", "Sum", rest.MetricProvisionedConcurrencySpilloverInvocations(nil)},
		{"override statistic", "AWS/Lambda", "ConcurrentExecutions", "Average", rest.MetricConcurrentExecutions(&awscloudwatch.MetricOptions{Statistic: jsii.String("Average")})},
		{"rest requests", "AWS/ApiGateway", "Count", "Sum", rest.MetricAPIRequests(nil)},
		{"rest 4xx", "AWS/ApiGateway", "4XXError", "Sum", rest.MetricAPIClientErrors(nil)},
		{"rest 5xx", "AWS/ApiGateway", "5XXError", "Sum", rest.MetricAPIServerErrors(nil)},
		{"rest latency", "AWS/ApiGateway", "Latency", "Average", rest.MetricAPILatency(nil)},
		{"http requests", "AWS/ApiGateway", "Count", "Sum", http.MetricAPIRequests(nil)},
		{"http 4xx", "AWS/ApiGateway", "4xx", "Sum", http.MetricAPIClientErrors(nil)},
		{"http 5xx", "AWS/ApiGateway", "5xx", "Sum", http.MetricAPIServerErrors(nil)},
		{"http latency", "AWS/ApiGateway", "Latency", "Average", http.MetricAPILatency(nil)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := *tc.m.Namespace(); got != tc.namespace {
				t.Errorf("namespace = %s, want %s", got, tc.namespace)
			}
			if got := *tc.m.MetricName(); got != tc.metric {
				t.Errorf("metric = %s, want %s", got, tc.metric)
			}
			if got := *tc.m.Statistic(); got != tc.statistic {
				t.Errorf("statistic = %s, want %s", got, tc.statistic)
			}
		})
	}
}

// TestInitDurationMetric checks that the function's REPORT lines' Init
// Duration is published as one metric by a filter per log format, on the
// function's log group, and that the guard tier prices it.
func TestInitDurationMetric(t *testing.T) {
	a, tmpl := built(t, "defaults")
	tmpl.ResourceCountIs(jsii.String("AWS::Logs::MetricFilter"), jsii.Number(2))
	ns := *a.MetricInitDuration(nil).Namespace()
	if !strings.HasPrefix(ns, InitDurationNamespace) {
		t.Errorf("namespace %q", ns)
	}
	for pattern, value := range map[string]string{initDurationTextPattern: "$initDuration", initDurationJSONPattern: "$.record.metrics.initDurationMs"} {
		tmpl.HasResourceProperties(jsii.String("AWS::Logs::MetricFilter"), map[string]any{
			"FilterPattern": pattern,
			"LogGroupName":  map[string]any{"Ref": assertions.Match_StringLikeRegexp(jsii.String("FunctionLogs"))},
			"MetricTransformations": []any{map[string]any{
				"MetricName": InitDurationMetricName, "MetricNamespace": ns, "MetricValue": value, "Unit": "Milliseconds",
			}},
		})
	}
	// The 22nd field of a cold start's REPORT line is its Init Duration.
	line := "REPORT RequestId: 8f5c3b0e-1111-2222-3333-444455556666 Duration: 38.02 ms Billed Duration: 639 ms Memory Size: 512 MB Max Memory Used: 61 MB Init Duration: 600.12 ms"
	fields := strings.Fields(strings.Trim(initDurationTextPattern, "[]"))
	words := strings.Fields(line)
	if len(words) != len(fields)-1 || !strings.HasPrefix(fields[21], "initDuration,") || words[21] != "600.12" || words[19] != "Init" {
		t.Errorf("pattern fields %q do not line up with %q", fields, words)
	}
	tier := a.GuardTier()
	if tier.SpendMetrics["init"] == nil || tier.CustomMetrics != 1 {
		t.Errorf("guard tier: init metric %v, custom metrics %d", tier.SpendMetrics["init"], tier.CustomMetrics)
	}
}

func workloadOf(t *testing.T, tmpl assertions.Template) workload.Workload {
	t.Helper()
	fn := only(t, tmpl, "AWS::Lambda::Function")
	w, err := workload.Parse(fn["Metadata"].(map[string]any)[workload.MetadataKey])
	if err != nil {
		t.Fatalf("workload metadata: %v", err)
	}
	return w
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// logicalID returns the logical id of a construct's CloudFormation resource.
func logicalID(c constructs.IConstruct) string {
	return *awscdk.Stack_Of(c).GetLogicalId(c.Node().DefaultChild().(awscdk.CfnElement))
}
