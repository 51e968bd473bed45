package pricing

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func fixtures(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/pricelist/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	return files
}

// TestLoadPriceList reads every fixture (both documented formats) and
// checks each price lands in its field.
func TestLoadPriceList(t *testing.T) {
	pl, err := LoadPriceList(fixtures(t)...)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(pl.Regions(), ","); got != "ap-northeast-2" {
		t.Fatalf("regions = %q, want ap-northeast-2", got)
	}
	p, ok := pl.ForRegion("ap-northeast-2")
	if !ok {
		t.Fatal("ap-northeast-2 not priced")
	}
	tests := []struct {
		name      string
		got, want float64
	}{
		{"lambda requests per million (get-products)", p.Lambda.RequestsPerMillion, 0.25},
		{"lambda x86 first tier", p.Lambda.Duration.X86_64.First(), 0.00002},
		{"lambda x86 tier 2 price", p.Lambda.Duration.X86_64[1].Price, 0.000018},
		{"lambda x86 tier 1 size", p.Lambda.Duration.X86_64[0].Size, 6e9},
		{"lambda x86 tier 2 size", p.Lambda.Duration.X86_64[1].Size, 9e9},
		{"lambda arm first tier", p.Lambda.Duration.ARM64.First(), 0.000016},
		{"lambda pc x86", p.Lambda.ProvisionedConcurrency.X86_64, 0.000005},
		{"lambda pc arm", p.Lambda.ProvisionedConcurrency.ARM64, 0.000004},
		{"lambda provisioned duration x86", p.Lambda.ProvisionedDuration.X86_64, 0.0000117},
		{"lambda provisioned duration arm", p.Lambda.ProvisionedDuration.ARM64, 0.0000094},
		{"lambda ephemeral", p.Lambda.EphemeralPerGBSecond, 0.000000037},
		{"lambda free tier is a rule, kept", p.Lambda.FreeGBSeconds, 400000},
		{"rest first tier (offer file)", p.APIGateway.REST.First(), 0.0000042},
		{"rest tiers", float64(len(p.APIGateway.REST)), 4},
		{"http first tier", p.APIGateway.HTTP.First(), 0.0000012},
		{"cache 0.5 GB", p.APIGateway.CacheHour["0.5"], 0.024},
		{"alarm", p.CloudWatch.AlarmMetricMonth, 0.12},
		{"high-resolution alarm", p.CloudWatch.HighResolutionAlarmMetricMonth, 0.36},
		{"composite alarm", p.CloudWatch.CompositeAlarmMonth, 0.6},
		{"dashboard", p.CloudWatch.DashboardMonth, 3.6},
		{"custom metric first tier", p.CloudWatch.CustomMetricMonth, 0.36},
		{"logs ingestion", p.CloudWatch.LogsIngestionPerGB, 0.6},
		{"logs storage", p.CloudWatch.LogsStoragePerGBMonth, 0.036},
		{"fargate vcpu x86 (not windows)", p.Fargate.VCPUHour.X86_64, 0.05},
		{"fargate memory arm", p.Fargate.GBHour.ARM64, 0.0044},
		{"sagemaker m5.large", p.SageMaker.Instances["ml.m5.large"].Hourly, 0.14},
		{"sagemaker m5.large memory", p.SageMaker.Instances["ml.m5.large"].MemoryGiB, 8},
		{"sagemaker g4dn gpus", float64(p.SageMaker.Instances["ml.g4dn.xlarge"].GPUs), 1},
		{"sagemaker t2.medium is burstable (the EC2 User Guide's baseline)", p.SageMaker.Instances["ml.t2.medium"].BaselineCPU, 0.20},
		{"sagemaker m5.large is not", p.SageMaker.Instances["ml.m5.large"].BaselineCPU, 0},
		{"sagemaker serverless per GB-s", p.SageMaker.ServerlessPerGBSecond, 0.000024},
		{"sagemaker data", p.SageMaker.DataPerGB, 0.02},
		{"nat hour", p.Network.NATGatewayHour, 0.059},
		{"nat per GB", p.Network.NATGatewayPerGB, 0.059},
		{"public ipv4", p.Network.PublicIPv4Hour, 0.005},
		{"interface endpoint", p.Network.InterfaceEndpointHour, 0.013},
		{"alb hour", p.Network.ALBHour, 0.0252},
		{"alb lcu", p.Network.ALBLCUHour, 0.008},
		{"nlb lcu", p.Network.NLBNLCUHour, 0.006},
		{"kms key", p.Other.KMSKeyMonth, 1},
		{"kms rotation: the key's own monthly price", p.Other.KMSRotationMonth, 1},
		{"kms requests per 10k (after the free range)", p.Other.KMSRequestsPer10k, 0.03},
		{"x-ray recorded per million", p.XRay.RecordedPerMillion, 6},
		{"x-ray retrieved per million", p.XRay.RetrievedPerMillion, 0.6},
		{"x-ray free tier is a rule, kept", p.XRay.FreeRecorded, 100000},
		{"internet out first paid tier", p.DataTransfer.InternetOut.First(), 0.14},
		{"internet out tiers (the free first GB dropped, inter-region ignored)", float64(len(p.DataTransfer.InternetOut)), 4},
		{"internet out first tier size", p.DataTransfer.InternetOut[0].Size, 10239},
		{"internet out last tier", p.DataTransfer.InternetOut[3].Price, 0.12},
		{"internet out free allowance is a rule, kept", p.DataTransfer.FreeInternetOutGB, 100},
		{"sns requests per million (after the free tier range)", p.SNS.RequestsPerMillion, 0.6},
		{"sns email per 100k", p.SNS.EmailPer100k, 2.4},
	}
	for _, tc := range tests {
		if d := tc.got - tc.want; d > 1e-15 || d < -1e-15 {
			t.Errorf("%s = %g, want %g", tc.name, tc.got, tc.want)
		}
	}
	if !strings.Contains(p.Lambda.Source.URL, "lambda.get-products.json (aws pricing get-products AWSLambda)") || p.Lambda.Source.Read != "2026-11-20" {
		t.Errorf("lambda source = %+v", p.Lambda.Source)
	}
	if !strings.Contains(p.APIGateway.Source.URL, "offer file AmazonApiGateway") {
		t.Errorf("api gateway source = %+v", p.APIGateway.Source)
	}
	if !strings.Contains(p.DataTransfer.Source.URL, "offer file AWSDataTransfer") || !strings.Contains(p.XRay.Source.URL, "get-products AWSXRay") {
		t.Errorf("sources: data transfer %+v, x-ray %+v", p.DataTransfer.Source, p.XRay.Source)
	}
	// Every price an estimate of the stacks uses is in the fixtures.
	if len(p.Missing) != 0 {
		t.Errorf("missing = %q, want none", p.Missing)
	}
}

func TestPriceListMissing(t *testing.T) {
	pl, err := LoadPriceList("testdata/pricelist/lambda.get-products.json")
	if err != nil {
		t.Fatal(err)
	}
	p, _ := pl.ForRegion("ap-northeast-2")
	if got := strings.Join(p.Missing, ","); !strings.HasPrefix(got, "apiGateway.rest,apiGateway.http,cloudwatch.alarm") || strings.Contains(got, "lambda.") {
		t.Errorf("missing = %q", got)
	}
	if p.APIGateway.RESTPerRequest() != 0 {
		t.Error("a price the files lack must not be taken from another region")
	}
}

func TestPriceListOverBuiltInRegion(t *testing.T) {
	dir := t.TempDir()
	body, _ := os.ReadFile("testdata/pricelist/ecs.offer.json")
	us := strings.NewReplacer(`"ap-northeast-2"`, `"us-east-1"`, "APN2-", "USE1-", "Asia Pacific (Seoul)", "US East (N. Virginia)").Replace(string(body))
	f := filepath.Join(dir, "ecs-us.json")
	if err := os.WriteFile(f, []byte(us), 0o644); err != nil {
		t.Fatal(err)
	}
	pl, err := LoadPriceList(f)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Resolve("us-east-1", pl)
	if err != nil {
		t.Fatal(err)
	}
	if p.Fargate.VCPUHour.X86_64 != 0.05 || p.Lambda.RequestsPerMillion != 0.20 || len(p.Missing) != 0 {
		t.Errorf("fargate %g (want the file's 0.05), lambda %g (want built-in 0.20), missing %q", p.Fargate.VCPUHour.X86_64, p.Lambda.RequestsPerMillion, p.Missing)
	}
}

func TestPriceListErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, file, want string
	}{
		{"not JSON", write("a.json", "nope"), "a.json: not JSON: want AWS Price List API output"},
		{"other JSON", write("b.json", `{"Resources":{}}`), "b.json: not AWS Price List API output (aws pricing get-products JSON or an offer file)"},
		{"bad item", write("c.json", `{"FormatVersion":"aws_v1","PriceList":["{"]}`), "c.json: PriceList[0]: not a JSON price item"},
		{"missing file", filepath.Join(dir, "none.json"), "none.json: no such file or directory"},
		{"directory without .json files", t.TempDir(), ": a directory without .json files"},
		{"NaN price", write("d.json", offerWith("NaN", "0", "Inf")), `d.json: sku S1: pricePerUnit USD "NaN": want a non-negative number`},
		{"negative price", write("e.json", offerWith("-0.2", "0", "Inf")), `e.json: sku S1: pricePerUnit USD "-0.2": want a non-negative number`},
		{"bad range", write("f.json", offerWith("0.2", "x", "Inf")), `f.json: sku S1: beginRange "x": want a non-negative number`},
		{"range backwards", write("g.json", offerWith("0.2", "10", "5")), `g.json: sku S1: endRange "5" is below beginRange "10"`},
		{"bad item price", write("h.json", `{"FormatVersion":"aws_v1","PriceList":["{\"product\":{\"sku\":\"S2\"},\"terms\":{\"OnDemand\":{\"t\":{\"priceDimensions\":{\"d\":{\"pricePerUnit\":{\"USD\":\"1e999\"}}}}}}}"]}`), `h.json: PriceList[0]: sku S2: pricePerUnit USD "1e999": want a non-negative number`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadPriceList(tc.file)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

// offerWith is an offer file of one Lambda request price with the given
// price and range.
func offerWith(usd, begin, end string) string {
	return `{"offerCode":"AWSLambda","version":"v1","publicationDate":"2026-10-01T00:00:00Z",
"products":{"S1":{"sku":"S1","productFamily":"Serverless","attributes":{"regionCode":"ap-northeast-2","usagetype":"APN2-Request","group":"AWS-Lambda-Requests"}}},
"terms":{"OnDemand":{"S1":{"S1.T":{"priceDimensions":{"S1.T.D":{"unit":"Requests","beginRange":"` + begin + `","endRange":"` + end + `","pricePerUnit":{"USD":"` + usd + `"}}}}}}}}`
}

// FuzzPriceList feeds arbitrary documents to the reader: it must not panic,
// and what it accepts must price every region with finite, non-negative
// numbers.
func FuzzPriceList(f *testing.F) {
	files, _ := filepath.Glob("testdata/pricelist/*.json")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(offerWith("0.2", "0", "Inf")))
	f.Fuzz(func(t *testing.T, data []byte) {
		pl := &PriceList{}
		if err := pl.Add("fuzz.json", data); err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Fatalf("error of more than one line: %q", err)
			}
			return
		}
		for _, region := range pl.Regions() {
			p, ok := pl.ForRegion(region)
			if !ok {
				t.Fatalf("region %q listed but not priced", region)
			}
			checkFinite(t, region, reflect.ValueOf(p))
		}
	})
}

// checkFinite fails on any float64 in v that is NaN, infinite or negative.
func checkFinite(t *testing.T, path string, v reflect.Value) {
	t.Helper()
	switch v.Kind() {
	case reflect.Float64:
		if f := v.Float(); math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
			t.Fatalf("%s = %v", path, f)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			checkFinite(t, path+"."+v.Type().Field(i).Name, v.Field(i))
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			checkFinite(t, fmt.Sprintf("%s[%d]", path, i), v.Index(i))
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			checkFinite(t, fmt.Sprintf("%s[%v]", path, iter.Key()), iter.Value())
		}
	}
}

func TestRulesMatchUSEast1(t *testing.T) {
	r, u := Rules(), Default()
	if r.Lambda.FreeGBSeconds != u.Lambda.FreeGBSeconds || r.Lambda.FreeRequests != u.Lambda.FreeRequests ||
		r.Lambda.EphemeralFreeMiB != u.Lambda.EphemeralFreeMiB || r.Lambda.BillingGranularityMs != u.Lambda.BillingGranularityMs ||
		r.Lambda.ProvisionedGranularityMinutes != u.Lambda.ProvisionedGranularityMinutes || r.Lambda.InitBilled != u.Lambda.InitBilled ||
		r.APIGateway.HTTPMeteringBytes != u.APIGateway.HTTPMeteringBytes || r.Fargate.MinimumBillingMinutes != u.Fargate.MinimumBillingMinutes ||
		r.SageMaker.ServerlessMinMiB != u.SageMaker.ServerlessMinMiB || r.SageMaker.ServerlessMaxMiB != u.SageMaker.ServerlessMaxMiB ||
		r.SageMaker.ServerlessStepMiB != u.SageMaker.ServerlessStepMiB || r.CloudWatch.FreeAlarmMetrics != u.CloudWatch.FreeAlarmMetrics ||
		r.CloudWatch.FreeDashboards != u.CloudWatch.FreeDashboards || r.CloudWatch.FreeCustomMetrics != u.CloudWatch.FreeCustomMetrics ||
		r.CloudWatch.FreeLogsGB != u.CloudWatch.FreeLogsGB || r.SNS.FreeEmails != u.SNS.FreeEmails || r.SNS.FreeRequests != u.SNS.FreeRequests ||
		r.CloudWatch.LogEventOverheadBytes != u.CloudWatch.LogEventOverheadBytes || r.CloudWatch.ContainerInsights != u.CloudWatch.ContainerInsights ||
		r.XRay.FreeRecorded != u.XRay.FreeRecorded || r.XRay.FreeRetrieved != u.XRay.FreeRetrieved ||
		r.XRay.ReservoirPerSecond != u.XRay.ReservoirPerSecond || r.XRay.FixedRate != u.XRay.FixedRate ||
		r.DataTransfer.FreeInternetOutGB != u.DataTransfer.FreeInternetOutGB || r.Other.KMSBilledRotations != u.Other.KMSBilledRotations ||
		r.Other.KMSFreeRequests != u.Other.KMSFreeRequests || r.Other.SQSFreeRequests != u.Other.SQSFreeRequests ||
		r.Other.SchedulerFreeInvocations != u.Other.SchedulerFreeInvocations {
		t.Error("Rules() and us-east-1 disagree on a rule")
	}
}

func TestUsageTypePrefix(t *testing.T) {
	for in, want := range map[string]string{
		"APN2-Lambda-GB-Second": "Lambda-GB-Second", "USE1-Request": "Request", "EU-NatGateway-Hours": "NatGateway-Hours",
		"Lambda-GB-Second": "Lambda-GB-Second", "KMS-Keys": "KMS-Keys", "CW:AlarmMonitorUsage": "CW:AlarmMonitorUsage",
		"Fargate-vCPU-Hours:perCPU": "Fargate-vCPU-Hours:perCPU", "DataProcessing-Bytes": "DataProcessing-Bytes",
	} {
		if got := usage(plProduct{Attributes: map[string]string{"usagetype": in}}); got != want {
			t.Errorf("usage(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestGlobalProducts: a product priced for no region (location "Any", as
// AWS lists CloudWatch dashboards) prices every region the files price,
// and a region's own product wins over it whichever file comes first.
func TestGlobalProducts(t *testing.T) {
	item := func(sku, usage, region, usd string) string {
		attrs := map[string]string{"servicecode": "AmazonCloudWatch", "usagetype": usage, "location": "Any"}
		if region != "" {
			attrs["regionCode"], attrs["location"] = region, ""
		}
		b, _ := json.Marshal(map[string]any{
			"product": map[string]any{"sku": sku, "productFamily": "Dashboard", "attributes": attrs}, "serviceCode": "AmazonCloudWatch",
			"publicationDate": "2026-11-20T00:00:00Z",
			"terms": map[string]any{"OnDemand": map[string]any{sku + ".T": map[string]any{"priceDimensions": map[string]any{
				sku + ".T.D": map[string]any{"unit": "Dashboards", "beginRange": "0", "endRange": "Inf", "pricePerUnit": map[string]any{"USD": usd}}}}}},
		})
		doc, _ := json.Marshal(map[string]any{"FormatVersion": "aws_v1", "PriceList": []string{string(b)}})
		return string(doc)
	}
	global := item("G", "DashboardsUsageHour", "", "3.00")
	seoul := item("S", "APN2-DashboardsUsageHour", "ap-northeast-2", "3.60")
	tokyo := item("A", "APN1-CW:AlarmMonitorUsage", "ap-northeast-1", "0.11")
	seoulAlarm := item("SA", "APN2-CW:AlarmMonitorUsage", "ap-northeast-2", "0.12")
	for _, order := range [][]string{{global, seoul, tokyo}, {seoul, tokyo, global}, {tokyo, global, seoul}, {seoulAlarm, tokyo, global, seoul}} {
		pl := &PriceList{}
		for i, doc := range order {
			if err := pl.Add(fmt.Sprintf("f%d.json", i), []byte(doc)); err != nil {
				t.Fatal(err)
			}
		}
		s, _ := pl.ForRegion("ap-northeast-2")
		k, _ := pl.ForRegion("ap-northeast-1")
		if s.CloudWatch.DashboardMonth != 3.60 || k.CloudWatch.DashboardMonth != 3.00 || slices.Contains(k.Missing, "cloudwatch.dashboard") {
			t.Errorf("dashboards: Seoul $%.2f (want its own $3.60), Tokyo $%.2f (want the global $3.00), Tokyo missing %q",
				s.CloudWatch.DashboardMonth, k.CloudWatch.DashboardMonth, k.Missing)
		}
		if got := pl.Regions(); !slices.Equal(got, []string{"ap-northeast-1", "ap-northeast-2"}) {
			t.Errorf("regions %q: a global product makes no region of its own", got)
		}
	}
}
