package sagemakertier_test

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecrassets"
	"github.com/aws/jsii-runtime-go"

	sagemakertier "github.com/costguard-ml/costguard/constructs/sagemaker"
	"github.com/costguard-ml/costguard/cost/workload"
)

// A GPU model runs on one to three ml.g4dn.xlarge instances behind POST
// /predict. SageMaker runs x86_64 instances, so the image is built for
// linux/amd64.
func ExampleNewEndpoint_realtimeGPU() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("costguard-gpu-model"), nil)
	image := awsecrassets.NewDockerImageAsset(stack, jsii.String("ModelServerImage"), &awsecrassets.DockerImageAssetProps{
		Directory: jsii.String("."),
		File:      jsii.String("lambda/Dockerfile"),
		Platform:  awsecrassets.Platform_LINUX_AMD64(),
	})
	endpoint := sagemakertier.NewEndpoint(stack, "Inference", &sagemakertier.EndpointProps{
		Image:        image,
		Variant:      sagemakertier.VariantRealtime,
		InstanceType: "ml.g4dn.xlarge",
		MaxInstances: 3,
		Traffic:      workload.Traffic{RequestsPerMonth: 2e6, AvgDurationMs: 60},
	})
	awscdk.NewCfnOutput(stack, jsii.String("ApiUrl"), &awscdk.CfnOutputProps{Value: endpoint.URL()})
}

// The default is a serverless endpoint: 2 GB, five concurrent requests,
// nothing running when idle.
func ExampleNewEndpoint_serverless() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("costguard-sporadic"), nil)
	image := awsecrassets.NewDockerImageAsset(stack, jsii.String("ModelServerImage"), &awsecrassets.DockerImageAssetProps{
		Directory: jsii.String("."),
		File:      jsii.String("lambda/Dockerfile"),
	})
	sagemakertier.NewEndpoint(stack, "Inference", &sagemakertier.EndpointProps{Image: image})
}
