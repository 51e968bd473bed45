package fargate_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsecs"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/fargate"
	"github.com/costguard-ml/costguard/constructs/service"
	"github.com/costguard-ml/costguard/cost/workload"
)

// A model that needs 6 GB runs on two ARM64 tasks of 1 vCPU and 8 GB,
// scaling to four, behind the same POST /predict as the Lambda tier. The app
// (not the construct) creates the image asset of the model server with its
// model directory (service.ModelServerImage); synth builds the server and
// stages the context, `cdk deploy` builds the image.
func ExampleNewService() {
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("costguard-large-model"), nil)
	image, err := service.ModelServerImage("../../lambda/models/spam") // the directory with manifest.json and model.onnx
	if err != nil {
		panic(err)
	}
	asset, err := image(stack, "ModelServerImage", workload.ArchARM64)
	if err != nil {
		panic(err)
	}
	svc := fargate.NewService(stack, "Inference", &fargate.ServiceProps{
		Image:     awsecs.ContainerImage_FromDockerImageAsset(asset),
		CPU:       1024,
		MemoryMiB: 8192,
		MinTasks:  2,
		MaxTasks:  4,
		Traffic:   workload.Traffic{RequestsPerMonth: 30e6, AvgDurationMs: 120},
	})
	awscdk.NewCfnOutput(stack, jsii.String("ApiUrl"), &awscdk.CfnOutputProps{Value: svc.URL()})
	fmt.Println(svc.Err(), svc.Workload().Tier, svc.NATGateways(), "NAT gateway")
	// Output:
	// <nil> fargate 1 NAT gateway
}
