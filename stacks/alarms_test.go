package stacks

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/internal/cdktest"
)

// TestAlarmsSeeOnlyTheirStack proves that no two stacks' alarms watch the
// same metric: every stage and example may be deployed to one account and
// region, and a metric keyed by a name two stacks share (API Gateway's REST
// metrics are keyed by ApiName and Stage) would let one stage's traffic
// trip another stage's dollar alarm and kill switch. A dimension value that
// refers to a resource of the stack (Ref, Fn::GetAtt, AWS::StackName) is
// unique to that stack; a literal must differ between stacks.
func TestAlarmsSeeOnlyTheirStack(t *testing.T) {
	templates := allTemplates(t)
	if len(templates) < 4 {
		t.Fatalf("%d stacks, want every stage and example", len(templates))
	}
	owners := map[string][]string{}
	for stack, tmpl := range templates {
		n := 0
		for _, key := range alarmMetricKeys(t, stack, tmpl) {
			n++
			if !slices.Contains(owners[key], stack) {
				owners[key] = append(owners[key], stack)
			}
		}
		if n == 0 {
			t.Errorf("%s: no alarm metrics found", stack)
		}
	}
	for key, stacks := range owners {
		if len(stacks) > 1 {
			sort.Strings(stacks)
			t.Errorf("the alarms of %s watch the same metric %s", strings.Join(stacks, " and "), key)
		}
	}
}

// alarmMetricKeys returns NAMESPACE/METRIC{dimensions} for every metric
// the template's alarms query; a dimension value local to the stack is
// prefixed with the stack's name.
func alarmMetricKeys(t *testing.T, stack string, tmpl map[string]any) []string {
	t.Helper()
	resources, _ := tmpl["Resources"].(map[string]any)
	local := func(v any) bool {
		b, _ := json.Marshal(resolveNames(resources, v))
		s := string(b)
		if strings.Contains(s, `"AWS::StackName"`) || strings.Contains(s, `"AWS::StackId"`) {
			return true
		}
		for id := range resources {
			if strings.Contains(s, `"Ref":"`+id+`"`) || strings.Contains(s, `"Fn::GetAtt":["`+id+`"`) {
				return true
			}
		}
		return false
	}
	key := func(m map[string]any) string {
		var dims []string
		ds, _ := m["Dimensions"].([]any)
		for _, d := range ds {
			dm, _ := d.(map[string]any)
			v := dm["Value"]
			b, _ := json.Marshal(resolveNames(resources, v))
			s := strings.Trim(string(b), `"`)
			if local(v) {
				s = stack + ":" + s
			}
			dims = append(dims, fmt.Sprintf("%v=%s", dm["Name"], s))
		}
		sort.Strings(dims)
		return fmt.Sprintf("%v/%v{%s}", m["Namespace"], m["MetricName"], strings.Join(dims, ","))
	}
	var out []string
	for id, r := range resources {
		res, _ := r.(map[string]any)
		if res["Type"] != "AWS::CloudWatch::Alarm" {
			continue
		}
		p, _ := res["Properties"].(map[string]any)
		if p["MetricName"] != nil {
			out = append(out, key(p))
		}
		ms, _ := p["Metrics"].([]any)
		for _, m := range ms {
			mm, _ := m.(map[string]any)
			if stat, ok := mm["MetricStat"].(map[string]any); ok {
				metric, _ := stat["Metric"].(map[string]any)
				out = append(out, key(metric))
			}
		}
		if p["MetricName"] == nil && len(ms) == 0 {
			t.Errorf("%s/%s: alarm without a metric", stack, id)
		}
	}
	return out
}

// namedBy is, for resource types whose Ref (or name attribute) is a name
// the template may fix, the property that fixes it.
var namedBy = map[string]string{
	"AWS::ApiGateway::Stage":   "StageName",
	"AWS::ApiGatewayV2::Stage": "StageName",
	"AWS::Lambda::Function":    "FunctionName",
	"AWS::ECS::Cluster":        "ClusterName",
	"AWS::SageMaker::Endpoint": "EndpointName",
}

// resolveNames replaces a Ref (or Fn::GetAtt of the name attribute) to a
// resource whose name the template fixes by that name: such a value is the
// same in every stack that fixes the same name.
func resolveNames(resources map[string]any, v any) any {
	switch x := v.(type) {
	case map[string]any:
		if id, ok := x["Ref"].(string); ok && len(x) == 1 {
			if name, ok := fixedName(resources, id, ""); ok {
				return name
			}
		}
		if ga, ok := x["Fn::GetAtt"].([]any); ok && len(x) == 1 && len(ga) == 2 {
			id, _ := ga[0].(string)
			attr, _ := ga[1].(string)
			if name, ok := fixedName(resources, id, attr); ok {
				return name
			}
		}
		out := map[string]any{}
		for k, e := range x {
			out[k] = resolveNames(resources, e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = resolveNames(resources, e)
		}
		return out
	}
	return v
}

func fixedName(resources map[string]any, id, attr string) (string, bool) {
	r, _ := resources[id].(map[string]any)
	prop, ok := namedBy[fmt.Sprint(r["Type"])]
	if !ok || (attr != "" && attr != prop) {
		return "", false
	}
	p, _ := r["Properties"].(map[string]any)
	name, ok := p[prop].(string)
	return name, ok
}

// allTemplates returns the template of every stage and example stack, by
// stack name.
func allTemplates(t *testing.T) map[string]map[string]any {
	t.Helper()
	templates := map[string]map[string]any{}
	for _, s := range builtStacks(t) {
		templates[*s.StackName()] = cdktest.Template(t, s.Stack)
	}
	return templates
}
