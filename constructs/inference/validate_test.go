package inference

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/cost/sizing"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/cdktest"
)

var (
	codeOnce sync.Once
	code     awslambda.Code
)

// testCode is a stand-in deployment package; tests skip bundling and
// deploy nothing. One Code serves the validation tests, which bind nothing.
func testCode() awslambda.Code {
	codeOnce.Do(func() { code = newTestCode() })
	return code
}

func newTestCode() awslambda.Code {
	return awslambda.Code_FromAsset(jsii.String("testdata/asset"), nil)
}

func TestValidation(t *testing.T) {
	tests := []struct {
		name  string
		props func(p *LambdaAPIProps)
		want  []string
	}{
		{"code missing", func(p *LambdaAPIProps) { p.Code = nil }, []string{"Code: missing"}},
		{"architecture", func(p *LambdaAPIProps) { p.Architecture = "sparc" }, []string{`Architecture: "sparc" is not supported; use arm64 or x86_64`}},
		{"front door", func(p *LambdaAPIProps) { p.FrontDoor = "grpc" }, []string{`FrontDoor: "grpc" is not one of "rest", "http"`}},
		{"memory below minimum", func(p *LambdaAPIProps) { p.MemoryMiB = 64 }, []string{"MemoryMiB: 64 is outside the allowed 128 to 10240"}},
		{"memory above maximum", func(p *LambdaAPIProps) { p.MemoryMiB = 10241 }, []string{"MemoryMiB: 10241 is outside the allowed 128 to 10240"}},
		{"memory and memory profile", func(p *LambdaAPIProps) { p.MemoryMiB, p.MemoryProfile = 512, &sizing.Profile{} }, []string{"MemoryMiB: 512 conflicts with MemoryProfile; set one or the other"}},
		{"timeout and latency profile", func(p *LambdaAPIProps) {
			p.Timeout, p.LatencyProfile = 5*time.Second, &sizing.LatencyProfile{P99: time.Second}
		}, []string{"Timeout: 5s conflicts with LatencyProfile; set one or the other"}},
		{"memory profile empty", func(p *LambdaAPIProps) { p.MemoryProfile = &sizing.Profile{} }, []string{"MemoryProfile: "}},
		{"timeout below a second", func(p *LambdaAPIProps) { p.Timeout = 500 * time.Millisecond }, []string{"Timeout: 0.5s is outside the allowed 1s to 900s"}},
		{"timeout above lambda maximum", func(p *LambdaAPIProps) { p.Timeout = 901 * time.Second }, []string{"Timeout: 901s is outside the allowed 1s to 900s"}},
		{"timeout not whole seconds", func(p *LambdaAPIProps) { p.Timeout = 1500 * time.Millisecond }, []string{"Timeout: 1.5s is not a whole number of seconds"}},
		{"timeout beyond rest api", func(p *LambdaAPIProps) { p.Timeout = 60 * time.Second }, []string{"Timeout: 60s exceeds the REST API's 29s integration timeout"}},
		{"timeout beyond http api", func(p *LambdaAPIProps) {
			p.FrontDoor, p.MonthlyQuota, p.Timeout = workload.FrontDoorHTTP, 0, 31*time.Second
		}, []string{"Timeout: 31s exceeds the HTTP API's 30s integration timeout"}},
		{"integration timeout on http api", func(p *LambdaAPIProps) {
			p.FrontDoor, p.IntegrationTimeout = workload.FrontDoorHTTP, 60*time.Second
		}, []string{"IntegrationTimeout: 60s is set but an HTTP API's integration timeout is fixed at 30s at most"}},
		{"cloudwatch role on http api", func(p *LambdaAPIProps) { p.FrontDoor, p.CloudWatchRole = workload.FrontDoorHTTP, true }, []string{"CloudWatchRole: true is set but HTTP APIs log without the account's API Gateway role"}},
		{"integration timeout range", func(p *LambdaAPIProps) { p.IntegrationTimeout = 1000 * time.Second }, []string{"IntegrationTimeout: 1000s is outside the allowed 1s to 900s"}},
		{"timeout beyond a raised integration timeout", func(p *LambdaAPIProps) {
			p.IntegrationTimeout, p.Timeout = 45*time.Second, 50*time.Second
		}, []string{"Timeout: 50s exceeds the REST API's 45s integration timeout"}},
		{"latency profile does not fit", func(p *LambdaAPIProps) {
			p.LatencyProfile = &sizing.LatencyProfile{P99: 28 * time.Second, Init: 2 * time.Second}
		}, []string{"LatencyProfile: p99+init: 30s exceeds the 29s the caller waits"}},
		{"latency profile problems each", func(p *LambdaAPIProps) { p.LatencyProfile = &sizing.LatencyProfile{Init: -time.Second} }, []string{"LatencyProfile: p99: 0s is not positive", "LatencyProfile: init: -1s is negative"}},
		{"ephemeral storage", func(p *LambdaAPIProps) { p.EphemeralStorageMiB = 100 }, []string{"EphemeralStorageMiB: 100 is outside the allowed 512 to 10240"}},
		{"reserved negative", func(p *LambdaAPIProps) { p.ReservedConcurrency = -1 }, []string{"ReservedConcurrency: -1 is outside the allowed 1 to 900"}},
		{"reserved above account", func(p *LambdaAPIProps) { p.ReservedConcurrency = 901 }, []string{"ReservedConcurrency: 901 is outside the allowed 1 to 900"}},
		{"reserved and unreserved", func(p *LambdaAPIProps) { p.ReservedConcurrency, p.Unreserved = 5, true }, []string{"ReservedConcurrency: 5 conflicts with Unreserved"}},
		{"provisioned negative", func(p *LambdaAPIProps) { p.ProvisionedConcurrency = -1 }, []string{"ProvisionedConcurrency: -1 is negative"}},
		{"provisioned above reserved", func(p *LambdaAPIProps) { p.ProvisionedConcurrency, p.ReservedConcurrency = 10, 5 }, []string{"ProvisionedConcurrency: 10 exceeds ReservedConcurrency 5"}},
		{"provisioned above default reserved", func(p *LambdaAPIProps) { p.ProvisionedConcurrency = 11 }, []string{"ProvisionedConcurrency: 11 exceeds ReservedConcurrency 10"}},
		{"provisioned max without provisioned", func(p *LambdaAPIProps) { p.ProvisionedMaxConcurrency = 4 }, []string{"ProvisionedMaxConcurrency: 4 needs ProvisionedConcurrency above 0"}},
		{"provisioned max below provisioned", func(p *LambdaAPIProps) { p.ProvisionedConcurrency, p.ProvisionedMaxConcurrency = 4, 2 }, []string{"ProvisionedMaxConcurrency: 2 is below ProvisionedConcurrency 4"}},
		{"provisioned max above reserved", func(p *LambdaAPIProps) { p.ProvisionedConcurrency, p.ProvisionedMaxConcurrency = 2, 20 }, []string{"ProvisionedMaxConcurrency: 20 exceeds ReservedConcurrency 10"}},
		{"utilization target range", func(p *LambdaAPIProps) {
			p.ProvisionedConcurrency, p.ProvisionedMaxConcurrency, p.ProvisionedUtilizationTarget = 1, 2, 0.95
		}, []string{"ProvisionedUtilizationTarget: 0.95 is outside the allowed 0.1 to 0.9"}},
		{"utilization target without autoscaling", func(p *LambdaAPIProps) { p.ProvisionedConcurrency, p.ProvisionedUtilizationTarget = 1, 0.5 }, []string{"ProvisionedUtilizationTarget: 0.5 needs ProvisionedMaxConcurrency"}},
		{"schedule without provisioned", func(p *LambdaAPIProps) { p.ProvisionedSchedule = &Schedule{StartHour: 8, EndHour: 18} }, []string{"ProvisionedSchedule: needs ProvisionedConcurrency above 0"}},
		{"schedule hours reversed", func(p *LambdaAPIProps) {
			p.ProvisionedConcurrency, p.ProvisionedSchedule = 1, &Schedule{StartHour: 18, EndHour: 8}
		}, []string{"ProvisionedSchedule: hours 18 to 8 are not a window"}},
		{"schedule repeated day", func(p *LambdaAPIProps) {
			p.ProvisionedConcurrency, p.ProvisionedSchedule = 1, &Schedule{Days: []time.Weekday{time.Monday, time.Monday}, StartHour: 8, EndHour: 18}
		}, []string{"ProvisionedSchedule: day 1 is not a weekday or is repeated"}},
		{"schedule time zone", func(p *LambdaAPIProps) {
			p.ProvisionedConcurrency, p.ProvisionedSchedule = 1, &Schedule{StartHour: 8, EndHour: 18, TimeZone: "Mars/Olympus"}
		}, []string{`ProvisionedSchedule: time zone "Mars/Olympus" is not an IANA time zone name`}},
		{"stage name", func(p *LambdaAPIProps) { p.StageName = "v 1" }, []string{`StageName: "v 1" is not 1 to 128 letters`}},
		{"throttle rate negative", func(p *LambdaAPIProps) { p.ThrottleRateLimit = -1 }, []string{"ThrottleRateLimit: -1 is outside the allowed above 0 to 10000"}},
		{"throttle rate above account", func(p *LambdaAPIProps) { p.ThrottleRateLimit = 20000 }, []string{"ThrottleRateLimit: 20000 is outside"}},
		{"throttle burst negative", func(p *LambdaAPIProps) { p.ThrottleBurstLimit = -5 }, []string{"ThrottleBurstLimit: -5 is outside the allowed 1 to 5000"}},
		{"throttle burst above account", func(p *LambdaAPIProps) { p.ThrottleBurstLimit = 5001 }, []string{"ThrottleBurstLimit: 5001 is outside"}},
		{"quota on http api", func(p *LambdaAPIProps) { p.FrontDoor, p.MonthlyQuota = workload.FrontDoorHTTP, 100 }, []string{"MonthlyQuota: 100 is set but HTTP APIs have no usage plans"}},
		{"quota negative", func(p *LambdaAPIProps) { p.MonthlyQuota = -1 }, []string{"MonthlyQuota: -1 is negative"}},
		{"batch size negative", func(p *LambdaAPIProps) { p.MaxBatchSize = -1 }, []string{"MaxBatchSize: -1 is negative"}},
		{"instance length negative", func(p *LambdaAPIProps) { p.MaxInstanceLength = -1 }, []string{"MaxInstanceLength: -1 is negative"}},
		{"cors without origins", func(p *LambdaAPIProps) { p.Cors = &Cors{} }, []string{"Cors: AllowOrigins is empty"}},
		{"cors empty origin", func(p *LambdaAPIProps) { p.Cors = &Cors{AllowOrigins: []string{""}} }, []string{"Cors: AllowOrigins has an empty origin"}},
		{"retention infinite", func(p *LambdaAPIProps) { p.LogRetention = awslogs.RetentionDays_INFINITE }, []string{`LogRetention: "INFINITE" keeps logs forever`}},
		{"log level", func(p *LambdaAPIProps) { p.LogLevel = "trace" }, []string{`LogLevel: "trace" is not one of debug, info, warn, error`}},
		{"log format", func(p *LambdaAPIProps) { p.LogFormat = "xml" }, []string{`LogFormat: "xml" is not one of json, text`}},
		{"environment owned", func(p *LambdaAPIProps) { p.Environment = map[string]string{"MODEL_DIR": "/tmp"} }, []string{`Environment: "MODEL_DIR" is reserved`}},
		{"environment aws", func(p *LambdaAPIProps) { p.Environment = map[string]string{"AWS_REGION": "x"} }, []string{`Environment: "AWS_REGION" is reserved`}},
		{"environment name", func(p *LambdaAPIProps) { p.Environment = map[string]string{"1BAD": "x"} }, []string{`Environment: "1BAD" is reserved or not a valid name`}},
		{"traffic negative", func(p *LambdaAPIProps) { p.Traffic.RequestsPerMonth = -1 }, []string{"Traffic.RequestsPerMonth: -1 is not a finite number of at least 0"}},
		{"traffic cold start rate", func(p *LambdaAPIProps) { p.Traffic.ColdStartRate = 1.5 }, []string{"Traffic.ColdStartRate: 1.5 is outside the allowed 0 to 1"}},
		{"traffic payload", func(p *LambdaAPIProps) { p.Traffic.PayloadBytes = 7 << 20 }, []string{"Traffic.PayloadBytes: 7.340032e+06 exceeds Lambda's 6291456-byte synchronous payload limit"}},
		{"every problem together", func(p *LambdaAPIProps) {
			p.MemoryMiB, p.Timeout, p.ProvisionedConcurrency, p.ReservedConcurrency = 64, 60*time.Second, 10, 5
		}, []string{"MemoryMiB: 64", "Timeout: 60s", "ProvisionedConcurrency: 10 exceeds ReservedConcurrency 5"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := LambdaAPIProps{Code: testCode()}
			tc.props(&p)
			_, problems := p.resolve()
			if len(problems) != len(tc.want) {
				t.Errorf("resolve() reported %d problems, want %d: %v", len(problems), len(tc.want), problems)
			}
			for i, w := range tc.want {
				if i < len(problems) && !strings.Contains(problems[i].Error(), w) {
					t.Errorf("problem %d = %q, want it to contain %q", i, problems[i], w)
				}
			}
			for _, p := range problems {
				if msg := p.Error(); strings.HasSuffix(msg, ".") || msg[:1] != strings.ToUpper(msg[:1]) && !strings.HasPrefix(msg, "Traffic.") {
					t.Errorf("problem %q should start with the field name and not end with a period", msg)
				}
			}
		})
	}
}

func TestValidProps(t *testing.T) {
	// The props must not be modified by resolve, and defaults must hold.
	p := LambdaAPIProps{Code: testCode(), ProvisionedConcurrency: 1, ProvisionedSchedule: &Schedule{StartHour: 9, EndHour: 17}}
	r, problems := p.resolve()
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	if p.MemoryMiB != 0 || p.ProvisionedSchedule.Days != nil || p.ProvisionedSchedule.TimeZone != "" {
		t.Errorf("resolve() modified the caller's props: %+v", p)
	}
	if r.MemoryMiB != DefaultMemoryMiB || r.Timeout != DefaultTimeout || r.reserved != DefaultReservedConcurrency || r.FrontDoor != workload.FrontDoorREST {
		t.Errorf("defaults not applied: %+v", r)
	}
}

// Bad props are reported, not panicked: Err names the path and every
// problem, the stack carries them as error annotations, nothing is built.
func TestNewLambdaAPIReportsPathAndEveryProblem(t *testing.T) {
	app := cdktest.NewApp(t)
	stack := awscdk.NewStack(app, jsii.String("Stack"), nil)
	a := NewLambdaAPI(stack, "Api", &LambdaAPIProps{Code: testCode(), MemoryMiB: 64, LogLevel: "loud"})
	want := "Stack/Api: MemoryMiB: 64 is outside the allowed 128 to 10240\nStack/Api: LogLevel: \"loud\" is not one of debug, info, warn, error"
	if got := cdktest.CheckReported(t, a); got != want {
		t.Errorf("Err() =\n%s\nwant\n%s", got, want)
	}
	if a.Function() != nil || a.URL() != nil || a.MetricInvocations(nil) != nil {
		t.Error("a construct with problems returned resources")
	}
	if n := len(*a.Node().Children()); n != 0 {
		t.Errorf("a construct with problems has %d children, want none", n)
	}
}
