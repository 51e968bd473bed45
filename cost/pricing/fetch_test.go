package pricing

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

// bulkAPI serves the fixtures the way the Price List Bulk API lays out its
// files (a region index per service, then the region's current offer
// file), on a real socket on loopback. Each offer file also carries what
// fetch must leave behind: a product costguard does not map (with on-demand
// and reserved terms), top-level fields it does not read and, for some,
// terms before products.
type bulkAPI struct {
	offers map[string][]byte // by service code
	gets   atomic.Int64
}

func newBulkAPI(t *testing.T, notInRegion ...string) (*bulkAPI, *httptest.Server) {
	t.Helper()
	api := &bulkAPI{offers: map[string][]byte{}}
	for _, file := range fixtures(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		svc, offer := asOffer(t, data)
		noisy := map[string]any{}
		if err := json.Unmarshal(offer, &noisy); err != nil {
			t.Fatal(err)
		}
		products := noisy["products"].(map[string]any)
		products["NOISE"] = map[string]any{"sku": "NOISE", "productFamily": "Other",
			"attributes": map[string]any{"servicecode": svc, "usagetype": "APN2-SomethingElse", "regionCode": "ap-northeast-2"}}
		terms := noisy["terms"].(map[string]any)
		terms["OnDemand"].(map[string]any)["NOISE"] = map[string]any{"NOISE.T": map[string]any{"priceDimensions": map[string]any{
			"NOISE.T.D": map[string]any{"unit": "Hrs", "beginRange": "0", "endRange": "Inf", "pricePerUnit": map[string]any{"USD": "9.99"}}}}}
		terms["Reserved"] = map[string]any{"NOISE": map[string]any{"NOISE.R": map[string]any{"termAttributes": map[string]any{"LeaseContractLength": "1yr"}}}}
		noisy["attributesList"] = map[string]any{"usagetype": []any{"a", "b"}}
		body, err := json.Marshal(noisy)
		if err != nil {
			t.Fatal(err)
		}
		if svc == "AWSLambda" {
			// Terms before products, as a streamed file may have them.
			i, j := strings.Index(string(body), `"products":`), strings.Index(string(body), `"terms":`)
			if i > 0 && j > i {
				body = []byte(`{"terms":` + string(body[j+len(`"terms":`):len(body)-1]) + "," + string(body[1:j-1]) + "}")
			}
		}
		api.offers[svc] = append(api.offers[svc], body...)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		api.gets.Add(1)
		parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/offers/v1.0/aws/"), "/")
		if len(parts) < 3 || api.offers[parts[0]] == nil {
			http.NotFound(w, r)
			return
		}
		svc := parts[0]
		switch {
		case len(parts) == 3 && parts[1] == "current" && parts[2] == "region_index.json":
			regions := map[string]any{
				"ap-northeast-2": map[string]any{"regionCode": "ap-northeast-2", "currentVersionUrl": "/offers/v1.0/aws/" + svc + "/20261120000000/ap-northeast-2/index.json"},
				"us-east-1":      map[string]any{"regionCode": "us-east-1", "currentVersionUrl": "/offers/v1.0/aws/" + svc + "/20261120000000/us-east-1/index.json"},
			}
			if slices.Contains(notInRegion, svc) {
				delete(regions, "ap-northeast-2")
			}
			json.NewEncoder(w).Encode(map[string]any{"formatVersion": "v1.0", "regions": regions})
		case len(parts) == 4 && parts[1] == "20261120000000" && parts[2] == "ap-northeast-2" && parts[3] == "index.json":
			w.Write(api.offers[svc])
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return api, srv
}

// asOffer returns a fixture as a bulk offer file: get-products output is
// regrouped into products and terms.
func asOffer(t *testing.T, data []byte) (string, []byte) {
	t.Helper()
	var probe struct {
		OfferCode string   `json:"offerCode"`
		PriceList []string `json:"PriceList"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		t.Fatal(err)
	}
	if probe.OfferCode != "" {
		return probe.OfferCode, data
	}
	o := map[string]any{"formatVersion": "v1.0", "products": map[string]any{}, "terms": map[string]any{"OnDemand": map[string]any{}}}
	for _, s := range probe.PriceList {
		var it struct {
			Product         map[string]any            `json:"product"`
			ServiceCode     string                    `json:"serviceCode"`
			Version         string                    `json:"version"`
			PublicationDate string                    `json:"publicationDate"`
			Terms           map[string]map[string]any `json:"terms"`
		}
		if err := json.Unmarshal([]byte(s), &it); err != nil {
			t.Fatal(err)
		}
		sku := it.Product["sku"].(string)
		o["offerCode"], o["version"], o["publicationDate"] = it.ServiceCode, it.Version, it.PublicationDate
		o["products"].(map[string]any)[sku] = it.Product
		o["terms"].(map[string]any)["OnDemand"].(map[string]any)[sku] = it.Terms["OnDemand"]
	}
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	return o["offerCode"].(string), b
}

// withoutSources clears every table's source, which names the file read.
func withoutSources(p Prices) Prices {
	p.Lambda.Source, p.APIGateway.Source, p.Fargate.Source, p.SageMaker.Source = Source{}, Source{}, Source{}, Source{}
	p.CloudWatch.Source, p.SNS.Source, p.Network.Source, p.XRay.Source = Source{}, Source{}, Source{}, Source{}
	p.DataTransfer.Source, p.Other.Source = Source{}, Source{}
	return p
}

// TestFetchPriceList fetches every service from the bulk API on loopback
// and checks the kept files price the region exactly as the fixtures do,
// without the products costguard does not map, and byte for byte the same
// on a second fetch.
func TestFetchPriceList(t *testing.T) {
	api, srv := newBulkAPI(t)
	if len(api.offers) != len(FetchServices) {
		t.Fatalf("fixtures cover %d services, want all %d of FetchServices", len(api.offers), len(FetchServices))
	}
	dir := t.TempDir()
	var progress []string
	got, err := FetchPriceList(context.Background(), "ap-northeast-2", dir, FetchOptions{Client: srv.Client(), Endpoint: srv.URL,
		Progress: func(svc, u string) { progress = append(progress, svc+" "+u) }})
	if err != nil {
		t.Fatal(err)
	}
	var files []string
	for _, f := range got {
		files = append(files, f.File)
		if f.Products == 0 || f.Products >= f.Total {
			t.Errorf("%s: kept %d of %d products, want those costguard maps and not the others", f.Service, f.Products, f.Total)
		}
		data, err := os.ReadFile(f.File)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(data), "NOISE") || strings.Contains(string(data), "Reserved") || strings.Contains(string(data), "attributesList") {
			t.Errorf("%s keeps what costguard does not read", f.File)
		}
		if filepath.Base(f.File) != f.Service+".ap-northeast-2.offer.json" {
			t.Errorf("file %s", f.File)
		}
	}
	fetched, err := LoadPriceList(files...)
	if err != nil {
		t.Fatal(err)
	}
	direct, err := LoadPriceList(fixtures(t)...)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := fetched.ForRegion("ap-northeast-2")
	b, _ := direct.ForRegion("ap-northeast-2")
	if len(a.Missing) != 0 || !reflect.DeepEqual(withoutSources(a), withoutSources(b)) {
		t.Errorf("fetched prices differ from the fixtures'\nfetched %+v\ndirect  %+v", withoutSources(a), withoutSources(b))
	}
	if !strings.Contains(a.Lambda.Source.URL, "AWSLambda.ap-northeast-2.offer.json (AWS Price List offer file AWSLambda 20261120000000)") || a.Lambda.Source.Read != "2026-11-20" {
		t.Errorf("source %+v", a.Lambda.Source)
	}

	first, _ := os.ReadFile(files[0])
	if len(progress) != len(FetchServices) || progress[0] != "AWSLambda "+srv.URL+"/offers/v1.0/aws/AWSLambda/20261120000000/ap-northeast-2/index.json" {
		t.Errorf("progress %q", progress)
	}
	if _, err := FetchPriceList(context.Background(), "ap-northeast-2", dir, FetchOptions{Client: srv.Client(), Endpoint: srv.URL, Services: []string{got[0].Service}}); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(files[0]); string(again) != string(first) {
		t.Error("a second fetch wrote different bytes")
	}
}

func TestFetchPriceListErrors(t *testing.T) {
	api, srv := newBulkAPI(t)
	dir := filepath.Join(t.TempDir(), "prices")
	for _, tc := range []struct {
		name, endpoint, region string
		services               []string
		want                   string
	}{
		{"region in no index", srv.URL, "eu-west-1", nil, `no service has a Price List file for region "eu-west-1" (AWSLambda: region "eu-west-1" is not in its Price List (2 regions: ap-northeast-2, us-east-1))`},
		{"not a region code", srv.URL, "Seoul", nil, `region "Seoul" is not a region code (such as ap-northeast-2)`},
		{"unknown service", srv.URL, "ap-northeast-2", []string{"AmazonS3"}, `service "AmazonS3" is not one costguard prices`},
		{"not a URL", "pricing.example", "ap-northeast-2", nil, `endpoint "pricing.example" is not an http(s) URL`},
		{"not found", srv.URL + "/elsewhere", "ap-northeast-2", []string{"AWSLambda"}, "AWSLambda: GET " + srv.URL + "/elsewhere/offers/v1.0/aws/AWSLambda/current/region_index.json: 404 Not Found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := api.gets.Load()
			_, err := FetchPriceList(context.Background(), tc.region, dir, FetchOptions{Client: srv.Client(), Endpoint: tc.endpoint, Services: tc.services})
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
				t.Fatalf("error = %v, want one line with %q", err, tc.want)
			}
			if strings.HasPrefix(tc.want, "region") && api.gets.Load() != before {
				t.Error("a bad argument was sent")
			}
		})
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("failed fetches made %s (%v)", dir, err)
	}
}

func TestFilterOfferErrors(t *testing.T) {
	for _, tc := range []struct{ name, body, want string }{
		{"not JSON", "nope", "invalid character"},
		{"not an offer", `{"products":{}}`, "not an offer file: no offerCode"},
		{"another service", `{"offerCode":"AmazonS3","products":{},"terms":{}}`, `offerCode "AmazonS3", want "AWSLambda"`},
		{"cut short", `{"offerCode":"AWSLambda","products":{"A":`, "EOF"},
		{"bad product", `{"offerCode":"AWSLambda","products":{"A":[1]}}`, "products[A]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := filterOffer(strings.NewReader(tc.body), "AWSLambda", "test")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error = %v, want %q", err, tc.want)
			}
		})
	}
}

// FuzzFilterOffer feeds arbitrary bytes to the streaming filter: it must
// not panic, and what it keeps must load.
func FuzzFilterOffer(f *testing.F) {
	for _, file := range []string{"ecs.offer.json", "apigateway.offer.json", "datatransfer.offer.json"} {
		data, err := os.ReadFile(filepath.Join("testdata/pricelist", file))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data, "AmazonECS")
	}
	f.Add([]byte(`{"terms":{"OnDemand":{"A":{}}},"offerCode":"AWSLambda","products":{"A":{}}}`), "AWSLambda")
	f.Fuzz(func(t *testing.T, data []byte, svc string) {
		out, err := filterOffer(bytes.NewReader(data), svc, "fuzz")
		if err != nil {
			return
		}
		b, err := json.Marshal(out.offer)
		if err != nil {
			t.Fatal(err)
		}
		if err := (&PriceList{}).Add("fuzz.json", b); err != nil && !strings.Contains(err.Error(), "want a non-negative number") && !strings.Contains(err.Error(), "is below beginRange") {
			t.Fatalf("kept an offer the reader refuses: %v", err)
		}
	})
}

// TestFetchSkipsAServiceNotInTheRegion: a service whose Price List has no
// file for the region is skipped with the reason; the others are written,
// and the skipped service's prices are listed as missing.
func TestFetchSkipsAServiceNotInTheRegion(t *testing.T) {
	_, srv := newBulkAPI(t, "AWSXRay")
	dir := t.TempDir()
	got, err := FetchPriceList(context.Background(), "ap-northeast-2", dir, FetchOptions{Client: srv.Client(), Endpoint: srv.URL, Services: []string{"AWSLambda", "AWSXRay"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Skipped != "" || got[1].Skipped != `region "ap-northeast-2" is not in its Price List (1 region: us-east-1)` || got[1].File != "" {
		t.Fatalf("fetched %+v", got)
	}
	pl, err := LoadPriceList(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := pl.ForRegion("ap-northeast-2")
	if !p.Unpriced("xray.recorded") || p.Unpriced("lambda.requests") {
		t.Errorf("missing %q", p.Missing)
	}
}
