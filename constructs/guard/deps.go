//go:build costguard_deps

package guard

// The kill switch's packages, imported for the module graph only. `go mod
// tidy` reads files of every build tag, so a module that requires costguard
// for this package also requires, and keeps in go.sum, every module that
// building KillSwitchPackage in it needs; the tag keeps them out of the CDK
// app's own build. TestKillSwitchDepsImported proves the list complete.
import (
	_ "github.com/aws/aws-lambda-go/lambda"
	_ "github.com/aws/aws-sdk-go-v2/config"
	_ "github.com/costguard-ml/costguard/internal/killswitch"
)
