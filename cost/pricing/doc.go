// Package pricing holds the AWS prices costguard estimates with: one table
// per service, each with the page it was read from and the date it was read,
// keyed by region so that regions are data rather than code.
//
// Only us-east-1 is built in: the other regions' pages could not be read
// from a stored copy, and a price is never guessed. Any other region is
// priced from AWS's own data: [FetchPriceList] downloads a region's offer
// files from the public Price List Bulk API (the CLI's `prices fetch`; the
// only network access in costguard, never at synth), [LoadPriceList] reads
// AWS Price List API output (the JSON of `aws pricing get-products` or a
// bulk offer file) and [Resolve] prefers those tables to the built-in ones. A region priced only
// from files starts from [Rules] (free tiers and billing steps, which the
// Price List does not carry) and lists the prices the files lacked in
// [Prices.Missing]. Add a built-in region by adding an entry to the
// regions map in regions.go, with its source and the date it was read.
//
// Prices are in US dollars per the unit named in the field or its doc
// comment. Per-million and per-hour prices keep AWS's published figures
// exactly; helpers such as [Lambda.PerRequest] convert them to per-unit
// prices for metric math. Monthly figures assume [HoursPerMonth], the 730
// hours AWS uses in its own examples.
//
// Tiered prices ([Tiered]) apply per account, per region and per month: the
// estimate of one workload assumes it is the only user of the tier, which is
// the conservative choice (the first tier is the most expensive).
package pricing
