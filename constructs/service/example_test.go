package service_test

import (
	"fmt"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/inference"
	"github.com/costguard-ml/costguard/constructs/service"
	"github.com/costguard-ml/costguard/cost/workload"
)

// Your own model, deployed and guarded from your own module: the model
// server's code is built by import path in your module with your model
// directory, the cost guard's kill switch too (its code is left to the
// default). On a container tier, pass service.ModelServerImage(modelDir)
// as ContainerImage instead.
func ExampleNewInferenceService_ownModel() {
	defer jsii.Close()
	app := awscdk.NewApp(nil)
	stack := awscdk.NewStack(app, jsii.String("MyModel"), nil)

	modelDir := "../../lambda/models/spam" // yours: manifest.json + model.onnx
	code, err := inference.ModelServerCode(modelDir, workload.ArchX86_64)
	if err != nil {
		fmt.Println(err)
		return
	}
	svc := service.NewInferenceService(stack, "Inference", &service.InferenceServiceProps{
		Profile:          service.Profile{PeakMemoryMB: 300, P99LatencyMs: 200},
		Traffic:          workload.Traffic{RequestsPerMonth: 100_000, AvgDurationMs: 20},
		MonthlyBudgetUSD: 20,
		Tier:             workload.TierLambda,
		Architecture:     workload.ArchX86_64,
		LambdaCode:       code,
		Guard: &guard.CostGuardProps{
			Stage:            "dev",
			EmailSubscribers: []string{"me@example.com"},
			KillSwitch:       &guard.KillSwitchOptions{Architecture: workload.ArchX86_64},
		},
	})
	if err := svc.Err(); err != nil {
		fmt.Println(err) // one line per problem, naming the field
		return
	}
	fmt.Println(svc.Tier(), svc.CostGuard() != nil)
	// Output: lambda true
}
