package report

import (
	"encoding/json"
	"math"
	"path/filepath"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/assembly"
	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
)

// priceTemplate prices one template given as JSON resources.
func priceTemplate(t *testing.T, resources string) Stack {
	t.Helper()
	var tpl assembly.Template
	if err := json.Unmarshal([]byte(`{"Resources":`+resources+`}`), &tpl); err != nil {
		t.Fatalf("template: %v", err)
	}
	r, err := Build([]assembly.Stack{{Name: "s", Template: tpl}}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return r.Stacks[0]
}

func resource(t *testing.T, s Stack, id string) Resource {
	t.Helper()
	for _, r := range s.Resources {
		if r.LogicalID == id {
			return r
		}
	}
	t.Fatalf("%s not in the report: %+v", id, s.Resources)
	return Resource{}
}

const lambdaRecord = `{"costguard:workload":{"version":1,"tier":"lambda","frontDoor":"rest","traffic":{"requestsPerMonth":1000000,"avgDurationMs":50,"payloadBytes":2048},"lambda":{"memoryMiB":512,"architecture":"arm64"}}}`

func TestReportDerivesItemsFromTheTemplate(t *testing.T) {
	p := pricing.Default()
	hours := float64(pricing.HoursPerMonth)
	traces := pricing.RoundCents(estimate.SampledTraces(1e6, p) * 5 / 1e6)
	tests := []struct {
		name      string
		resources string
		id, item  string
		want      float64 // -1: the line must be absent
		note      string
	}{
		{"active tracing records traces", `{"Fn":{"Type":"AWS::Lambda::Function","Properties":{"TracingConfig":{"Mode":"Active"}},"Metadata":` + lambdaRecord + `}}`,
			"Fn", "X-Ray traces recorded", traces, ""},
		{"a REST stage's tracing records traces", `{"Fn":{"Type":"AWS::Lambda::Function","Metadata":` + lambdaRecord + `},"St":{"Type":"AWS::ApiGateway::Stage","Properties":{"TracingEnabled":true}}}`,
			"Fn", "X-Ray traces recorded", traces, ""},
		{"no tracing, no traces", `{"Fn":{"Type":"AWS::Lambda::Function","Properties":{"TracingConfig":{"Mode":"PassThrough"}},"Metadata":` + lambdaRecord + `}}`,
			"Fn", "X-Ray traces recorded", -1, ""},
		{"the model server's metrics", `{"Fn":{"Type":"AWS::Lambda::Function","Metadata":` + lambdaRecord + `}}`,
			"Fn", "CloudWatch custom metrics (model server EMF)", float64(workload.ServerCustomMetrics()) * 0.30, ""},
		{"METRICS=off: none", `{"Fn":{"Type":"AWS::Lambda::Function","Properties":{"Environment":{"Variables":{"METRICS":"off"}}},"Metadata":` + lambdaRecord + `}}`,
			"Fn", "CloudWatch custom metrics (model server EMF)", -1, "metrics are off"},
		{"responses sent out: half the payload", `{"Fn":{"Type":"AWS::Lambda::Function","Metadata":` + lambdaRecord + `}}`,
			"Fn", "Data transfer out to the internet", pricing.RoundCents(1e6 * 1024 / (1 << 30) * 0.09), ""},
		{"access log sized from its format, kept its group's retention", `{"Fn":{"Type":"AWS::Lambda::Function","Metadata":` + lambdaRecord + `},
			"G":{"Type":"AWS::Logs::LogGroup","Properties":{"RetentionInDays":90}},
			"St":{"Type":"AWS::ApiGateway::Stage","Properties":{"AccessLogSetting":{"DestinationArn":{"Fn::GetAtt":["G","Arn"]},"Format":"{\"requestId\":\"$context.requestId\"}"}}}}`,
			"St", "API Gateway access logs storage", pricing.RoundCents(1e6 * (16 + 36 + 26) / (1 << 30) * 3 * 0.03), "90 days"},
		{"an Elastic IP is a public IPv4 address", `{"Ip":{"Type":"AWS::EC2::EIP"}}`, "Ip", "Public IPv4 address", hours * 0.005, ""},
		{"NAT data: the Fargate tasks' logs", `{"Nat":{"Type":"AWS::EC2::NatGateway"},"Svc":{"Type":"AWS::ECS::Service","Metadata":{"costguard:workload":{"version":1,"tier":"fargate","frontDoor":"none","traffic":{"requestsPerMonth":3000000},"fargate":{"cpu":1024,"memoryMiB":2048,"architecture":"arm64","minTasks":1,"maxTasks":1}}}}}`,
			"Nat", "NAT gateway data processed", pricing.RoundCents(3e6 * 1024 / (1 << 30) * 0.045), "image pulls"},
		{"Container Insights: cluster, service and task family metrics", `{"C":{"Type":"AWS::ECS::Cluster","Properties":{"ClusterSettings":[{"Name":"containerInsights","Value":"enabled"}]}},"Svc":{"Type":"AWS::ECS::Service"},"Td":{"Type":"AWS::ECS::TaskDefinition"}}`,
			"C", "Container Insights metrics", float64(10+13+9) * 0.30, ""},
		{"Container Insights off: not listed", `{"C":{"Type":"AWS::ECS::Cluster","Properties":{"ClusterSettings":[{"Name":"containerInsights","Value":"disabled"}]}},"Ip":{"Type":"AWS::EC2::EIP"}}`,
			"C", "", -2, ""},
		{"a rotating key: two billed rotations", `{"K":{"Type":"AWS::KMS::Key","Properties":{"EnableKeyRotation":true}}}`, "K", "KMS key rotations", 2, "first year"},
		{"a key that does not rotate", `{"K":{"Type":"AWS::KMS::Key"}}`, "K", "KMS key rotations", -1, "under a cent"},
		{"an internet-facing load balancer's addresses", `{"Lb":{"Type":"AWS::ElasticLoadBalancingV2::LoadBalancer","Properties":{"Subnets":["a","b","c"]}}}`,
			"Lb", "Public IPv4 addresses of the load balancer", 3 * hours * 0.005, ""},
		{"an internal load balancer has none", `{"Lb":{"Type":"AWS::ElasticLoadBalancingV2::LoadBalancer","Properties":{"Scheme":"internal"}}}`,
			"Lb", "Public IPv4 addresses of the load balancer", -1, ""},
		{"a scheduled rule is free", `{"R":{"Type":"AWS::Events::Rule","Properties":{"ScheduleExpression":"rate(1 day)"}}}`, "R", "", 0, "not schedules"},
		{"a dead-letter queue is listed", `{"Q":{"Type":"AWS::SQS::Queue"}}`, "Q", "", 0, "dead-letter queue"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := priceTemplate(t, tc.resources)
			if tc.want == -2 {
				for _, r := range s.Resources {
					if r.LogicalID == tc.id {
						t.Errorf("%s listed: %+v", tc.id, r)
					}
				}
				return
			}
			r := resource(t, s, tc.id)
			if tc.note != "" && !strings.Contains(strings.Join(r.Notes, "|"), tc.note) {
				t.Errorf("notes %q lack %q", r.Notes, tc.note)
			}
			if tc.item == "" {
				if r.TotalUSD != tc.want || len(r.Notes) == 0 {
					t.Errorf("%s = %+v, want $%.2f with a reason", tc.id, r, tc.want)
				}
				return
			}
			got, ok := lineUSD(r, tc.item)
			switch {
			case tc.want < 0 && ok:
				t.Errorf("%s has %q ($%.2f), want none; lines %+v", tc.id, tc.item, got, r.Lines)
			case tc.want >= 0 && (!ok || math.Abs(got-pricing.RoundCents(tc.want)) > 1e-9):
				t.Errorf("%s %s = $%.2f (present %v), want $%.2f; lines %+v", tc.id, tc.item, got, ok, pricing.RoundCents(tc.want), r.Lines)
			}
		})
	}
}

func TestAccessLogLineBytes(t *testing.T) {
	for format, want := range map[string]float64{
		`$context.requestId`:                    36 + 26,
		`{"ip":"$context.identity.sourceIp"}`:   float64(len(`{"ip":""}`)) + 14 + 26,
		`$context.somethingNew $context.status`: 16 + 1 + 3 + 26,
	} {
		if got := estimate.AccessLogLineBytes(format, pricing.Default()); got != want {
			t.Errorf("AccessLogLineBytes(%q) = %g, want %g", format, got, want)
		}
	}
}

// TestDefaultAccessLogBytes checks the access-log size `costguard estimate
// workload` assumes against the stages of the golden stacks: the largest
// is the inference construct's REST stage, and the default is its size.
func TestDefaultAccessLogBytes(t *testing.T) {
	stacks, err := assembly.Read("../../stacks/testdata")
	if err != nil {
		t.Fatal(err)
	}
	largest := 0.0
	for _, s := range stacks {
		for _, id := range s.Template.LogicalIDs() {
			if b, _, _, ok := accessLog(s.Template.Resources[id], s.Template, pricing.Default()); ok {
				largest = math.Max(largest, b)
			}
		}
	}
	if largest == 0 || largest > DefaultAccessLogBytes || largest < DefaultAccessLogBytes*0.95 {
		t.Errorf("largest access-log line of the stacks: %.0f bytes; DefaultAccessLogBytes = %d", largest, DefaultAccessLogBytes)
	}
}

// TestUnreadPricesSaySo prices resources whose prices the Price List
// import does not read in a region priced only from files: each says it is
// counted as $0 there, and the same resources in us-east-1 say nothing of
// the kind.
func TestUnreadPricesSaySo(t *testing.T) {
	files, err := filepath.Glob("../pricing/testdata/pricelist/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("fixtures: %v", err)
	}
	pl, err := pricing.LoadPriceList(files...)
	if err != nil {
		t.Fatal(err)
	}
	var tpl assembly.Template
	resources := `{"Waf":{"Type":"AWS::WAFv2::WebACL","Properties":{"Rules":[{},{}]}},"Sec":{"Type":"AWS::SecretsManager::Secret"},
		"Par":{"Type":"AWS::SSM::Parameter","Properties":{"Tier":"Advanced"}},"Q":{"Type":"AWS::SQS::Queue"},
		"R":{"Type":"AWS::Events::Rule","Properties":{"ScheduleExpression":"rate(1 day)"}},"S":{"Type":"AWS::Scheduler::Schedule"}}`
	if err := json.Unmarshal([]byte(`{"Resources":`+resources+`}`), &tpl); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Waf": "AWS WAF's prices are not read from Price List files: counted as $0 in ap-northeast-2",
		"Sec": "Secrets Manager's prices are not read from Price List files: counted as $0 in ap-northeast-2",
		"Par": "SSM Parameter Store's prices are not read from Price List files: counted as $0 in ap-northeast-2",
		"Q":   "billed per request (not priced in ap-northeast-2: not read from Price List files) beyond 1 million free",
		"R":   "EventBridge charges custom events (not priced in ap-northeast-2: not read from Price List files), not schedules",
		"S":   "invocations (not priced in ap-northeast-2: not read from Price List files) beyond 14 million free",
	}
	for _, region := range []string{"ap-northeast-2", "us-east-1"} {
		r, err := Build([]assembly.Stack{{Name: "s", Template: tpl, Region: region}}, Options{Prices: pl})
		if err != nil {
			t.Fatal(err)
		}
		for id, note := range want {
			notes := strings.Join(resource(t, r.Stacks[0], id).Notes, "|")
			if got := strings.Contains(notes, note); got != (region == "ap-northeast-2") {
				t.Errorf("%s in %s: notes %q, want %q: %v", id, region, notes, note, region == "ap-northeast-2")
			}
			if region == "us-east-1" && strings.Contains(notes, "not read from Price List files") {
				t.Errorf("%s in us-east-1 (built in): notes %q", id, notes)
			}
		}
	}
}
