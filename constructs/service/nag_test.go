package service

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/aws-cdk-go/awscdk/v2/cxapi"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"
)

// addNag applies cdk-nag's AWS Solutions rules to stack; call before the
// stack is synthesized.
func addNag(stack awscdk.Stack) {
	awscdk.Aspects_Of(stack).Add(cdknag.NewAwsSolutionsChecks(&cdknag.NagPackProps{Verbose: jsii.Bool(true)}), nil)
}

// nagFindings returns every unsuppressed cdk-nag error and warning on stack.
//
// cdk-nag fails synthesis when errors remain; that failure comes back as one
// finding holding the validation report, so callers see the rule ids.
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
	a := assertions.Annotations_FromStack(stack)
	for _, msgs := range [][]*cxapi.SynthesisMessage{
		*a.FindError(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*"))),
		*a.FindWarning(jsii.String("*"), assertions.Match_StringLikeRegexp(jsii.String("AwsSolutions-.*"))),
	} {
		for _, m := range msgs {
			data := m.Entry.Data
			s := fmt.Sprint(data)
			out = append(out, *m.Id+": "+strings.SplitN(s, "\n", 2)[0])
		}
	}
	return out
}
