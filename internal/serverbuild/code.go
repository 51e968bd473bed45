package serverbuild

import (
	"fmt"
	"os"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awss3assets"
	"github.com/aws/jsii-runtime-go"
)

// bundlingImage is only named because the CDK requires an image for
// bundling; costguard always builds locally and never runs Docker.
const bundlingImage = "public.ecr.aws/docker/library/golang:1.26-bookworm"

// LambdaCode returns Lambda function code built by [Options.Build]: an
// asset whose hash is derived from [Options.Fingerprint] alone, and whose
// bundling runs the build locally (Go is all it needs; no Docker). When the
// app skips bundling (tests, or `cdk synth` of other stacks) nothing is
// built. The options are checked and fingerprinted now, so a bad package,
// architecture or extra file fails here, at synth, in one line each.
func (o Options) LambdaCode() (awslambda.Code, error) {
	r, err := o.resolve()
	if err != nil {
		return nil, err
	}
	hash, err := r.fingerprint()
	if err != nil {
		return nil, err
	}
	// The asset's source directory is never read (the hash is custom and
	// the bundling is local); the module's directory is one that exists.
	src, err := ModuleDir(r.Dir)
	if err != nil {
		return nil, err
	}
	return awslambda.Code_FromAsset(jsii.String(src), &awss3assets.AssetOptions{
		AssetHash:     jsii.String(hash),
		AssetHashType: awscdk.AssetHashType_CUSTOM,
		Bundling: &awscdk.BundlingOptions{
			Image: awscdk.DockerImage_FromRegistry(jsii.String(bundlingImage)),
			// Runs only if the local build failed (its error is printed
			// above); it fails too, with a pointer to that error.
			Command: jsii.Strings("sh", "-c", "echo 'costguard builds "+r.Package+" locally; see the error above' >&2; exit 1"),
			Local:   &localBundling{o: r.Options},
		},
	}), nil
}

// localBundling implements awscdk.ILocalBundling with [Options.Build].
type localBundling struct{ o Options }

// TryBundle builds into outputDir; on failure it prints why and returns
// false.
func (l *localBundling) TryBundle(outputDir *string, _ *awscdk.BundlingOptions) *bool {
	if err := l.o.Build(*outputDir); err != nil {
		fmt.Fprintf(os.Stderr, "costguard: building %s failed: %v\n", l.o.Package, err)
		return jsii.Bool(false)
	}
	return jsii.Bool(true)
}
