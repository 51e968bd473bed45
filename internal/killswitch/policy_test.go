package killswitch_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/internal/killswitch"
	"github.com/costguard-ml/costguard/internal/killswitch/fakeaws"
)

// TestTripWithinSynthesizedPolicy reads the kill switch's IAM policy and
// environment from synthesized templates (the golden templates, which the
// stacks' and tiers' golden tests keep equal to what the app synthesizes)
// and trips and restores each tier against a fake that refuses, as IAM
// does, every call the policy does not allow — including the target
// service's permissions Application Auto Scaling checks on
// RegisterScalableTarget.
func TestTripWithinSynthesizedPolicy(t *testing.T) {
	for _, golden := range []string{
		"../../stacks/testdata/costguard-dev.template.json",                  // Lambda
		"../../constructs/service/testdata/fargate.template.json",            // ECS
		"../../constructs/service/testdata/sagemaker-realtime.template.json", // SageMaker
	} {
		t.Run(filepath.Base(golden), func(t *testing.T) {
			raw, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			var tmpl struct{ Resources map[string]map[string]any }
			if err := json.Unmarshal(raw, &tmpl); err != nil {
				t.Fatal(err)
			}
			r := resolver{tmpl.Resources}
			var policy []fakeaws.Statement
			var env map[string]any
			for id, res := range tmpl.Resources {
				props, _ := res["Properties"].(map[string]any)
				if res["Type"] == "AWS::IAM::Policy" && strings.Contains(id, "KillSwitchRole") {
					for _, st := range props["PolicyDocument"].(map[string]any)["Statement"].([]any) {
						s := st.(map[string]any)
						if s["Effect"] != "Allow" {
							continue
						}
						policy = append(policy, fakeaws.Statement{Actions: r.strings(s["Action"]), Resources: r.strings(s["Resource"])})
					}
				}
				if res["Type"] == "AWS::Lambda::Function" && strings.Contains(id, "KillSwitch") {
					env = props["Environment"].(map[string]any)["Variables"].(map[string]any)
				}
			}
			if len(policy) == 0 || env == nil {
				t.Fatalf("no kill-switch policy or environment in %s", golden)
			}
			var targets []killswitch.Target
			if err := json.Unmarshal([]byte(r.str(env[killswitch.EnvTargets])), &targets); err != nil {
				t.Fatal(err)
			}
			f, cfg := fakeaws.New(t, map[string]*int32{})
			f.Policy = policy
			param, topic := r.str(env[killswitch.EnvStateParameter]), r.str(env[killswitch.EnvTopicARN])
			init, _ := json.Marshal(killswitch.InitialState("dev"))
			f.Params[param] = string(init)
			for _, tg := range targets {
				switch tg.Kind {
				case killswitch.KindLambda:
					f.Reserved[tg.Name] = fakeaws.Int32(10)
					f.Provisioned[tg.Name] = map[string]int32{"live": 2}
					f.Scalable["function:"+tg.Name+":live"] = &fakeaws.ScalableTarget{Namespace: "lambda", Dimension: "lambda:function:ProvisionedConcurrency", Min: 2, Max: 2}
				case killswitch.KindECSService:
					f.Services[tg.Name] = 2
					f.Scalable["service/"+tg.Name] = &fakeaws.ScalableTarget{Namespace: "ecs", Dimension: "ecs:service:DesiredCount", Min: 1, Max: 4}
				case killswitch.KindSageMakerEndpoint:
					f.Scalable["endpoint/"+tg.Name+"/variant/AllTraffic"] = &fakeaws.ScalableTarget{Namespace: "sagemaker", Dimension: "sagemaker:variant:DesiredInstanceCount", Min: 1, Max: 4}
					for id, res := range tmpl.Resources {
						if res["Type"] == "AWS::SageMaker::EndpointConfig" {
							f.EndpointConfigs[tg.Name] = strings.ToLower(id)
						}
					}
				}
			}
			s := killswitch.New(killswitch.Config{Stage: "dev", StateParameter: param, TopicARN: topic, Targets: targets}, cfg)
			ctx := context.Background()
			if _, err := s.Trip(ctx, "runaway"); err != nil {
				t.Errorf("trip: %v", err)
			}
			if _, err := s.Restore(ctx, "by hand"); err != nil {
				t.Errorf("restore: %v", err)
			}
			if len(f.Denied) > 0 {
				t.Errorf("calls outside the synthesized policy: %q", f.Denied)
			}
		})
	}
}

// resolver resolves the intrinsics of a kill switch's policy and
// environment to the fake's names and ARNs: a function, cluster or
// service is named by its logical id.
type resolver struct{ resources map[string]map[string]any }

func (r resolver) strings(v any) []string {
	if l, ok := v.([]any); ok {
		var out []string
		for _, e := range l {
			out = append(out, r.str(e))
		}
		return out
	}
	return []string{r.str(v)}
}

func (r resolver) str(v any) string {
	const region, account = fakeaws.Region, fakeaws.Account
	switch x := v.(type) {
	case string:
		return x
	case map[string]any:
		if ref, ok := x["Ref"].(string); ok {
			switch ref {
			case "AWS::Partition":
				return "aws"
			case "AWS::Region":
				return region
			case "AWS::AccountId":
				return account
			}
			res := r.resources[ref]
			props, _ := res["Properties"].(map[string]any)
			switch res["Type"] {
			case "AWS::SSM::Parameter":
				return r.str(props["Name"])
			case "AWS::SNS::Topic":
				return "arn:aws:sns:" + region + ":" + account + ":" + ref
			case "AWS::ECS::Service":
				return "arn:aws:ecs:" + region + ":" + account + ":service/" + r.str(props["Cluster"]) + "/" + ref
			case "AWS::SageMaker::EndpointConfig":
				return "arn:aws:sagemaker:" + region + ":" + account + ":endpoint-config/" + strings.ToLower(ref)
			}
			return ref // functions and clusters: the name
		}
		if ga, ok := x["Fn::GetAtt"].([]any); ok {
			id, attr := ga[0].(string), ga[1].(string)
			switch {
			case attr == "Name":
				return id
			case attr == "Arn" && r.resources[id]["Type"] == "AWS::Lambda::Function":
				return "arn:aws:lambda:" + region + ":" + account + ":function:" + id
			}
			return "arn:aws:other:" + region + ":" + account + ":" + id
		}
		if j, ok := x["Fn::Join"].([]any); ok {
			var parts []string
			for _, p := range j[1].([]any) {
				parts = append(parts, r.str(p))
			}
			return strings.Join(parts, j[0].(string))
		}
	}
	panic(fmt.Sprintf("cannot resolve %v", v))
}
