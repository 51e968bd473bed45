package stacks

import (
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2/assertions"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cdktest"
)

// TestAccountConcurrencyWarning: a stage whose reserved concurrency (plus
// the kill switch's 1) would leave the account less unreserved concurrency
// than Lambda keeps warns at synth; within the default 1,000 quota it does
// not.
func TestAccountConcurrencyWarning(t *testing.T) {
	for _, tt := range []struct {
		name  string
		limit int
		warn  bool
	}{
		{"default quota", 0, false},
		{"new account with a quota of 10", 10, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			app := cdktest.NewApp(t)
			stage, _ := LookupStage("dev")
			stage.AccountConcurrencyLimit = tt.limit
			code, _ := stubCode(workload.ArchARM64)
			s, err := newStackChecked(app, stage, code, code, nil) // dev is on Lambda: no image
			if err != nil {
				t.Fatal(err)
			}
			found := assertions.Annotations_FromStack(s.Stack).FindWarning(jsii.String("*"),
				assertions.Match_StringLikeRegexp(jsii.String("reserves 3 concurrent executions.*costguard preflight --stage dev")))
			if got := len(*found) > 0; got != tt.warn {
				t.Errorf("warning %v, want %v", got, tt.warn)
			}
		})
	}
}
