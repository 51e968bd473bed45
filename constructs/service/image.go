package service

import (
	"errors"

	"github.com/aws/aws-cdk-go/awscdk/v2/awsecrassets"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"

	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/modelserver"
)

// ModelServerImage returns the [ImageFunc] of the model server serving the
// model in modelDir (absolute or relative to the working directory; checked
// now like inference.ModelServerCode checks it): for each architecture, an
// image asset whose build context holds the model server built by import
// path in the working directory's module (the same reproducible build as
// the Lambda code, for linux/arm64 or linux/amd64), the model directory's
// files in model/ and a generated Dockerfile. The image's ENTRYPOINT is
// the server: the HTTP face on $PORT without arguments (Fargate), the
// SageMaker face with SageMaker's "serve" argument. There is no default
// model: the image carries modelDir's.
//
// Synth builds the server (Go is all it needs) and stages the context;
// only `cdk deploy` builds the image, with Docker or Finch. The asset's
// hash follows the fingerprint of the build, so it changes with the
// sources and the model and nothing else. A Fargate or SageMaker Image
// prop set by the caller still wins over it.
func ModelServerImage(modelDir string) (ImageFunc, error) {
	if _, _, err := modelserver.CheckModelDir(modelDir); err != nil {
		return nil, err
	}
	return func(scope constructs.Construct, id string, arch workload.Architecture) (awsecrassets.DockerImageAsset, error) {
		dir, fp, err := stageImage(modelDir, arch)
		if err != nil {
			return nil, err
		}
		platform := awsecrassets.Platform_LINUX_ARM64()
		if arch == workload.ArchX86_64 {
			platform = awsecrassets.Platform_LINUX_AMD64()
		}
		return awsecrassets.NewDockerImageAsset(scope, jsii.String(id), &awsecrassets.DockerImageAssetProps{
			Directory: jsii.String(dir),
			Platform:  platform,
			ExtraHash: jsii.String(modelserver.ImageHash(fp)),
		}), nil
	}, nil
}

func stageImage(modelDir string, arch workload.Architecture) (string, string, error) {
	o, err := modelserver.Build(modelDir, arch)
	if err != nil {
		return "", "", err
	}
	dir, fp, err := modelserver.StageImage(o)
	if err != nil {
		return "", "", errors.Join(errors.New("ContainerImage: building the model server image failed"), err)
	}
	return dir, fp, nil
}
