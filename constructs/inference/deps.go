//go:build costguard_deps

package inference

// The model server's packages, imported for the module graph only. `go mod
// tidy` reads files of every build tag, so a module that requires costguard
// for this package also requires, and keeps in go.sum, every module that
// building ModelServerPackage in it needs; the tag keeps them out of the CDK
// app's own build. TestModelServerDepsImported proves the list complete.
import _ "github.com/costguard-ml/costguard/lambda/server"
