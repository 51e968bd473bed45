package sizing

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// readmeProfile is the profile encoded in the example visualization URL of
// Power Tuning's README-INPUT-OUTPUT.md (float32 durations, as encoded).
var readmeProfile = []Point{
	{128, 37002.3984375}, {256, 18647.7734375}, {512, 8489.4365234375},
	{1024, 3890.8916015625}, {1536, 2512.2265625}, {3008, 2009.7933349609375},
}

const readmeURL = "https://lambda-power-tuning.show/#gAAAAQACAAQABsAL;ZooQR4yvkUa/pQRGRC5zRaADHUVjOftE;QdWhOEMkoziDT5Q4xhiIOMYYiDi6RNc4"

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestParseProfile(t *testing.T) {
	full := readTestdata(t, "powertuning-output.json")
	tests := []struct {
		name       string
		in         string
		want       []Point
		wantFormat string
	}{
		{name: "power tuning output", in: full, want: readmeProfile, wantFormat: FormatPowerTuning},
		{name: "power tuning results object", in: `{"power":"128","stats":[{"value":256,"averageDuration":10,"averagePrice":1},{"value":128,"averageDuration":20,"averagePrice":1}]}`,
			want: []Point{{128, 20}, {256, 10}}, wantFormat: FormatPowerTuning},
		{name: "power tuning stats array", in: `[{"value":"512","averageDuration":7}]`, want: []Point{{512, 7}}, wantFormat: FormatPowerTuning},
		{name: "failed power values dropped", in: `[{"value":128,"averageDuration":0},{"value":512,"averageDuration":7}]`, want: []Point{{512, 7}}, wantFormat: FormatPowerTuning},
		{name: "output without stats uses the visualization url", in: readTestdata(t, "powertuning-no-stats.json"), want: readmeProfile, wantFormat: FormatPowerTuningURL},
		{name: "bare visualization url", in: readmeURL + "\n", want: readmeProfile, wantFormat: FormatPowerTuningURL},
		{name: "visualization url as a json string", in: `"` + readmeURL + `"`, want: readmeProfile, wantFormat: FormatPowerTuningURL},
		{name: "simple map", in: readTestdata(t, "map.json"),
			want: []Point{{128, 1000}, {256, 500}, {512, 260}, {1024, 140}, {2048, 100}, {4096, 90}}, wantFormat: FormatMap},
		{name: "simple map with MB suffixes", in: `{"1024MB": 80.5, "512 mb": 150}`, want: []Point{{512, 150}, {1024, 80.5}}, wantFormat: FormatMap},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParseProfile([]byte(tc.in))
			if err != nil {
				t.Fatalf("ParseProfile() error = %v", err)
			}
			if !reflect.DeepEqual(got.Points, tc.want) || got.Format != tc.wantFormat {
				t.Errorf("ParseProfile() = %+v (%s), want %+v (%s)", got.Points, got.Format, tc.want, tc.wantFormat)
			}
		})
	}
}

func TestParseProfileErrors(t *testing.T) {
	tests := []struct {
		name, in, wantErr string
	}{
		{name: "empty", in: "  ", wantErr: "profile: empty input"},
		{name: "not json", in: "hello", wantErr: `profile: "hello" is neither JSON nor a Power Tuning visualization URL`},
		{name: "bad map key", in: `{"big": 10}`, wantErr: `profile: key "big" is not a memory size in MB`},
		{name: "bad map value", in: `{"128": "fast"}`, wantErr: `profile: value of "128" is not a duration in ms`},
		{name: "memory below lambda minimum", in: `{"64": 10}`, wantErr: "profile: memory 64 MB is outside 128 to 10240"},
		{name: "memory above lambda maximum", in: `{"20480": 10}`, wantErr: "profile: memory 20480 MB is outside 128 to 10240"},
		{name: "zero duration in a map", in: `{"128": 0}`, wantErr: "profile: duration at 128 MB: 0 ms is not a positive number"},
		{name: "duplicate memory", in: `[{"value":128,"averageDuration":1},{"value":128,"averageDuration":2}]`, wantErr: "profile: memory 128 MB appears twice"},
		{name: "no sizes", in: `{}`, wantErr: "profile: no memory sizes"},
		{name: "results without stats or url", in: `{"results":{"power":"128"}}`, wantErr: "neither stats nor a visualization URL"},
		{name: "truncated json", in: `{"results":`, wantErr: "profile:"},
		{name: "url with bad base64", in: "https://lambda-power-tuning.show/#%%;%%;%%", wantErr: "memory sizes are not base64 int16 values"},
		{name: "url with mismatched lists", in: "https://x/#gAAAAQ==;ZooQRw==;", wantErr: "2 memory sizes but 1 durations"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseProfile([]byte(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("ParseProfile(%q) error = %v, want it to contain %q", tc.in, err, tc.wantErr)
			}
		})
	}
}
