// Package sizing right-sizes an inference function: its timeout from a
// latency profile and its memory from a duration-by-memory profile.
//
// It is pure Go with no CDK import; the inference construct and the
// costguard CLI both use it, so the synthesized stack and the CLI agree.
package sizing
