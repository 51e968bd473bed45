// Package stacks composes the costguard constructs into one stack per
// environment (stage).
//
// The stages dev, staging and prod are one typed table, [Stages]. The app in
// bin/ picks the stages to build (all by default, one with -c stage=NAME),
// applies context overrides (-c memoryMiB=2048, -c modelDir=PATH,
// -c architecture=x86_64, see [OverrideKeys]), packages the model server with
// the stage's model for its architecture and tier (inference.ModelServerCode
// or service.ModelServerImage) and calls [NewCostguardStack].
package stacks
