package cdktest

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsec2"
	"github.com/aws/jsii-runtime-go"
)

func TestContextCarriesCDKJSON(t *testing.T) {
	ctx := Context(t)
	for _, key := range []string{
		"@aws-cdk/aws-lambda:useCdkManagedLogGroup",
		"@aws-cdk/aws-apigateway:disableCloudWatchRole",
		"aws:cdk:enable-path-metadata",
	} {
		if _, ok := ctx[key]; !ok {
			t.Errorf("Context() has no %q", key)
		}
	}
}

func TestNormalize(t *testing.T) {
	h := strings.Repeat("ab", 32)
	tmpl := map[string]any{"Resources": map[string]any{"Fn": map[string]any{
		"Properties": map[string]any{"Code": map[string]any{"S3Key": h + ".zip"}},
	}}}
	got := Normalize(tmpl)
	if strings.Contains(got, h) || !strings.Contains(got, NormalizedHash+".zip") {
		t.Errorf("Normalize() = %s, want the hash replaced by %s", got, NormalizedHash)
	}
	v := Normalize(map[string]any{"Ref": "FnCurrentVersion1DB4BD263ccbef8489cb8ad148cc854066fc09d8"})
	if !strings.Contains(v, "FnCurrentVersion1DB4BD26"+NormalizedVersion) {
		t.Errorf("Normalize() = %s, want the version hash replaced", v)
	}
	if hs := AssetHashes(tmpl); len(hs) != 1 || hs[0] != h {
		t.Errorf("AssetHashes() = %v, want [%s]", hs, h)
	}
}

func TestDiff(t *testing.T) {
	tests := []struct {
		name, want, got string
		contains        []string
	}{
		{name: "changed line", want: "a\nb\nc\n", got: "a\nB\nc\n", contains: []string{"- b", "+ B", "  a"}},
		{name: "added line", want: "a\nc\n", got: "a\nb\nc\n", contains: []string{"+ b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := Diff(tc.want, tc.got)
			for _, c := range tc.contains {
				if !strings.Contains(d, c) {
					t.Errorf("Diff() = %q, want it to contain %q", d, c)
				}
			}
		})
	}
}

func TestNewAppSkipsBundling(t *testing.T) {
	app := NewApp(t)
	v := app.Node().TryGetContext(jsii.String(BundlingStacksContext))
	if s, ok := v.([]any); !ok || len(s) != 0 {
		t.Errorf("context %s = %#v, want an empty list", BundlingStacksContext, v)
	}
}

// TestAwsSolutionsFindings proves the helper reports an unsuppressed
// finding, so a clean result in a construct's test means something.
func TestAwsSolutionsFindings(t *testing.T) {
	stack := awscdk.NewStack(NewApp(t), jsii.String("NagHarness"), nil)
	AddNagChecks(stack)
	awsec2.NewVpc(stack, jsii.String("Bare"), &awsec2.VpcProps{MaxAzs: jsii.Number(1), NatGateways: jsii.Number(0)})
	f := AwsSolutionsFindings(t, stack)
	if !slices.ContainsFunc(f, func(s string) bool { return strings.Contains(s, "AwsSolutions-VPC7") }) {
		t.Errorf("AwsSolutionsFindings = %q, want an AwsSolutions-VPC7 finding for a VPC without flow logs", f)
	}
}
