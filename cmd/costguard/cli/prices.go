package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/pricing"
)

func init() {
	Register(Command{
		Name:    "prices",
		Summary: "import AWS Price List files: which region and prices they give, for --prices",
		Usage:   "costguard prices import FILE... [--json]",
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
	f.fs.Func("prices", "AWS Price List file (aws pricing get-products JSON or an offer file); repeat or separate with commas", func(s string) error {
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
	if len(args) == 0 || args[0] != "import" {
		if len(args) > 0 && (args[0] == "--help" || args[0] == "-h" || args[0] == "-help") {
			return runPricesImport(env, args)
		}
		got := ""
		if len(args) > 0 {
			got = fmt.Sprintf(" (got %q)", args[0])
		}
		return Usagef("want a subcommand: import%s", got)
	}
	return runPricesImport(env, args[1:])
}

func runPricesImport(env Env, args []string) error {
	f := NewFlags("prices import", "costguard prices import FILE... [--json]\n\n"+
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
