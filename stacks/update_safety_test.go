package stacks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/constructs/guard"
	"github.com/costguard-ml/costguard/constructs/inference"
	"github.com/costguard-ml/costguard/constructs/service"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cdktest"
)

// fixedNameProp is, by resource type, the property that fixes a resource's
// physical name. CloudFormation cannot replace a resource whose name is
// fixed without changing the name: the replacement is created first, and
// its name is taken ("CloudFormation cannot update a stack when a custom-named
// resource requires replacing",
// https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-name.html).
var fixedNameProp = map[string][]string{
	"AWS::Budgets::Budget":           {"Budget", "BudgetName"},
	"AWS::SSM::Parameter":            {"Name"},
	"AWS::CloudWatch::Alarm":         {"AlarmName"},
	"AWS::CloudWatch::Dashboard":     {"DashboardName"},
	"AWS::Lambda::Function":          {"FunctionName"},
	"AWS::Logs::LogGroup":            {"LogGroupName"},
	"AWS::IAM::Role":                 {"RoleName"},
	"AWS::SNS::Topic":                {"TopicName"},
	"AWS::SQS::Queue":                {"QueueName"},
	"AWS::Events::Rule":              {"Name"},
	"AWS::ECS::Cluster":              {"ClusterName"},
	"AWS::SageMaker::Endpoint":       {"EndpointName"},
	"AWS::SageMaker::EndpointConfig": {"EndpointConfigName"},
}

// physicalName returns the resource's fixed name, "" when CloudFormation
// names it.
func physicalName(res map[string]any) string {
	path, ok := fixedNameProp[fmt.Sprint(res["Type"])]
	if !ok {
		return ""
	}
	var v any = res["Properties"]
	for _, k := range path {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	if v == nil {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// TestUpdateSafety synthesizes the dev stage, then the same stage after each
// change a user makes, and compares them with the real `cdk diff`. No
// resource with a fixed physical name may be replaced (CloudFormation
// refuses: the update fails and rolls back), no resource may be added with
// the fixed name of one removed in the same update, and every replacement
// that does happen must be listed, with the change that causes it, in
// docs/cdk.md's replacement table.
func TestUpdateSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the CDK CLI")
	}
	root := cdktest.ModuleRoot(t)
	cdk := filepath.Join(root, "node_modules", ".bin", "cdk")
	if _, err := os.Stat(cdk); err != nil {
		t.Fatalf("the pinned CDK CLI is missing (%v): run make deps", err)
	}
	docs, err := os.ReadFile(filepath.Join(root, "docs", "cdk.md"))
	if err != nil {
		t.Fatal(err)
	}
	otherModel := t.TempDir()
	os.WriteFile(filepath.Join(otherModel, "model.onnx"), []byte("another model"), 0o644)
	code := func(dir string) func(workload.Architecture) (awslambda.Code, error) {
		return func(workload.Architecture) (awslambda.Code, error) {
			return awslambda.Code_FromAsset(jsii.String(dir), nil), nil
		}
	}
	base := code(filepath.Join("testdata", "asset"))
	tests := []struct {
		name   string
		change func(*Stage)
		code   func(workload.Architecture) (awslambda.Code, error)
	}{
		{"alert thresholds", func(s *Stage) {
			s.BudgetThresholds = []guard.BudgetThreshold{{Percent: 60}, {Percent: 90}, {Percent: 100, TripsKillSwitch: true}}
		}, nil},
		{"alert e-mails", func(s *Stage) { s.AlertEmails = append(s.AlertEmails, "ml-oncall@example.com") }, nil},
		{"kill switch off", func(s *Stage) { s.KillSwitch = false }, nil},
		{"budget amount", func(s *Stage) { s.MonthlyBudgetUSD *= 2 }, nil},
		{"memory", func(s *Stage) { s.MemoryMiB *= 2 }, nil},
		{"timeout", func(s *Stage) { s.Timeout = 20 * time.Second }, nil},
		{"architecture", func(s *Stage) { s.Architecture = workload.ArchX86_64 }, nil},
		{"reserved concurrency", func(s *Stage) { s.ReservedConcurrency += 5 }, nil},
		{"provisioned concurrency", func(s *Stage) { s.ProvisionedConcurrency = 1 }, nil},
		{"provisioned-concurrency schedule", func(s *Stage) {
			s.ProvisionedConcurrency = 1
			s.ProvisionedSchedule = &inference.Schedule{StartHour: 8, EndHour: 18}
		}, nil},
		{"REST to HTTP front door", func(s *Stage) { s.FrontDoor = workload.FrontDoorHTTP; s.MonthlyQuota = 0 }, nil},
		{"log retention", func(s *Stage) { s.LogRetentionDays = 30 }, nil},
		{"model directory", func(*Stage) {}, code(otherModel)},
		{"tier switch to fargate", func(s *Stage) { s.Tier = workload.TierFargate }, nil},
		{"tags", func(s *Stage) { s.CostCenter = "ml-research" }, nil},
		{"throttle", func(s *Stage) { s.ThrottleRateLimit *= 2; s.ThrottleBurstLimit *= 2 }, nil},
	}
	if len(tests) < 15 {
		t.Fatalf("%d changes, want at least 15", len(tests))
	}
	synth := func(t *testing.T, stage Stage, c func(workload.Architecture) (awslambda.Code, error)) (dir string, tmpl map[string]any) {
		t.Helper()
		dir = t.TempDir()
		app := cdktest.NewAppIn(t, dir, nil)
		cd, _ := c(stage.Architecture)
		image, err := service.ModelServerImage(filepath.Join(root, DefaultModelDir))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := newStackChecked(app, stage, cd, cd, image); err != nil {
			t.Fatalf("stage %s: %v", stage.Name, err)
		}
		app.Synth(nil)
		raw, err := os.ReadFile(filepath.Join(dir, stage.StackName()+".template.json"))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &tmpl); err != nil {
			t.Fatal(err)
		}
		return dir, tmpl
	}
	dev, _ := LookupStage("dev")
	baseDir, baseTmpl := synth(t, dev, base)
	baseTemplate := filepath.Join(baseDir, dev.StackName()+".template.json")
	baseRes, _ := baseTmpl["Resources"].(map[string]any)
	replaced := regexp.MustCompile(`(?m)^\[~\] (\S+) (\S+) (\S+) (may be replaced|replace)$`)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stage, _ := LookupStage("dev")
			tc.change(&stage)
			c := tc.code
			if c == nil {
				c = base
			}
			dir, tmpl := synth(t, stage, c)
			cmd := exec.Command(cdk, "diff", "--no-notices", "--app", dir, "--template", baseTemplate, stage.StackName())
			cmd.Dir = root
			cmd.Env = append(os.Environ(), "CDK_DISABLE_VERSION_CHECK=1", "CDK_CLI_NOTICES=false", "AWS_EC2_METADATA_DISABLED=true", "NO_COLOR=1", "FORCE_COLOR=0")
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			cmd.Run() // exit status 1 means "differences"
			diff := regexp.MustCompile(`\x1b\[[0-9;]*m`).ReplaceAllString(out.String(), "")
			if !strings.Contains(diff, "Resources") && !strings.Contains(diff, "There were no differences") {
				t.Fatalf("cdk diff printed no resource section:\n%s", diff)
			}
			newRes, _ := tmpl["Resources"].(map[string]any)
			for _, m := range replaced.FindAllStringSubmatch(diff, -1) {
				typ, path, id := m[1], m[2], m[3]
				before, _ := baseRes[id].(map[string]any)
				after, _ := newRes[id].(map[string]any)
				if name := physicalName(before); name != "" && name == physicalName(after) {
					t.Errorf("%s %s (%s) has the fixed name %s and cdk diff says %q: CloudFormation cannot replace it", typ, path, id, name, m[4])
				}
				if !documented(string(docs), tc.name, path) {
					t.Errorf("%s %s is replaced (%s) but docs/cdk.md's replacement table has no row | %s | %s | ... |", typ, path, m[4], tc.name, path)
				}
			}
			// A resource added under a new logical id may not take the
			// fixed name of one the same update removes.
			removed := map[string]string{}
			for id, r := range baseRes {
				if _, kept := newRes[id]; !kept {
					if n := physicalName(r.(map[string]any)); n != "" {
						removed[n] = id
					}
				}
			}
			for id, r := range newRes {
				if _, existed := baseRes[id]; existed {
					continue
				}
				if n := physicalName(r.(map[string]any)); n != "" && removed[n] != "" {
					t.Errorf("%s takes the fixed name %s of %s, which the same update deletes (after creating %s)", id, n, removed[n], id)
				}
			}
		})
	}
}

// documented reports whether docs has a table row naming the change and
// the replaced resource's construct path.
func documented(docs, change, path string) bool {
	for _, line := range strings.Split(docs, "\n") {
		if strings.HasPrefix(line, "| "+change+" |") && strings.Contains(line, "`"+path+"`") {
			return true
		}
	}
	return false
}
