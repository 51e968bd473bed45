package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestPreflight runs preflight against the fake's GetAccountSettings
// through the real SDK: a stage reserving 11 (the function's 10 and the
// kill switch's 1) deploys in a 1,000 account and fails in a new account
// whose quota is 10.
func TestPreflight(t *testing.T) {
	dir := t.TempDir()
	tmpl := `{"Resources":{
		"Fn":{"Type":"AWS::Lambda::Function","Properties":{"ReservedConcurrentExecutions":10}},
		"KillSwitch":{"Type":"AWS::Lambda::Function","Properties":{"ReservedConcurrentExecutions":1}},
		"Other":{"Type":"AWS::SNS::Topic","Properties":{}}}}`
	if err := os.WriteFile(filepath.Join(dir, "costguard-dev.template.json"), []byte(tmpl), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name     string
		quota    int32
		wantCode int
		want     string
	}{
		{"default quota", 1000, ExitOK, "stage dev: ok"},
		{"new account", 10, 1, "stage dev would fail to deploy: reserving 11 leaves -1 unreserved, below Lambda's minimum of 10"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := tripped(t, nil) // a fake with credentials in the environment
			f.AccountConcurrency = tt.quota
			f.ResetCalls()
			out, errOut, code := run(t, "costguard preflight --stage dev "+dir)
			if code != tt.wantCode || !strings.Contains(out+errOut, tt.want) {
				t.Errorf("code %d\n%s%s\nwant %q", code, out, errOut, tt.want)
			}
			if got := f.Calls(); !reflect.DeepEqual(got, []string{"GetAccountSettings"}) {
				t.Errorf("calls %q", got)
			}
		})
	}
	_, errOut, code := run(t, "costguard preflight --stage prod "+dir)
	if code != ExitUsage || !strings.Contains(errOut, "run cdk synth -c stage=prod first") {
		t.Errorf("missing template: code %d, %s", code, errOut)
	}
}
