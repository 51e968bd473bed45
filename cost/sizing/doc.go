// Package sizing right-sizes an inference function: its timeout from a
// latency profile ([RightSizeTimeout]) and its memory from a
// duration-by-memory profile ([Recommend]).
//
// A profile comes from AWS Lambda Power Tuning's output or a simple
// {"memory_mb": avg_ms} map ([ParseProfile]), or, when nothing was measured
// on Lambda, from CPU time measured locally ([AnalyticProfile]): Lambda
// gives a function CPU in proportion to its memory, one vCPU at 1,769 MB and
// six at 10,240 MB ([VCPUs]).
//
// It is pure Go with no CDK import; the inference construct and the
// costguard CLI both use it, so the synthesized stack and the CLI agree.
package sizing
