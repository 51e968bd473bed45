package inference_test

import (
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/inference"
	"github.com/costguard-ml/costguard/cost/sizing"
	"github.com/costguard-ml/costguard/cost/workload"
)

// A model server behind the default REST API: arm64, memory given, the
// timeout right-sized from a measured latency profile, provisioned
// concurrency on business days, and an alarm on throttled requests.
func ExampleNewLambdaAPI() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("Inference"), nil)

	api := inference.NewLambdaAPI(stack, "Spam", &inference.LambdaAPIProps{
		// A directory holding bootstrap and model/ (ModelServerCode builds
		// one reproducibly from a model directory).
		Code:      awslambda.Code_FromAsset(jsii.String("testdata/asset"), nil),
		MemoryMiB: 1024,
		LatencyProfile: &sizing.LatencyProfile{
			P99:  300 * time.Millisecond,
			Init: 600 * time.Millisecond,
		},
		ReservedConcurrency:    20,
		ProvisionedConcurrency: 2,
		ProvisionedSchedule: &inference.Schedule{
			StartHour: 8, EndHour: 18, TimeZone: "Europe/Paris",
		},
		Traffic: workload.Traffic{RequestsPerMonth: 2e6, AvgDurationMs: 35},
	})

	api.MetricThrottles(nil).CreateAlarm(stack, jsii.String("Throttled"), &awscloudwatch.CreateAlarmOptions{
		Threshold:         jsii.Number(1),
		EvaluationPeriods: jsii.Number(1),
	})
	awscdk.NewCfnOutput(stack, jsii.String("Url"), &awscdk.CfnOutputProps{Value: api.URL()})
	app.Synth(nil)
	fmt.Println(api.Err(), api.GuardTier().Timeout, len(api.GuardTier().Alarms), "alarms for the guard")
	// Output:
	// <nil> 2s 6 alarms for the guard
}

// Your own model behind the Lambda tier. ModelServerCode checks the model
// directory now and packages costguard's model server with it, built by
// import path in the module the app runs in; the function's architecture
// is the code's.
func ExampleModelServerCode() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("MyModel"), nil)

	// The directory holding manifest.json and model.onnx (`costguard model
	// init` writes one), relative to where `cdk` runs the app.
	code, err := inference.ModelServerCode("../../lambda/models/spam", workload.ArchX86_64)
	if err != nil {
		fmt.Println(err)
		return
	}
	inference.NewLambdaAPI(stack, "Api", &inference.LambdaAPIProps{
		Code:         code,
		Architecture: workload.ArchX86_64,
		Traffic:      workload.Traffic{RequestsPerMonth: 1e6, AvgDurationMs: 20},
	})

	// A directory that is not a model fails synth in one line.
	_, err = inference.ModelServerCode("no-such-model", workload.ArchX86_64)
	fmt.Println(err)
	// Output:
	// modelDir: "no-such-model" is not a directory (want one that holds manifest.json and the ONNX file it names)
}
