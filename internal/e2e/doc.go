// Package e2e holds tests that run costguard's pieces together on a real
// synthesized cloud assembly: the CDK app (package stacks) synthesized as
// `cdk synth` does (bundling skipped), read by cost/assembly and priced by
// cost/report, through the costguard CLI as a user types it. It keeps the
// CDK out of cost/ and cmd/costguard/ and imports neither into stacks/.
package e2e
