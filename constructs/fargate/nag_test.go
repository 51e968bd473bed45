package fargatetier

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/costguard-ml/costguard/internal/cdktest"
)

// addNag applies cdk-nag's AWS Solutions rules to stack; call before the
// stack is synthesized.
func addNag(stack awscdk.Stack) {
	awscdk.Aspects_Of(stack).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
}

// nagFindings returns every unsuppressed cdk-nag error and warning on
// stack. cdk-nag fails synthesis when errors remain; that failure comes
// back as one finding holding the validation report, so callers see the
// rule ids.
func nagFindings(t *testing.T, stack awscdk.Stack) (out []string) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			msg := fmt.Sprint(r)
			if i := strings.Index(msg, "found in: "); i >= 0 {
				if b, err := os.ReadFile(strings.TrimSpace(msg[i+len("found in: "):])); err == nil {
					msg += "\n" + string(b)
				}
			}
			out = append(out, msg)
		}
	}()
	return cdktest.NagFindings(t, stack, "AwsSolutions-")
}

// TestNagHarnessFindsProblems proves nagFindings reports an unsuppressed
// finding, so a clean result above means something.
func TestNagHarnessFindsProblems(t *testing.T) {
	stack := newStack(t, "NagHarness")
	addNag(stack)
	awsec2.NewVpc(stack, jsii.String("Bare"), &awsec2.VpcProps{MaxAzs: jsii.Number(1), NatGateways: jsii.Number(0)})
	f := nagFindings(t, stack)
	if !slices.ContainsFunc(f, func(s string) bool { return strings.Contains(s, "AwsSolutions-VPC7") }) {
		t.Errorf("nagFindings = %q, want an AwsSolutions-VPC7 finding for a VPC without flow logs", f)
	}
}
