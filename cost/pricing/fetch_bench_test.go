package pricing

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"
)

// peakHeapMB runs f and returns the most heap its objects held above what
// was live before it, sampled every 100 µs (runtime/metrics reads without
// stopping the world).
func peakHeapMB(f func()) float64 {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	base := read()
	var peak atomic.Uint64
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(100 * time.Microsecond)
		defer t.Stop()
		for {
			if v := read(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(done)
	if p := peak.Load(); p > base {
		return float64(p-base) / 1e6
	}
	return 0
}

// syntheticEC2Offer is an AmazonEC2-shaped regional offer file of n
// instance products (none of which costguard prices) and one NAT gateway,
// each with an on-demand term; AWS's real file has tens of thousands of
// products and is hundreds of megabytes.
func syntheticEC2Offer(n int) []byte {
	var b bytes.Buffer
	b.WriteString(`{"formatVersion":"v1.0","offerCode":"AmazonEC2","version":"1","publicationDate":"2026-11-20T00:00:00Z","products":{`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `"S%d":{"sku":"S%d","productFamily":"Compute Instance","attributes":{"servicecode":"AmazonEC2","usagetype":"APN2-BoxUsage:m5.%dxlarge","regionCode":"ap-northeast-2","instanceType":"m5.large","vcpu":"2","memory":"8 GiB","operatingSystem":"Linux","tenancy":"Shared","licenseModel":"No License required"}},`, i, i, i)
	}
	b.WriteString(`"NAT":{"sku":"NAT","productFamily":"NAT Gateway","attributes":{"servicecode":"AmazonEC2","usagetype":"APN2-NatGateway-Hours","regionCode":"ap-northeast-2"}}},"terms":{"OnDemand":{`)
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, `"S%d":{"S%d.T":{"offerTermCode":"T","sku":"S%d","effectiveDate":"2026-01-01","priceDimensions":{"S%d.T.D":{"unit":"Hrs","beginRange":"0","endRange":"Inf","pricePerUnit":{"USD":"0.1"},"description":"x"}}}},`, i, i, i, i)
	}
	b.WriteString(`"NAT":{"NAT.T":{"priceDimensions":{"NAT.T.D":{"unit":"Hrs","beginRange":"0","endRange":"Inf","pricePerUnit":{"USD":"0.059"}}}}}},"Reserved":{}}}`)
	return b.Bytes()
}

// BenchmarkOfferFile compares what prices fetch does with a regional offer
// file (stream it, keep the products costguard prices) with what a reader
// would otherwise do (decode it whole, then pick): time per file, bytes
// allocated per file and the most heap held at once (peak-MB: what matters
// for a file of hundreds of megabytes). Run with `go test ./cost/pricing -run XXX -bench
// OfferFile -benchmem -count 6 | benchstat -`.
func BenchmarkOfferFile(b *testing.B) {
	// The file is on disk, as the network stream is outside the heap: a
	// reader that must hold it (decode whole) pays for it, one that
	// streams does not.
	file := filepath.Join(b.TempDir(), "AmazonEC2.offer.json")
	data := syntheticEC2Offer(50000)
	if err := os.WriteFile(file, data, 0o644); err != nil {
		b.Fatal(err)
	}
	size := int64(len(data))
	data = nil
	b.Run("stream-filter", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		var peak float64
		for b.Loop() {
			peak = max(peak, peakHeapMB(func() {
				f, err := os.Open(file)
				if err != nil {
					b.Fatal(err)
				}
				defer f.Close()
				out, err := filterOffer(f, "AmazonEC2", "bench")
				if err != nil || len(out.offer.Products) != 1 {
					b.Fatalf("%v, kept %d", err, len(out.offer.Products))
				}
			}))
		}
		b.ReportMetric(peak, "peak-MB")
	})
	b.Run("decode-whole", func(b *testing.B) {
		b.SetBytes(size)
		b.ReportAllocs()
		var peak float64
		for b.Loop() {
			peak = max(peak, peakHeapMB(func() {
				data, err := os.ReadFile(file)
				if err != nil {
					b.Fatal(err)
				}
				var o offer
				if err := json.Unmarshal(data, &o); err != nil {
					b.Fatal(err)
				}
				kept := 0
				for _, p := range o.Products {
					if mapsProduct("AmazonEC2", p) {
						kept++
					}
				}
				if kept != 1 {
					b.Fatalf("kept %d", kept)
				}
			}))
		}
		b.ReportMetric(peak, "peak-MB")
	})
}
