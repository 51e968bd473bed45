// Package estimate turns a workload into an itemised monthly bill: one
// [Line] per charge, each rounded to the cent, and a total that is the sum
// of the rounded lines.
//
// That rounding is AWS's own: every worked example on the Lambda and API
// Gateway pricing pages computes each charge from unrounded quantities,
// rounds that charge to the cent, and adds the rounded charges (3 million
// requests at 120 ms and 1,536 MB: compute $2.333338 → $2.33, requests
// $0.40, total $2.73). Quantities are never rounded except where AWS meters
// in steps: duration up to the next 1 ms, provisioned concurrency time up to
// the next 5 minutes, HTTP API requests in 512 KB steps.
//
// Free tiers and volume tiers are per account and per month; an estimate
// treats the workload as the account's only user of them, so it is an
// upper bound when the free tier is off and a lower bound when it is on.
package estimate
