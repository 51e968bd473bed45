// Package stacks composes the costguard constructs into one stack per
// environment (stage).
//
// The stages dev, staging and prod are one typed table, [Stages]. The app in
// bin/ picks the stages to build (all by default, one with -c stage=NAME),
// applies context overrides (-c memoryMiB=2048, see [Overrides]), builds the
// model server for the stage's architecture ([HandlerCode]) and calls
// [NewCostguardStack].
package stacks
