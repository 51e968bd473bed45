// Package limits holds the AWS service limits that costguard designs around,
// in one place, each with its source and the date it was read. Constructs
// validate against them, the sizing and placement logic decides with them,
// and the documentation quotes them.
package limits
