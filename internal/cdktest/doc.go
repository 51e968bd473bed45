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
//
// Synths are slow (seconds each): share one app across a package's tests
// where that does not weaken them. [NewAppIn] with [SharedDir] gives such an
// app an output directory that outlives the test that built it (call
// [RemoveSharedDir] from TestMain). Build every stack before the first
// template is read: an app cannot change after it synthesized. [NagFindings]
// lists what cdk-nag left unsuppressed.
package cdktest
