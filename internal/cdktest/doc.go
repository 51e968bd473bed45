// Package cdktest holds the test helpers shared by costguard's construct and
// stack tests.
//
// [NewApp] builds an app that carries cdk.json's feature flags and the
// settings the CDK CLI passes to a synth (path metadata, asset metadata,
// version reporting), and skips bundling, so a test synthesizes the same
// template `cdk synth` does without building any asset. [Golden] compares a
// template with a committed golden file, asset hashes normalised, and
// rewrites it when the test binary runs with -update:
//
//	go test ./stacks/... -update
package cdktest
