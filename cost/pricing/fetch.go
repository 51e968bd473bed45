package pricing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// PriceListEndpoint is the AWS Price List Bulk API: public offer files, no
// credentials ("Using the bulk API", AWS Billing User Guide,
// https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/using-ppslong.html).
const PriceListEndpoint = "https://pricing.us-east-1.amazonaws.com"

// FetchServices are the offer codes whose products [LoadPriceList] maps:
// every service the stacks bill. AmazonEC2's regional file is large (it
// lists every instance type); it holds the NAT gateway and, in some
// vintages, data transfer out.
var FetchServices = []string{
	"AWSLambda", "AmazonApiGateway", "AmazonCloudWatch", "AmazonECS", "AmazonSageMaker",
	"AmazonEC2", "AmazonVPC", "AWSELB", "awskms", "AmazonSNS", "AWSXRay", "AWSDataTransfer",
}

var regionCode = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]$`)

// Fetched is one offer file [FetchPriceList] wrote.
type Fetched struct {
	Service string `json:"service"`
	// URL is the regional offer file read; File the filtered copy written.
	URL  string `json:"url"`
	File string `json:"file"`
	// Products is how many of the file's products were kept (those
	// LoadPriceList maps), of Total.
	Products int `json:"products"`
	Total    int `json:"total"`
	// Skipped says why no file was written: the service's Price List has
	// no file for the region (not every service is in every region).
	Skipped string `json:"skipped,omitempty"`
}

// errNotInRegion is a service whose region index does not list the region.
type errNotInRegion struct{ msg string }

func (e errNotInRegion) Error() string { return e.msg }

// FetchOptions are [FetchPriceList]'s optional settings; the zero value
// fetches every service from AWS.
type FetchOptions struct {
	// Client makes the requests. Default: http.DefaultClient.
	Client *http.Client
	// Endpoint is the Bulk API's base URL. Default: [PriceListEndpoint].
	Endpoint string
	// Services are the offer codes to fetch. Default: [FetchServices].
	Services []string
	// Progress, when set, is called before each offer file is downloaded
	// (AmazonEC2's takes minutes).
	Progress func(service, url string)
}

func (o FetchOptions) withDefaults() FetchOptions {
	if o.Client == nil {
		o.Client = http.DefaultClient
	}
	if o.Endpoint == "" {
		o.Endpoint = PriceListEndpoint
	}
	if len(o.Services) == 0 {
		o.Services = FetchServices
	}
	return o
}

// FetchPriceList downloads the current regional offer file of each service
// from the Bulk API (the service's region index, then the region's current
// version), keeps the products [LoadPriceList] maps with their on-demand
// terms, and writes each as an offer file DIR/SERVICE.REGION.offer.json,
// ready for --prices and -c pricesFile=. The files are streamed, so
// AmazonEC2's is never held whole. A service whose index does not list
// region is skipped and says why; a region no service lists is an error
// that says which regions there are.
func FetchPriceList(ctx context.Context, region, dir string, o FetchOptions) ([]Fetched, error) {
	if err := CheckFetch(region, o); err != nil {
		return nil, err
	}
	o = o.withDefaults()
	base, _ := url.Parse(o.Endpoint)
	var out []Fetched
	var firstSkip string
	written := 0
	for _, svc := range o.Services {
		f, err := fetchOne(ctx, o, base, svc, region, dir)
		var nr errNotInRegion
		switch {
		case errors.As(err, &nr):
			// Not offered there: the prices it would give are listed as
			// missing, and the other services still price the region.
			f = Fetched{Service: svc, Skipped: nr.msg}
			if firstSkip == "" {
				firstSkip = svc + ": " + nr.msg
			}
		case err != nil:
			return out, fmt.Errorf("%s: %w", svc, err)
		default:
			written++
		}
		out = append(out, f)
	}
	if written == 0 {
		return out, fmt.Errorf("no service has a Price List file for region %q (%s)", region, firstSkip)
	}
	return out, nil
}

// CheckFetch checks [FetchPriceList]'s arguments without fetching: the
// region is a region code, the endpoint an http(s) URL, and each service
// one of [FetchServices].
func CheckFetch(region string, o FetchOptions) error {
	o = o.withDefaults()
	if !regionCode.MatchString(region) {
		return fmt.Errorf("region %q is not a region code (such as ap-northeast-2)", region)
	}
	base, err := url.Parse(o.Endpoint)
	if err != nil || (base.Scheme != "https" && base.Scheme != "http") || base.Host == "" {
		return fmt.Errorf("endpoint %q is not an http(s) URL", o.Endpoint)
	}
	for _, svc := range o.Services {
		if !slices.Contains(FetchServices, svc) {
			return fmt.Errorf("service %q is not one costguard prices (%s)", svc, strings.Join(FetchServices, ", "))
		}
	}
	return nil
}

func fetchOne(ctx context.Context, o FetchOptions, base *url.URL, svc, region, dir string) (Fetched, error) {
	indexURL := base.JoinPath("offers/v1.0/aws", svc, "current/region_index.json").String()
	body, err := get(ctx, o.Client, indexURL)
	if err != nil {
		return Fetched{}, err
	}
	var idx struct {
		Regions map[string]struct {
			RegionCode        string `json:"regionCode"`
			CurrentVersionURL string `json:"currentVersionUrl"`
		} `json:"regions"`
	}
	err = json.NewDecoder(io.LimitReader(body, 16<<20)).Decode(&idx)
	body.Close()
	if err != nil {
		return Fetched{}, fmt.Errorf("%s: not a region index: %v", indexURL, err)
	}
	r, ok := idx.Regions[region]
	if !ok || r.CurrentVersionURL == "" {
		have := slices.Sorted(maps.Keys(idx.Regions))
		n := fmt.Sprintf("%d regions", len(have))
		if len(have) == 1 {
			n = "1 region"
		}
		return Fetched{}, errNotInRegion{fmt.Sprintf("region %q is not in its Price List (%s: %s)", region, n, strings.Join(have, ", "))}
	}
	ref, err := url.Parse(r.CurrentVersionURL)
	if err != nil || ref.IsAbs() || !strings.HasPrefix(ref.Path, "/offers/") {
		return Fetched{}, fmt.Errorf("%s: currentVersionUrl %q is not a path under /offers/", indexURL, r.CurrentVersionURL)
	}
	offerURL := base.ResolveReference(ref).String()
	if o.Progress != nil {
		o.Progress(svc, offerURL)
	}
	body, err = get(ctx, o.Client, offerURL)
	if err != nil {
		return Fetched{}, err
	}
	defer body.Close()
	kept, err := filterOffer(body, svc, offerURL)
	if err != nil {
		return Fetched{}, fmt.Errorf("%s: %v", offerURL, err)
	}
	data, err := json.MarshalIndent(kept.offer, "", " ")
	if err != nil {
		return Fetched{}, err
	}
	// The directory is made once there is something to write in it.
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Fetched{}, err
	}
	file := filepath.Join(dir, svc+"."+region+".offer.json")
	tmp := file + ".tmp"
	if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
		return Fetched{}, err
	}
	if err := os.Rename(tmp, file); err != nil {
		return Fetched{}, err
	}
	return Fetched{Service: svc, URL: offerURL, File: file, Products: len(kept.offer.Products), Total: kept.total}, nil
}

// get opens url's body, or fails in one line with the status.
func get(ctx context.Context, client *http.Client, u string) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return resp.Body, nil
}

// filtered is an offer file as written: the mapped products and their
// on-demand terms, and how many products the original had.
type filtered struct {
	offer offer
	total int
}

// filterOffer reads an offer file token by token, keeping the products
// LoadPriceList maps and their OnDemand terms; every other value is skipped
// without being held.
func filterOffer(r io.Reader, svc, from string) (filtered, error) {
	dec := json.NewDecoder(r)
	out := filtered{offer: offer{
		Disclaimer: "The products costguard prices, kept by `costguard prices fetch` from " + from + "; AWS's disclaimer is in the original.",
		Products:   map[string]plProduct{}, Terms: map[string]map[string]map[string]plTerm{"OnDemand": {}},
	}}
	if err := expectDelim(dec, '{'); err != nil {
		return out, err
	}
	productsRead := false
	for dec.More() {
		key, err := objectKey(dec)
		if err != nil {
			return out, err
		}
		switch key {
		case "formatVersion", "offerCode", "version", "publicationDate":
			var s string
			if err := dec.Decode(&s); err != nil {
				return out, fmt.Errorf("%s: %v", key, err)
			}
			switch key {
			case "formatVersion":
				out.offer.FormatVersion = s
			case "offerCode":
				out.offer.OfferCode = s
			case "version":
				out.offer.Version = s
			case "publicationDate":
				out.offer.PublicationDate = s
			}
		case "products":
			productsRead = true
			if err := eachEntry(dec, func(sku string) error {
				var p plProduct
				if err := dec.Decode(&p); err != nil {
					return fmt.Errorf("products[%s]: %v", sku, err)
				}
				out.total++
				if mapsProduct(svc, p) {
					out.offer.Products[sku] = p
				}
				return nil
			}); err != nil {
				return out, err
			}
		case "terms":
			if err := eachEntry(dec, func(termType string) error {
				if termType != "OnDemand" {
					// Reserved and the like: skipped one SKU at a time.
					return eachEntry(dec, func(string) error { return skipSmall(dec) })
				}
				return eachEntry(dec, func(sku string) error {
					// Products come first in AWS's files; if they have
					// not, every term is kept until they are read.
					if _, keep := out.offer.Products[sku]; !keep && productsRead {
						return skipSmall(dec)
					}
					var t map[string]plTerm
					if err := dec.Decode(&t); err != nil {
						return fmt.Errorf("terms.OnDemand[%s]: %v", sku, err)
					}
					out.offer.Terms["OnDemand"][sku] = t
					return nil
				})
			}); err != nil {
				return out, err
			}
		default:
			if err := skipValue(dec); err != nil {
				return out, err
			}
		}
	}
	if err := expectDelim(dec, '}'); err != nil {
		return out, err
	}
	if out.offer.OfferCode == "" {
		return out, errors.New("not an offer file: no offerCode")
	}
	if out.offer.OfferCode != svc {
		return out, fmt.Errorf("offerCode %q, want %q", out.offer.OfferCode, svc)
	}
	// Keep only the terms of kept products (the terms may have come
	// first), and drop kept products without terms.
	for sku := range out.offer.Terms["OnDemand"] {
		if _, ok := out.offer.Products[sku]; !ok {
			delete(out.offer.Terms["OnDemand"], sku)
		}
	}
	for sku := range out.offer.Products {
		if _, ok := out.offer.Terms["OnDemand"][sku]; !ok {
			delete(out.offer.Products, sku)
		}
	}
	return out, nil
}

// mapsProduct reports whether LoadPriceList prices p: apply is run on a
// scratch list with a nominal price, so the mapping stays in one place.
func mapsProduct(svc string, p plProduct) bool {
	if regionOf(p) == "" {
		// A global product (location "Any") prices the region too.
		p.Attributes = maps.Clone(p.Attributes)
		if p.Attributes == nil {
			p.Attributes = map[string]string{}
		}
		p.Attributes["regionCode"] = DefaultRegion
	}
	return len(fieldsOf(rate{service: svc, product: p, tiers: []tierRange{{begin: 0, end: math.Inf(1), price: 1}}})) > 0
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return fmt.Errorf("want %q, got %v", want, t)
	}
	return nil
}

func objectKey(dec *json.Decoder) (string, error) {
	t, err := dec.Token()
	if err != nil {
		return "", err
	}
	k, ok := t.(string)
	if !ok {
		return "", fmt.Errorf("want an object key, got %v", t)
	}
	return k, nil
}

// eachEntry calls f with each key of the object that comes next; f must
// consume the value.
func eachEntry(dec *json.Decoder, f func(key string) error) error {
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	for dec.More() {
		k, err := objectKey(dec)
		if err != nil {
			return err
		}
		if err := f(k); err != nil {
			return err
		}
	}
	return expectDelim(dec, '}')
}

// skipValue consumes the next value, however large, token by token, so
// none of it is held (a section such as terms.Reserved can be hundreds of
// megabytes).
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := t.(json.Delim); ok {
			switch d {
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
		}
		if depth == 0 {
			return nil
		}
	}
}

// skipSmall consumes a value known to be small (one product's terms):
// decoded whole as raw bytes, which is cheaper than walking its tokens (the
// Decoder allocates an error for every scalar token it ends).
func skipSmall(dec *json.Decoder) error {
	var raw json.RawMessage
	return dec.Decode(&raw)
}
