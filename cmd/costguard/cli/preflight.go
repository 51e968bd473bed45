package cli

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"

	"github.com/costguard-ml/costguard/cost/assembly"
	"github.com/costguard-ml/costguard/cost/limits"
)

func init() {
	Register(Command{
		Name:    "preflight",
		Summary: "check a synthesized stage against the account's Lambda concurrency before deploying it",
		Usage:   "costguard preflight --stage NAME [CDK_OUT] [--region REGION] [--profile PROFILE]",
		Run:     runPreflight,
	})
}

func runPreflight(env Env, args []string) error {
	f := NewFlags("preflight", "costguard preflight --stage NAME [CDK_OUT] [flags]\n\n"+
		"Reads the stage's synthesized template (default cdk.out/costguard-NAME.template.json)\n"+
		"and the account's Lambda settings (GetAccountSettings, with your AWS\n"+
		"credentials; needs lambda:GetAccountSettings) and says what the deployment\n"+
		"would fail on: reserved concurrency that would leave the account less\n"+
		"unreserved concurrency than Lambda keeps (100, or the whole quota of a new\n"+
		"account whose quota is 10). Exit 1 when something would fail.")
	stage := f.String("stage", "", "stage to check (dev, staging, prod)")
	region := f.String("region", "", "AWS region of the stage (default: the SDK's usual lookup)")
	profile := f.String("profile", "", "AWS shared-config profile (default: the SDK's usual lookup)")
	f.Require("stage")
	if err := f.Parse(args); err != nil {
		return err
	}
	if !stageName.MatchString(*stage) {
		return Usagef("--stage: %q is not a stage name (lower-case letters, digits and dashes)", *stage)
	}
	dir := "cdk.out"
	switch len(f.Args()) {
	case 0:
	case 1:
		dir = f.Args()[0]
	default:
		return Usagef("unexpected argument %q (one assembly at most)", f.Args()[1])
	}
	st, err := assembly.ReadTemplate(filepath.Join(dir, "costguard-"+*stage+".template.json"))
	if err != nil {
		return Usagef("%v (run cdk synth -c stage=%s first)", err, *stage)
	}
	reserved := 0
	for _, id := range st.Template.LogicalIDs() {
		r := st.Template.Resources[id]
		if n, ok := r.Properties["ReservedConcurrentExecutions"].(float64); ok && r.Type == "AWS::Lambda::Function" {
			reserved += int(n)
		}
	}
	ctx := context.Background()
	cfg, err := awsConfig(ctx, *region, *profile)
	if err != nil {
		return err
	}
	out, err := lambda.NewFromConfig(cfg).GetAccountSettings(ctx, &lambda.GetAccountSettingsInput{})
	if err != nil {
		return fmt.Errorf("read the account's Lambda settings: %w", err)
	}
	limit, unreserved := int(out.AccountLimit.ConcurrentExecutions), int(aws.ToInt32(out.AccountLimit.UnreservedConcurrentExecutions))
	floor := limits.LambdaUnreservedFloor(limit)
	fmt.Fprintf(env.Stdout, "stage %s: its functions reserve %d concurrent executions; the account (%s) allows %d, %d unreserved now, %d must stay unreserved\n",
		*stage, reserved, cfg.Region, limit, unreserved, floor)
	if left := unreserved - reserved; reserved > 0 && left < floor {
		return fmt.Errorf("stage %s would fail to deploy: reserving %d leaves %d unreserved, below Lambda's minimum of %d "+
			"(if the stage is deployed already, its reservations are counted in the %d); request a higher \"Concurrent executions\" quota "+
			"in Service Quotas, or lower the stage's reservedConcurrency", *stage, reserved, left, floor, unreserved)
	}
	fmt.Fprintf(env.Stdout, "stage %s: ok\n", *stage)
	return nil
}
