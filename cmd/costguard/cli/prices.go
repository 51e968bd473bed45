package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/pricing"
)

func init() {
	Register(Command{
		Name:    "prices",
		Summary: "fetch a region's prices from the AWS Price List, or import Price List files: which region and prices they give, for --prices",
		Usage:   "costguard prices fetch --region R [--dir DIR] | costguard prices import FILE... [--json]",
		Run:     runPrices,
	})
}

// priceChoice is the --region and --prices flags of a command that prices.
type priceChoice struct {
	region *string
	files  []string
}

// regionFlag adds --region and --prices: the region whose prices apply and
// the AWS Price List files that price it (over the built-in tables).
func regionFlag(f *Flags) *priceChoice {
	c := &priceChoice{}
	c.region = f.String("region", pricing.DefaultRegion, "region whose prices apply: built in "+strings.Join(pricing.Regions(), ", ")+", any other from --prices")
	pricesFlag(f, &c.files)
	return c
}

// pricesFlag adds --prices, repeatable or comma-separated.
func pricesFlag(f *Flags, files *[]string) {
	f.fs.Func("prices", "AWS Price List file (aws pricing get-products JSON or an offer file) or a directory of them (prices fetch); repeat or separate with commas", func(s string) error {
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				*files = append(*files, p)
			}
		}
		return nil
	})
}

// loadPrices reads the --prices files, nil for none.
func loadPrices(files []string) (*pricing.PriceList, error) {
	if len(files) == 0 {
		return nil, nil
	}
	pl, err := pricing.LoadPriceList(files...)
	if err != nil {
		return nil, Usagef("--prices: %v", err)
	}
	return pl, nil
}

// prices resolves the chosen region's tables.
func (c *priceChoice) prices() (pricing.Prices, error) {
	pl, err := loadPrices(c.files)
	if err != nil {
		return pricing.Prices{}, err
	}
	p, err := pricing.Resolve(*c.region, pl)
	if err != nil {
		return pricing.Prices{}, Usagef("--region: %v", err)
	}
	return p, nil
}

// withMissing notes the prices an imported region lacked.
func withMissing(e estimate.Estimate, p pricing.Prices) estimate.Estimate {
	if len(p.Missing) > 0 {
		e.Notes = append(e.Notes, fmt.Sprintf("not in the imported Price List files for %s, so counted as $0: %s", p.Region, strings.Join(p.Missing, ", ")))
	}
	return e
}

type importedRegion struct {
	Region  string         `json:"region"`
	Found   []string       `json:"found"`
	Missing []string       `json:"missing,omitempty"`
	Prices  pricing.Prices `json:"prices"`
}

func runPrices(env Env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "import":
			return runPricesImport(env, args[1:])
		case "fetch":
			return runPricesFetch(env, args[1:])
		case "--help", "-h", "-help":
			return &helpError{text: "usage: costguard prices fetch --region R [--dir DIR] [--service CODE[,CODE]] [--endpoint URL] [--json]\n" +
				"       costguard prices import FILE|DIR... [--json]\n\n" +
				"fetch downloads a region's prices from the public AWS Price List Bulk API and\n" +
				"keeps what costguard prices; import reads Price List files (fetch's, the bulk\n" +
				"offer files or `aws pricing get-products` JSON) and shows which region and\n" +
				"prices they give. Pass the files, or their directory, to any command with\n" +
				"--prices and to synth with -c pricesFile=.\n\n" +
				"Run `costguard prices fetch --help` or `costguard prices import --help` for the flags.\n"}
		}
	}
	got := ""
	if len(args) > 0 {
		got = fmt.Sprintf(" (got %q)", args[0])
	}
	return Usagef("want a subcommand: fetch or import%s", got)
}

// fetchTimeout bounds one `prices fetch`: AmazonEC2's regional offer file
// is hundreds of megabytes.
const fetchTimeout = 30 * time.Minute

func runPricesFetch(env Env, args []string) error {
	f := NewFlags("prices fetch", "costguard prices fetch --region R [--dir DIR] [--service CODE[,CODE]] [--endpoint URL] [--json]\n\n"+
		"Downloads the region's current offer files from the AWS Price List Bulk API\n"+
		"(public, no credentials: "+pricing.PriceListEndpoint+"/offers/v1.0/aws/SERVICE/current/region_index.json,\n"+
		"then the region's file), keeps the products costguard prices with their\n"+
		"on-demand terms, and writes DIR/SERVICE.REGION.offer.json. Services by default:\n"+
		"  "+strings.Join(pricing.FetchServices, ", ")+"\n"+
		"(AmazonEC2's file is large: it lists every instance type; it holds the NAT\n"+
		"gateway). Then price with --prices DIR, and synth with -c pricesFile=DIR.\n"+
		"Nothing else in costguard reaches the network; synth never does.")
	region := f.String("region", "", "region to fetch, such as ap-northeast-2")
	dir := f.String("dir", "prices", "directory the offer files are written to")
	endpoint := f.String("endpoint", pricing.PriceListEndpoint, "Price List Bulk API endpoint")
	var services []string
	f.fs.Func("service", "offer code to fetch (default: every service costguard prices); repeat or separate with commas", func(s string) error {
		for _, p := range strings.Split(s, ",") {
			if p = strings.TrimSpace(p); p != "" {
				services = append(services, p)
			}
		}
		return nil
	})
	format := outputFlags(f)
	f.Require("region")
	if err := f.ParseNoArgs(args); err != nil {
		return err
	}
	opts := pricing.FetchOptions{Endpoint: *endpoint, Services: services, Client: &http.Client{},
		Progress: func(svc, u string) { fmt.Fprintf(env.Stderr, "%s: fetching %s\n", svc, u) }}
	if err := pricing.CheckFetch(*region, opts); err != nil {
		return Usagef("%v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
	defer cancel()
	got, err := pricing.FetchPriceList(ctx, *region, *dir, opts)
	if err != nil {
		return err
	}
	var files []string
	for _, g := range got {
		if g.Skipped == "" {
			files = append(files, g.File)
		}
	}
	pl, err := pricing.LoadPriceList(files...)
	if err != nil {
		return err
	}
	p, _ := pl.ForRegion(*region)
	if format() == FormatJSON {
		return writeJSON(env.Stdout, struct {
			Files   []pricing.Fetched `json:"files"`
			Missing []string          `json:"missing,omitempty"`
		}{got, p.Missing})
	}
	for _, g := range got {
		if g.Skipped != "" {
			fmt.Fprintf(env.Stdout, "%s: skipped: %s\n", g.Service, g.Skipped)
			continue
		}
		fmt.Fprintf(env.Stdout, "%s: %d of %d products kept from %s\n", g.File, g.Products, g.Total, g.URL)
	}
	if len(p.Missing) > 0 {
		fmt.Fprintf(env.Stdout, "missing (counted as $0): %s\n", strings.Join(p.Missing, ", "))
	}
	fmt.Fprintf(env.Stdout, "price with --prices %s (synth: -c pricesFile=%s)\n", *dir, *dir)
	return nil
}

func runPricesImport(env Env, args []string) error {
	f := NewFlags("prices import", "costguard prices import FILE|DIR... [--json]\n\n"+
		"Reads AWS Price List API output for Lambda, API Gateway, CloudWatch, Fargate\n"+
		"(AmazonECS), SageMaker, NAT gateways (AmazonEC2), public IPv4 and endpoints\n"+
		"(AmazonVPC), load balancers (AWSELB), KMS (awskms), SNS, X-Ray (AWSXRay) and\n"+
		"data transfer out (AWSDataTransfer; filter on fromRegionCode): the JSON printed by\n"+
		"  aws pricing get-products --region us-east-1 --service-code AWSLambda \\\n"+
		"    --filters Type=TERM_MATCH,Field=regionCode,Value=eu-west-1 > lambda.json\n"+
		"or a bulk offer file (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/SERVICE/current/REGION/index.json).\n"+
		"Prints the regions and prices the files give and those they lack; pass the\n"+
		"same files to any command with --prices FILE (and to synth with -c pricesFile=).")
	format := outputFlags(f)
	if err := f.Parse(args); err != nil {
		return err
	}
	if len(f.Args()) == 0 {
		return Usagef("want one or more AWS Price List files")
	}
	pl, err := pricing.LoadPriceList(f.Args()...)
	if err != nil {
		return Usagef("%v", err)
	}
	if len(pl.Regions()) == 0 {
		return Usagef("%s: no product costguard prices (Lambda, API Gateway, CloudWatch, Fargate, SageMaker, NAT/VPC, load balancers, KMS, SNS, X-Ray, data transfer)", strings.Join(f.Args(), ", "))
	}
	var out []importedRegion
	for _, r := range pl.Regions() {
		p, _ := pl.ForRegion(r)
		out = append(out, importedRegion{Region: r, Found: pl.Found(r), Missing: p.Missing, Prices: p})
	}
	if format() == FormatJSON {
		return writeJSON(env.Stdout, out)
	}
	writeImported(env.Stdout, out)
	return nil
}

func writeImported(w io.Writer, rs []importedRegion) {
	for _, r := range rs {
		fmt.Fprintf(w, "%s: %d prices imported\n", r.Region, len(r.Found))
		for _, f := range r.Found {
			fmt.Fprintf(w, "  %s\n", f)
		}
		if len(r.Missing) > 0 {
			fmt.Fprintf(w, "  missing (counted as $0 until imported): %s\n", strings.Join(r.Missing, ", "))
		}
		if len(r.Prices.Unread) > 0 {
			fmt.Fprintf(w, "  not read from Price List files (counted as $0 where a template has them): %s\n", strings.Join(r.Prices.Unread, ", "))
		}
	}
}
