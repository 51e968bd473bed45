package stacks

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/internal/cdktest"
)

// priceFixtures are the Price List fixtures (ap-northeast-2, synthetic
// prices, both documented formats), every file.
func priceFixtures(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(cdktest.ModuleRoot(t), "cost", "pricing", "testdata", "pricelist", "*.json"))
	if err != nil || len(files) < 2 {
		t.Fatalf("price list fixtures: %v (%d files)", err, len(files))
	}
	return files
}

// A stage in a region without built-in prices is priced from imported
// Price List files (-c pricesFile=…), and refused in one line without
// them, naming how to import them.
func TestStageRegionPricedFromImportedFiles(t *testing.T) {
	const region = "ap-northeast-2"
	if _, err := pricing.ForRegion(region); err == nil {
		t.Fatalf("%s has built-in prices; the test needs a region that has none", region)
	}
	over := map[string]string{"region": region}

	t.Run("without the files", func(t *testing.T) {
		_, err := BuildApp(cdktest.NewApp(t), AppOptions{Root: cdktest.ModuleRoot(t), Stage: "dev", Code: stubCode, Overrides: over})
		want := `stage dev: Region: "ap-northeast-2" has no built-in prices (built in: us-east-1); import its prices from AWS Price List files with -c pricesFile=FILE[,FILE]`
		if err == nil || !strings.Contains(err.Error(), want) || strings.Count(err.Error(), "\n") != 0 {
			t.Fatalf("BuildApp() error = %v, want one line containing %q", err, want)
		}
	})

	t.Run("with the files", func(t *testing.T) {
		pl, err := pricing.LoadPriceList(priceFixtures(t)...)
		if err != nil {
			t.Fatal(err)
		}
		imported, _ := pl.ForRegion(region)
		builtin := pricing.Default()
		if imported.Lambda.RequestsPerMillion == builtin.Lambda.RequestsPerMillion {
			t.Fatal("the fixtures' Lambda request price equals us-east-1's: the test could not tell them apart")
		}
		built, err := BuildApp(cdktest.NewApp(t), AppOptions{Root: cdktest.ModuleRoot(t), Stage: "dev", Code: stubCode, Overrides: over, PriceList: pl})
		if err != nil {
			t.Fatalf("BuildApp() error = %v", err)
		}
		s := built[0]
		if got := *s.Stack.Region(); got != region {
			t.Errorf("stack region %s, want %s", got, region)
		}
		// The guard's dollar model prices a request at the imported price.
		if got, want := s.Guard.Model().Rates.LambdaPerRequest, imported.Lambda.RequestsPerMillion/1e6; got != want {
			t.Errorf("guard prices a Lambda request at %g, want the imported %g", got, want)
		}
	})
}
