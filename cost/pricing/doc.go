// Package pricing holds the AWS prices costguard estimates with: one table
// per service, each with the page it was read from and the date it was read,
// keyed by region so that regions are data rather than code.
//
// Only us-east-1 is priced today. Add a region by adding an entry to the
// regions map in regions.go; every price is a plain field, so a region that
// differs in one price copies us-east-1 and overrides it.
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
