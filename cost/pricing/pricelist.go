package pricing

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// PriceListFormat names the two AWS Price List outputs [LoadPriceList]
// reads, as AWS documents them ("Reading the service price list files",
// AWS Billing User Guide, https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/reading-service-price-list-file-for-services.html):
//
//   - the JSON printed by `aws pricing get-products` (GetProducts):
//     {"FormatVersion": "aws_v1", "PriceList": ["{\"product\": …, \"terms\": …}", …]},
//     each element a JSON document in a string;
//   - a bulk offer file (the Price List Bulk API, or GetPriceListFileUrl):
//     {"offerCode", "version", "publicationDate", "products": {SKU: {…}},
//     "terms": {"OnDemand": {SKU: {OFFER_TERM: {"priceDimensions": …}}}}}.
//
// Only OnDemand terms in USD are read.
const PriceListFormat = "AWS Price List API output (aws pricing get-products JSON or an offer file)"

// PriceList is the price tables read from AWS Price List files, by region.
type PriceList struct {
	regions map[string]*imported
	// globals are the products priced for no region (location "Any":
	// CloudWatch dashboards, for one); they price every region the files
	// price, unless a product of that region gives the same price.
	globals []rate
	// scratch marks a list used only to learn which fields a rate sets
	// (fieldsOf): its regions start empty, not from the rules or a
	// built-in table.
	scratch bool
}

// imported is one region's tables as read, which prices were found, and
// which of those came from global products.
type imported struct {
	p      Prices
	found  map[string]bool
	global map[string]bool
}

type plProduct struct {
	SKU           string            `json:"sku"`
	ProductFamily string            `json:"productFamily"`
	Attributes    map[string]string `json:"attributes"`
}

type plDimension struct {
	Unit          string            `json:"unit"`
	BeginRange    string            `json:"beginRange"`
	EndRange      string            `json:"endRange"`
	StartingRange string            `json:"startingRange"`
	EndingRange   string            `json:"endingRange"`
	PricePerUnit  map[string]string `json:"pricePerUnit"`
	Description   string            `json:"description"`
}

type plTerm struct {
	PriceDimensions map[string]plDimension `json:"priceDimensions"`
}

// offer is the bulk offer file (and what [FetchPriceList] writes).
type offer struct {
	FormatVersion   string                                  `json:"formatVersion,omitempty"`
	Disclaimer      string                                  `json:"disclaimer,omitempty"`
	OfferCode       string                                  `json:"offerCode"`
	Version         string                                  `json:"version"`
	PublicationDate string                                  `json:"publicationDate"`
	Products        map[string]plProduct                    `json:"products"`
	Terms           map[string]map[string]map[string]plTerm `json:"terms"`
}

// getProducts is `aws pricing get-products` output.
type getProducts struct {
	FormatVersion string   `json:"FormatVersion"`
	PriceList     []string `json:"PriceList"`
}

// priceItem is one element of getProducts.PriceList.
type priceItem struct {
	Product         plProduct                    `json:"product"`
	ServiceCode     string                       `json:"serviceCode"`
	Version         string                       `json:"version"`
	PublicationDate string                       `json:"publicationDate"`
	Terms           map[string]map[string]plTerm `json:"terms"`
}

// rate is one priced product, flattened.
type rate struct {
	service string
	product plProduct
	tiers   []tierRange
	source  Source
}

type tierRange struct {
	begin, end float64 // end is +Inf for the last
	price      float64
}

// LoadPriceList reads AWS Price List files (see [PriceListFormat]) for
// Lambda, API Gateway, CloudWatch, Fargate (AmazonECS), SageMaker, NAT
// gateways and load balancers (AmazonEC2, AmazonVPC, AWSELB), KMS, SNS,
// X-Ray and data transfer out (AWSDataTransfer), and returns their prices
// by region. A directory stands for the .json files in it (what
// [FetchPriceList] writes). Products it does not map are skipped.
func LoadPriceList(files ...string) (*PriceList, error) {
	pl := &PriceList{regions: map[string]*imported{}}
	if len(files) == 0 {
		return nil, errors.New("no Price List file given")
	}
	var expanded []string
	for _, f := range files {
		// A directory stands for its .json files (what prices fetch wrote).
		if st, err := os.Stat(f); err == nil && st.IsDir() {
			in, err := filepath.Glob(filepath.Join(f, "*.json"))
			if err != nil {
				return nil, err
			}
			if len(in) == 0 {
				return nil, fmt.Errorf("%s: a directory without .json files", f)
			}
			sort.Strings(in)
			expanded = append(expanded, in...)
			continue
		}
		expanded = append(expanded, f)
	}
	for _, f := range expanded {
		data, err := os.ReadFile(f)
		if err != nil {
			var pe *os.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if err := pl.Add(f, data); err != nil {
			return nil, err
		}
	}
	return pl, nil
}

// Add reads one Price List document, named name in messages and sources.
func (pl *PriceList) Add(name string, data []byte) error {
	if pl.regions == nil {
		pl.regions = map[string]*imported{}
	}
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return fmt.Errorf("%s: not JSON: want %s", name, PriceListFormat)
	}
	var rates []rate
	switch {
	case probe["PriceList"] != nil:
		var gp getProducts
		if err := json.Unmarshal(data, &gp); err != nil {
			return fmt.Errorf("%s: PriceList: %v", name, err)
		}
		for i, s := range gp.PriceList {
			var it priceItem
			if err := json.Unmarshal([]byte(s), &it); err != nil {
				return fmt.Errorf("%s: PriceList[%d]: not a JSON price item: %v", name, i, err)
			}
			src := Source{URL: name + " (aws pricing get-products " + it.ServiceCode + ")", Read: day(it.PublicationDate)}
			for _, t := range it.Terms["OnDemand"] {
				tiers, err := tiersOf(it.Product.SKU, t)
				if err != nil {
					return fmt.Errorf("%s: PriceList[%d]: %v", name, i, err)
				}
				rates = append(rates, rate{service: it.ServiceCode, product: it.Product, tiers: tiers, source: src})
			}
		}
	case probe["products"] != nil && probe["terms"] != nil:
		var o offer
		if err := json.Unmarshal(data, &o); err != nil {
			return fmt.Errorf("%s: offer file: %v", name, err)
		}
		src := Source{URL: name + " (AWS Price List offer file " + o.OfferCode + " " + o.Version + ")", Read: day(o.PublicationDate)}
		skus := make([]string, 0, len(o.Terms["OnDemand"]))
		for sku := range o.Terms["OnDemand"] {
			skus = append(skus, sku)
		}
		sort.Strings(skus)
		for _, sku := range skus {
			prod, ok := o.Products[sku]
			if !ok {
				continue
			}
			for _, t := range o.Terms["OnDemand"][sku] {
				tiers, err := tiersOf(sku, t)
				if err != nil {
					return fmt.Errorf("%s: %v", name, err)
				}
				rates = append(rates, rate{service: o.OfferCode, product: prod, tiers: tiers, source: src})
			}
		}
	default:
		return fmt.Errorf("%s: not %s", name, PriceListFormat)
	}
	for _, r := range rates {
		code := regionOf(r.product)
		if code == "" {
			pl.globals = append(pl.globals, r)
			continue
		}
		pl.apply(r)
		// The region's own price now stands where a global one may have.
		if im := pl.regions[code]; im != nil && len(im.global) > 0 {
			for _, f := range fieldsOf(r) {
				delete(im.global, f)
			}
		}
	}
	pl.applyGlobals()
	return nil
}

// applyGlobals prices each region with the global products, for the
// fields no product of the region gave (a region's own price wins, whatever
// the order the files came in).
func (pl *PriceList) applyGlobals() {
	for code, im := range pl.regions {
		for _, g := range pl.globals {
			r := g
			r.product.Attributes = maps.Clone(g.product.Attributes)
			if r.product.Attributes == nil {
				r.product.Attributes = map[string]string{}
			}
			r.product.Attributes["regionCode"] = code
			fields := fieldsOf(r)
			if len(fields) == 0 {
				continue
			}
			own := false
			for _, f := range fields {
				own = own || (im.found[f] && !im.global[f])
			}
			if own {
				continue
			}
			pl.apply(r)
			for _, f := range fields {
				if im.global == nil {
					im.global = map[string]bool{}
				}
				im.global[f] = true
			}
		}
	}
}

// fieldsOf lists the prices a rate sets, found by applying it to a scratch
// list, so the mapping stays in apply alone.
func fieldsOf(r rate) []string {
	scratch := &PriceList{regions: map[string]*imported{}, scratch: true}
	scratch.apply(r)
	var out []string
	for _, im := range scratch.regions {
		for f := range im.found {
			out = append(out, f)
		}
	}
	return out
}

func day(s string) string {
	if len(s) >= 10 {
		return s[:10]
	}
	return s
}

// tiersOf reads a term's USD price dimensions, sorted by range. A price or
// range that is not a non-negative number is an error naming the SKU, the
// field and the value: a file that says "NaN" must not price a stack at NaN.
func tiersOf(sku string, t plTerm) ([]tierRange, error) {
	var out []tierRange
	for _, k := range slices.Sorted(maps.Keys(t.PriceDimensions)) {
		d := t.PriceDimensions[k]
		usd, ok := d.PricePerUnit["USD"]
		if !ok {
			continue
		}
		price, err := nonNegative(usd)
		if err != nil {
			return nil, fmt.Errorf("sku %s: pricePerUnit USD %q: %v", sku, usd, err)
		}
		b, e := d.BeginRange, d.EndRange
		if b == "" {
			b, e = d.StartingRange, d.EndingRange
		}
		begin := 0.0
		if b != "" {
			if begin, err = nonNegative(b); err != nil {
				return nil, fmt.Errorf("sku %s: beginRange %q: %v", sku, b, err)
			}
		}
		end := math.Inf(1)
		if e != "" && e != "Inf" {
			if end, err = nonNegative(e); err != nil {
				return nil, fmt.Errorf("sku %s: endRange %q: %v (or \"Inf\")", sku, e, err)
			}
			if end < begin {
				return nil, fmt.Errorf("sku %s: endRange %q is below beginRange %q", sku, e, b)
			}
		}
		out = append(out, tierRange{begin: begin, end: end, price: price})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].begin < out[j].begin })
	return out, nil
}

// nonNegative parses a Price List number: finite and not below zero.
func nonNegative(s string) (float64, error) {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return 0, errors.New("want a non-negative number")
	}
	return v, nil
}

// tiered turns ranges into a [Tiered] price, in units of unit (a range of
// requests priced per request stays per request).
func tiered(rs []tierRange) Tiered {
	var t Tiered
	for _, r := range rs {
		size := 0.0
		if !math.IsInf(r.end, 1) {
			size = r.end - r.begin
		}
		t = append(t, Tier{Size: size, Price: r.price})
	}
	return t
}

// paid drops the free ranges a tiered price starts with: the free
// allowance is a rule of its own (FreeInternetOutGB), not a tier.
func paid(rs []tierRange) []tierRange {
	for len(rs) > 1 && rs[0].price == 0 {
		rs = rs[1:]
	}
	return rs
}

// first is the price of the first non-free range: the list price.
func first(rs []tierRange) (float64, bool) {
	for _, r := range rs {
		if r.price > 0 {
			return r.price, true
		}
	}
	return 0, false
}

// regionOf is a product's region code.
func regionOf(p plProduct) string {
	if r := p.Attributes["regionCode"]; r != "" {
		return r
	}
	if r := locations[p.Attributes["location"]]; r != "" {
		return r
	}
	// Data transfer products name the region the bytes leave.
	if r := p.Attributes["fromRegionCode"]; r != "" {
		return r
	}
	return locations[p.Attributes["fromLocation"]]
}

// locations maps the Price List's location names of the regions costguard
// knows to region codes, for files without a regionCode attribute.
var locations = map[string]string{
	"US East (N. Virginia)":     "us-east-1",
	"US West (Oregon)":          "us-west-2",
	"EU (Ireland)":              "eu-west-1",
	"Europe (Ireland)":          "eu-west-1",
	"EU (Frankfurt)":            "eu-central-1",
	"Europe (Frankfurt)":        "eu-central-1",
	"Asia Pacific (Tokyo)":      "ap-northeast-1",
	"Asia Pacific (Seoul)":      "ap-northeast-2",
	"Asia Pacific (Singapore)":  "ap-southeast-1",
	"Asia Pacific (Sydney)":     "ap-southeast-2",
	"US East (Ohio)":            "us-east-2",
	"Europe (London)":           "eu-west-2",
	"EU (London)":               "eu-west-2",
	"Asia Pacific (Mumbai)":     "ap-south-1",
	"South America (Sao Paulo)": "sa-east-1",
}

// usage is a product's usage type without its region prefix ("EUW1-").
func usage(p plProduct) string {
	u := p.Attributes["usagetype"]
	if i := strings.IndexByte(u, '-'); i > 0 && isRegionPrefix(u[:i]) {
		return u[i+1:]
	}
	return u
}

func isRegionPrefix(s string) bool {
	if s == "EU" {
		// eu-west-1's prefix in the older usage types ("EU-BoxUsage").
		return true
	}
	if len(s) < 3 || len(s) > 5 {
		return false
	}
	digit := false
	for _, c := range s {
		switch {
		case c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9':
			digit = true
		default:
			return false
		}
	}
	return digit
}

// region returns the tables being built for region, creating them from
// the region's built-in tables when there are some and from [Rules]
// (every rule, no price) otherwise.
func (pl *PriceList) region(code string) *imported {
	if im, ok := pl.regions[code]; ok {
		return im
	}
	var p Prices
	if !pl.scratch {
		p = Rules()
		if f, ok := regions[code]; ok {
			p = f()
		}
	}
	p.Region = code
	im := &imported{p: p, found: map[string]bool{}}
	pl.regions[code] = im
	return im
}

// apply maps one priced product to the field it sets. The mapping is by
// usage type (region prefix removed) and, where usage types vary, by
// attribute; each case names the price it is.
func (pl *PriceList) apply(r rate) {
	code := regionOf(r.product)
	if code == "" || len(r.tiers) == 0 {
		return
	}
	price, ok := first(r.tiers)
	ut := usage(r.product)
	attr := r.product.Attributes
	var im *imported
	set := func(field string, dst *float64, v float64, src *Source) {
		if im == nil {
			im = pl.region(code)
		}
		*dst = v
		*src = r.source
		im.found[field] = true
	}
	get := func() *Prices {
		if im == nil {
			im = pl.region(code)
		}
		return &im.p
	}
	switch r.service {
	case "AWSLambda":
		p := get()
		l := &p.Lambda
		switch {
		case ut == "Request" && ok:
			set("lambda.requests", &l.RequestsPerMillion, price*1e6, &l.Source)
		case ut == "Lambda-GB-Second":
			l.Duration.X86_64 = tiered(r.tiers)
			im.found["lambda.duration.x86_64"], l.Source = true, r.source
		case ut == "Lambda-GB-Second-ARM":
			l.Duration.ARM64 = tiered(r.tiers)
			im.found["lambda.duration.arm64"], l.Source = true, r.source
		case ut == "Lambda-Provisioned-Concurrency" && ok:
			set("lambda.provisionedConcurrency.x86_64", &l.ProvisionedConcurrency.X86_64, price, &l.Source)
		case ut == "Lambda-Provisioned-Concurrency-ARM" && ok:
			set("lambda.provisionedConcurrency.arm64", &l.ProvisionedConcurrency.ARM64, price, &l.Source)
		case ut == "Lambda-Provisioned-GB-Second" && ok:
			set("lambda.provisionedDuration.x86_64", &l.ProvisionedDuration.X86_64, price, &l.Source)
		case ut == "Lambda-Provisioned-GB-Second-ARM" && ok:
			set("lambda.provisionedDuration.arm64", &l.ProvisionedDuration.ARM64, price, &l.Source)
		case ut == "Lambda-Storage-GB-Second" && ok:
			set("lambda.ephemeral", &l.EphemeralPerGBSecond, price, &l.Source)
		}
	case "AmazonApiGateway":
		p := get()
		a := &p.APIGateway
		switch {
		case ut == "ApiGatewayRequest":
			a.REST = tiered(r.tiers)
			im.found["apiGateway.rest"], a.Source = true, r.source
		case ut == "ApiGatewayHttpRequest":
			a.HTTP = tiered(r.tiers)
			im.found["apiGateway.http"], a.Source = true, r.source
		case attr["cacheMemorySizeGb"] != "" && ok:
			if a.CacheHour == nil {
				a.CacheHour = map[string]float64{}
			}
			a.CacheHour[attr["cacheMemorySizeGb"]] = price
			im.found["apiGateway.cache"], a.Source = true, r.source
		}
	case "AmazonCloudWatch":
		p := get()
		c := &p.CloudWatch
		switch {
		case ut == "CW:AlarmMonitorUsage" && ok:
			set("cloudwatch.alarm", &c.AlarmMetricMonth, price, &c.Source)
		case ut == "CW:HighResAlarmMonitorUsage" && ok:
			set("cloudwatch.alarmHighResolution", &c.HighResolutionAlarmMetricMonth, price, &c.Source)
		case ut == "CW:CompositeAlarmMonitorUsage" && ok:
			set("cloudwatch.compositeAlarm", &c.CompositeAlarmMonth, price, &c.Source)
		case strings.HasPrefix(ut, "DashboardsUsageHour") && ok:
			set("cloudwatch.dashboard", &c.DashboardMonth, price, &c.Source)
		case ut == "CW:MetricMonitorUsage" && ok:
			set("cloudwatch.customMetric", &c.CustomMetricMonth, price, &c.Source)
		case ut == "DataProcessing-Bytes" && ok:
			set("cloudwatch.logsIngestion", &c.LogsIngestionPerGB, price, &c.Source)
		case ut == "TimedStorage-ByteHrs" && ok:
			set("cloudwatch.logsStorage", &c.LogsStoragePerGBMonth, price, &c.Source)
		}
	case "AmazonECS":
		p := get()
		f := &p.Fargate
		switch {
		case ut == "Fargate-vCPU-Hours:perCPU" && ok:
			set("fargate.vcpu.x86_64", &f.VCPUHour.X86_64, price, &f.Source)
		case ut == "Fargate-GB-Hours" && ok:
			set("fargate.memory.x86_64", &f.GBHour.X86_64, price, &f.Source)
		case ut == "Fargate-ARM-vCPU-Hours:perCPU" && ok:
			set("fargate.vcpu.arm64", &f.VCPUHour.ARM64, price, &f.Source)
		case ut == "Fargate-ARM-GB-Hours" && ok:
			set("fargate.memory.arm64", &f.GBHour.ARM64, price, &f.Source)
		}
	case "AmazonSageMaker":
		p := get()
		s := &p.SageMaker
		switch {
		case strings.HasPrefix(ut, "Host:ml.") && ok:
			name := strings.TrimPrefix(ut, "Host:")
			if s.Instances == nil {
				s.Instances = map[string]Instance{}
			}
			in := s.Instances[name]
			in.Hourly = price
			if v, err := strconv.Atoi(attr["vCpu"]); err == nil {
				in.VCPUs = v
			}
			if v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(attr["memory"]), " GiB"), 64); err == nil {
				in.MemoryGiB = v
			}
			if v, err := strconv.Atoi(attr["gpu"]); err == nil {
				in.GPUs = v
			}
			in.BaselineCPU = BurstableBaseline(name)
			s.Instances[name] = in
			im.found["sagemaker.instance."+name], s.Source = true, r.source
		case strings.HasPrefix(ut, "ServerlessInf:Mem-") && strings.HasSuffix(ut, "GB") && ok:
			gb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimPrefix(ut, "ServerlessInf:Mem-"), "GB"), 64)
			if err == nil && gb > 0 {
				set("sagemaker.serverless", &s.ServerlessPerGBSecond, price/gb, &s.Source)
			}
		case strings.HasSuffix(ut, "Data-Bytes-In") && ok:
			set("sagemaker.data", &s.DataPerGB, price, &s.Source)
		}
	case "AmazonEC2", "AmazonVPC":
		// NAT gateways are priced under either service code, depending
		// on the offer file's vintage; public IPv4 and endpoints under VPC.
		n := &get().Network
		switch {
		case ut == "PublicIPv4:InUseAddress" && ok:
			set("network.publicIPv4Hour", &n.PublicIPv4Hour, price, &n.Source)
		case ut == "VpcEndpoint-Hours" && ok:
			set("network.interfaceEndpointHour", &n.InterfaceEndpointHour, price, &n.Source)
		case ut == "NatGateway-Hours" && ok:
			set("network.natGatewayHour", &n.NATGatewayHour, price, &n.Source)
		case ut == "NatGateway-Bytes" && ok:
			set("network.natGatewayPerGB", &n.NATGatewayPerGB, price, &n.Source)
		}
	case "AWSELB":
		n := &get().Network
		alb := r.product.ProductFamily == "Load Balancer-Application"
		nlb := r.product.ProductFamily == "Load Balancer-Network"
		switch {
		case alb && ut == "LoadBalancerUsage" && ok:
			set("network.albHour", &n.ALBHour, price, &n.Source)
		case alb && ut == "LCUUsage" && ok:
			set("network.albLCUHour", &n.ALBLCUHour, price, &n.Source)
		case nlb && ut == "LoadBalancerUsage" && ok:
			set("network.nlbHour", &n.NLBHour, price, &n.Source)
		case nlb && ut == "LCUUsage" && ok:
			set("network.nlbNLCUHour", &n.NLBNLCUHour, price, &n.Source)
		}
	case "AmazonSNS":
		n := &get().SNS
		switch {
		case ut == "Requests-Tier1" && ok:
			set("sns.requests", &n.RequestsPerMillion, price*1e6, &n.Source)
		case ut == "DeliveryAttempts-SMTP" && ok:
			set("sns.email", &n.EmailPer100k, price*1e5, &n.Source)
		}
	case "awskms":
		o := &get().Other
		switch {
		case ut == "KMS-Keys" && ok:
			set("kms.keyMonth", &o.KMSKeyMonth, price, &o.Source)
			// The Price List has no product of its own for rotation: the
			// KMS pricing page bills each rotation's new key material "an
			// additional $1/month", the key's own monthly price.
			set("kms.rotation", &o.KMSRotationMonth, price, &o.Source)
		case ut == "KMS-Requests" && ok:
			// Priced per request, after a free range; kept per 10,000.
			set("kms.requests", &o.KMSRequestsPer10k, price*1e4, &o.Source)
		}
	case "AWSXRay":
		x := &get().XRay
		switch {
		case ut == "XRay-TracesStored" && ok:
			set("xray.recorded", &x.RecordedPerMillion, price*1e6, &x.Source)
		case ut == "XRay-TracesAccessed" && ok:
			// Traces retrieved and scanned share one usage type.
			set("xray.retrieved", &x.RetrievedPerMillion, price*1e6, &x.Source)
		}
	}
	// Data transfer out to the internet is priced in the AWSDataTransfer
	// offer (and, in older files, AmazonEC2's), per GB in volume tiers.
	// Transfers to another region or within AWS have other usage types.
	if (r.service == "AWSDataTransfer" || r.service == "AmazonEC2") && ut == "DataTransfer-Out-Bytes" &&
		(attr["toLocation"] == "" || attr["toLocation"] == "External") && ok {
		d := &get().DataTransfer
		d.InternetOut = tiered(paid(r.tiers))
		im.found["dataTransfer.internetOut"], d.Source = true, r.source
	}
	if im != nil && len(im.found) == 0 {
		// Nothing this product maps to: keep no empty region.
		delete(pl.regions, code)
	}
}

// Regions lists the regions the files priced, sorted.
func (pl *PriceList) Regions() []string {
	var r []string
	if pl == nil {
		return r
	}
	for k := range pl.regions {
		r = append(r, k)
	}
	sort.Strings(r)
	return r
}

// Found lists the prices the files gave for region, sorted.
func (pl *PriceList) Found(region string) []string {
	var out []string
	if pl == nil || pl.regions[region] == nil {
		return out
	}
	for k := range pl.regions[region].found {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Missing lists the prices of region that neither the files nor a
// built-in table give: they are 0 in the tables [PriceList.ForRegion]
// returns, and every estimate made with them says so.
func (pl *PriceList) Missing(region string) []string {
	if pl == nil || pl.regions[region] == nil {
		return nil
	}
	im := pl.regions[region]
	if _, builtIn := regions[region]; builtIn {
		return nil
	}
	var out []string
	for _, f := range requiredPrices {
		if !im.found[f] {
			out = append(out, f)
		}
	}
	return out
}

// requiredPrices are the prices an estimate of costguard's stacks uses;
// a region priced only from files must have them or be told it lacks them.
var requiredPrices = []string{
	"lambda.requests", "lambda.duration.x86_64", "lambda.duration.arm64",
	"lambda.provisionedConcurrency.x86_64", "lambda.provisionedConcurrency.arm64",
	"lambda.provisionedDuration.x86_64", "lambda.provisionedDuration.arm64", "lambda.ephemeral",
	"apiGateway.rest", "apiGateway.http",
	"cloudwatch.alarm", "cloudwatch.dashboard", "cloudwatch.customMetric", "cloudwatch.logsIngestion", "cloudwatch.logsStorage",
	"fargate.vcpu.x86_64", "fargate.memory.x86_64", "fargate.vcpu.arm64", "fargate.memory.arm64",
	"network.albHour", "network.albLCUHour", "network.natGatewayHour", "network.natGatewayPerGB", "network.publicIPv4Hour",
	"kms.keyMonth", "sns.requests", "sns.email",
	"xray.recorded", "xray.retrieved", "kms.rotation", "kms.requests", "dataTransfer.internetOut",
	"cloudwatch.alarmHighResolution", "cloudwatch.compositeAlarm", "network.nlbHour", "network.nlbNLCUHour",
	"network.interfaceEndpointHour", "sagemaker.serverless", "sagemaker.data",
}

// unreadPrices are the prices of [Other] the import does not read: a
// region priced only from files has them at 0 ([Prices.Unread]).
var unreadPrices = []string{"other.waf", "other.secret", "other.ssmAdvancedParameter", "other.sqs", "other.eventBridge", "other.scheduler"}

// ForRegion returns the tables of region from the files (over the
// region's built-in tables, if it has some), and whether the files priced
// region at all.
func (pl *PriceList) ForRegion(region string) (Prices, bool) {
	if pl == nil || pl.regions[region] == nil {
		return Prices{}, false
	}
	p := clonePrices(pl.regions[region].p)
	p.Missing = pl.Missing(region)
	if _, builtIn := regions[region]; !builtIn {
		p.Unread = slices.Clone(unreadPrices)
	}
	return p, true
}

// clonePrices copies the maps and slices of p so callers cannot share them.
func clonePrices(p Prices) Prices {
	cp := func(t Tiered) Tiered { return append(Tiered(nil), t...) }
	p.Lambda.Duration.X86_64, p.Lambda.Duration.ARM64 = cp(p.Lambda.Duration.X86_64), cp(p.Lambda.Duration.ARM64)
	p.APIGateway.REST, p.APIGateway.HTTP = cp(p.APIGateway.REST), cp(p.APIGateway.HTTP)
	p.DataTransfer.InternetOut = cp(p.DataTransfer.InternetOut)
	cache := map[string]float64{}
	for k, v := range p.APIGateway.CacheHour {
		cache[k] = v
	}
	p.APIGateway.CacheHour = cache
	inst := map[string]Instance{}
	for k, v := range p.SageMaker.Instances {
		inst[k] = v
	}
	p.SageMaker.Instances = inst
	return p
}

// Resolve returns the price tables of region: from imported files first
// (nil for none), then the built-in tables; "" means [DefaultRegion]. A
// region neither gives is an error that says how to import its prices.
func Resolve(region string, imported *PriceList) (Prices, error) {
	if region == "" {
		region = DefaultRegion
	}
	if p, ok := imported.ForRegion(region); ok {
		return p, nil
	}
	if f, ok := regions[region]; ok {
		return f(), nil
	}
	return Prices{}, fmt.Errorf("region %q is not priced (built in: %s): import its prices from AWS Price List files with --prices FILE (costguard prices fetch --region %s writes them)", region, strings.Join(Regions(), ", "), region)
}

// Rules returns the tables with every rule AWS applies in every region
// (free tiers, billing steps, size bounds) and no price: the base of a
// region priced only from Price List files, which carry prices, not rules.
func Rules() Prices {
	return Prices{
		Lambda: Lambda{
			EphemeralFreeMiB: 512, FreeRequests: 1e6, FreeGBSeconds: 400000,
			BillingGranularityMs: 1, ProvisionedGranularityMinutes: 5, InitBilled: true,
		},
		APIGateway: APIGateway{HTTPMeteringBytes: 512 * 1024},
		Fargate:    Fargate{MinimumBillingMinutes: 1},
		SageMaker:  SageMaker{ServerlessMinMiB: 1024, ServerlessMaxMiB: 6144, ServerlessStepMiB: 1024},
		CloudWatch: CloudWatch{
			FreeAlarmMetrics: 10, FreeDashboards: 3, FreeCustomMetrics: 10, FreeLogsGB: 5, LogEventOverheadBytes: 26,
			ContainerInsights: ContainerInsights{PerCluster: 10, PerService: 13, PerTaskFamily: 9, PerformanceEventBytes: 1024},
		},
		SNS:          SNS{FreeEmails: 1000, FreeRequests: 1e6},
		XRay:         XRay{FreeRecorded: 100000, FreeRetrieved: 1e6, ReservoirPerSecond: 1, FixedRate: 0.05},
		DataTransfer: DataTransfer{FreeInternetOutGB: 100},
		Other:        Other{KMSBilledRotations: 2, KMSFreeRequests: 20000, SQSFreeRequests: 1e6, SchedulerFreeInvocations: 14e6},
	}
}
