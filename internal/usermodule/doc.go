// Package usermodule holds the acceptance test of the library user's path
// (issue 9, "packaging from any Go module"): a throwaway Go module outside
// the repository, which requires costguard through a replace of this
// checkout, deploys its own model directory with the cost guard through
// the public API alone, is synthesized by the real CDK CLI, and the asset
// it produces answers under the Lambda Runtime Interface Emulator.
package usermodule
