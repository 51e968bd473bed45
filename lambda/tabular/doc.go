// Package tabular decodes one tabular instance, a JSON value, into the
// float32 row a scikit-learn-style model takes.
//
// A row is a JSON array of exactly [Spec.Width] numbers in the model's
// feature order, or, when [Spec.Features] names the columns, an object
// holding every feature exactly once:
//
//	[13.2, 1.78, 2.14]
//	{"alcohol": 13.2, "malic_acid": 1.78, "ash": 2.14}
//
// Strings, null, booleans and nested values are refused (a quoted number
// is a string), as are numbers outside float32's range, unknown names (the
// error suggests the nearest known one), repeated names and missing ones
// (listed). Errors are *[Error] values whose Field locates the problem
// inside the row ("[3]", "alcohol") and whose text names it:
//
//	row has 12 numbers, want 13
//	element 2: got null, want a number
//	feature "alcohol": missing
//	unknown feature "alcohal" (did you mean "alcohol"?)
//
// # Implementation
//
// [Spec.DecodeRow] is a small hand-written scanner, not encoding/json: it
// writes straight into the caller's row, validates the JSON grammar of what
// it reads, stops at the first problem, never recurses, and allocates
// nothing per number (strconv.ParseFloat on a stack copy of the token).
// Work is linear in the row's bytes times, for objects whose keys are out
// of model order, the number of features.
//
// go test -bench . -benchmem on a 13-column wine row (2-core shared AMD
// EPYC, Go 1.26): array 1.3 µs/op, object out of order 1.9 µs/op, both 0
// allocs; encoding/json into []float32 2.2-5 µs/op, 7 allocs.
//
// # Fuzzing
//
// FuzzDecodeRow checks DecodeRow against encoding/json as an oracle: it
// accepts a row exactly when encoding/json reads it as Width numbers in
// float32 range (or an object with each feature once), with equal values,
// and otherwise returns an *Error. Run on 2026-11-30:
//
//	go test -run '^$' -fuzz FuzzDecodeRow -fuzztime 1000000x -parallel 1 ./lambda/tabular
//	1,000,000 executions, no failure (391 corpus entries).
package tabular
