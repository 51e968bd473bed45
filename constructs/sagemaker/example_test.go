package sagemaker_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecrassets"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/sagemaker"
	"github.com/costguard-ml/costguard/constructs/service"
	"github.com/costguard-ml/costguard/cost/workload"
)

// modelServerImage is the model server with the model in ./model, built
// for linux/amd64 (SageMaker's instances are x86_64).
func modelServerImage(stack awscdk.Stack) awsecrassets.DockerImageAsset {
	image, err := service.ModelServerImage("../../lambda/models/spam")
	if err != nil {
		panic(err)
	}
	asset, err := image(stack, "ModelServerImage", workload.ArchX86_64)
	if err != nil {
		panic(err)
	}
	return asset
}

// A GPU model runs on one to three ml.g4dn.xlarge instances behind POST
// /predict. SageMaker runs x86_64 instances, so the image is built for
// linux/amd64.
func ExampleNewEndpoint_realtimeGPU() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("costguard-gpu-model"), nil)
	image := modelServerImage(stack)
	endpoint := sagemaker.NewEndpoint(stack, "Inference", &sagemaker.EndpointProps{
		Image:        image,
		Variant:      sagemaker.VariantRealtime,
		InstanceType: "ml.g4dn.xlarge",
		MaxInstances: 3,
		Traffic:      workload.Traffic{RequestsPerMonth: 2e6, AvgDurationMs: 60},
	})
	awscdk.NewCfnOutput(stack, jsii.String("ApiUrl"), &awscdk.CfnOutputProps{Value: endpoint.URL()})
	fmt.Println(endpoint.Err(), endpoint.Workload().Tier, endpoint.Workload().SageMaker.InstanceType)
	// Output:
	// <nil> sagemaker-realtime ml.g4dn.xlarge
}

// The default is a serverless endpoint: 2 GB, five concurrent requests,
// nothing running when idle.
func ExampleNewEndpoint_serverless() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("costguard-sporadic"), nil)
	image := modelServerImage(stack)
	endpoint := sagemaker.NewEndpoint(stack, "Inference", &sagemaker.EndpointProps{Image: image})
	fmt.Println(endpoint.Err(), endpoint.Workload().Tier, endpoint.Workload().SageMaker.MemoryMiB, endpoint.KillSwitchTarget() == nil)
	// Output:
	// <nil> sagemaker-serverless 2048 true
}
