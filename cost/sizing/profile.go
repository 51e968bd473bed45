package sizing

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/costguard-ml/costguard/cost/limits"
)

// Point is one memory size of a duration-by-memory profile.
type Point struct {
	MemoryMiB int `json:"memoryMiB"`
	// AvgDurationMs is the average warm invocation duration at MemoryMiB.
	AvgDurationMs float64 `json:"avgDurationMs"`
}

// Profile is a duration-by-memory profile of one function, sorted by memory.
type Profile struct {
	Points []Point `json:"points"`
	// Format names where the profile came from: "power-tuning",
	// "power-tuning-url", "map" or "analytic".
	Format string `json:"format"`
}

// The profile formats [ParseProfile] recognises.
const (
	FormatPowerTuning    = "power-tuning"
	FormatPowerTuningURL = "power-tuning-url"
	FormatMap            = "map"
	FormatAnalytic       = "analytic"
)

// powerTuningStat is one entry of Power Tuning's results.stats.
type powerTuningStat struct {
	Value           json.Number `json:"value"`
	AveragePrice    float64     `json:"averagePrice"`
	AverageDuration float64     `json:"averageDuration"`
}

type powerTuningResults struct {
	Power        json.RawMessage   `json:"power"`
	Stats        []powerTuningStat `json:"stats"`
	StateMachine struct {
		Visualization string `json:"visualization"`
	} `json:"stateMachine"`
}

// ParseProfile reads a duration-by-memory profile in any of these forms:
//
//   - the output of AWS Lambda Power Tuning's state machine,
//     {"results": {"power": …, "stats": [{"value": 128, "averageDuration": …, "averagePrice": …}, …]}}
//     (stats are present when it ran with includeOutputResults), or just the
//     inner results object, or just the stats array;
//   - when the output has no stats, its visualization URL, whose fragment
//     encodes the memory sizes (little-endian int16) and the average
//     durations (little-endian float32) in base64; the URL alone, bare or
//     as a JSON string, is accepted too;
//   - a simple map of memory in MB to average duration in ms,
//     {"128": 2900, "1024": 380}.
func ParseProfile(data []byte) (Profile, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return Profile{}, errors.New("profile: empty input")
	}
	var p Profile
	var err error
	switch {
	case bytes.HasPrefix(data, []byte("[")):
		var stats []powerTuningStat
		if err = decodeNumbers(data, &stats); err != nil {
			return Profile{}, fmt.Errorf("profile: power tuning stats: %w", err)
		}
		p, err = fromStats(stats)
	case bytes.HasPrefix(data, []byte("{")):
		p, err = parseObject(data)
	case bytes.HasPrefix(data, []byte(`"`)):
		var s string
		if err = json.Unmarshal(data, &s); err != nil {
			return Profile{}, fmt.Errorf("profile: %w", err)
		}
		p, err = ParseVisualizationURL(s)
	default:
		p, err = ParseVisualizationURL(string(data))
	}
	if err != nil {
		return Profile{}, err
	}
	return p, p.Validate()
}

// decodeNumbers decodes JSON keeping numbers as json.Number where the
// destination allows, so memory sizes written as 128 or "128" both parse.
func decodeNumbers(data []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	return d.Decode(v)
}

func parseObject(data []byte) (Profile, error) {
	var top map[string]json.RawMessage
	if err := decodeNumbers(data, &top); err != nil {
		return Profile{}, fmt.Errorf("profile: %w", err)
	}
	if raw, ok := top["results"]; ok {
		return parseResults(raw)
	}
	if _, ok := top["stats"]; ok {
		return parseResults(data)
	}
	if _, ok := top["power"]; ok {
		return parseResults(data)
	}
	// A simple map: every key a memory size, every value a duration.
	var pts []Point
	for k, v := range top {
		mem, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(k)), "MB")))
		if err != nil {
			return Profile{}, fmt.Errorf("profile: key %q is not a memory size in MB (want {\"memory_mb\": avg_ms, …} or Power Tuning output)", k)
		}
		var ms float64
		if err := json.Unmarshal(v, &ms); err != nil {
			return Profile{}, fmt.Errorf("profile: value of %q is not a duration in ms: %s", k, v)
		}
		pts = append(pts, Point{MemoryMiB: mem, AvgDurationMs: ms})
	}
	return Profile{Points: sortPoints(pts), Format: FormatMap}, nil
}

func parseResults(raw []byte) (Profile, error) {
	var r powerTuningResults
	if err := decodeNumbers(raw, &r); err != nil {
		return Profile{}, fmt.Errorf("profile: power tuning results: %w", err)
	}
	if len(r.Stats) > 0 {
		return fromStats(r.Stats)
	}
	if r.StateMachine.Visualization != "" {
		return ParseVisualizationURL(r.StateMachine.Visualization)
	}
	return Profile{}, errors.New("profile: power tuning output has neither stats nor a visualization URL (run it with includeOutputResults: true)")
}

func fromStats(stats []powerTuningStat) (Profile, error) {
	var pts []Point
	for i, s := range stats {
		mem, err := strconv.Atoi(s.Value.String())
		if err != nil {
			return Profile{}, fmt.Errorf("profile: stats[%d].value: %q is not a memory size in MB", i, s.Value)
		}
		// Power Tuning drops failed power values the same way.
		if s.AverageDuration == 0 {
			continue
		}
		pts = append(pts, Point{MemoryMiB: mem, AvgDurationMs: s.AverageDuration})
	}
	return Profile{Points: sortPoints(pts), Format: FormatPowerTuning}, nil
}

// ParseVisualizationURL decodes the profile in the fragment of a Power
// Tuning visualization URL (https://lambda-power-tuning.show/#sizes;durations;costs).
func ParseVisualizationURL(u string) (Profile, error) {
	u = strings.TrimSpace(u)
	_, frag, ok := strings.Cut(u, "#")
	if !ok {
		frag = u
	}
	parts := strings.Split(frag, ";")
	if len(parts) < 2 {
		return Profile{}, fmt.Errorf("profile: %q is neither JSON nor a Power Tuning visualization URL", abbreviate(u))
	}
	sizes, err := base64.StdEncoding.DecodeString(parts[0])
	if err != nil || len(sizes)%2 != 0 {
		return Profile{}, fmt.Errorf("profile: visualization URL: memory sizes are not base64 int16 values")
	}
	times, err := base64.StdEncoding.DecodeString(parts[1])
	if err != nil || len(times)%4 != 0 {
		return Profile{}, fmt.Errorf("profile: visualization URL: durations are not base64 float32 values")
	}
	n := len(sizes) / 2
	if len(times)/4 != n {
		return Profile{}, fmt.Errorf("profile: visualization URL: %d memory sizes but %d durations", n, len(times)/4)
	}
	pts := make([]Point, n)
	for i := range n {
		pts[i] = Point{
			MemoryMiB:     int(int16(binary.LittleEndian.Uint16(sizes[2*i:]))),
			AvgDurationMs: float64(math.Float32frombits(binary.LittleEndian.Uint32(times[4*i:]))),
		}
	}
	return Profile{Points: sortPoints(pts), Format: FormatPowerTuningURL}, nil
}

func abbreviate(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

func sortPoints(p []Point) []Point {
	sort.Slice(p, func(i, j int) bool { return p[i].MemoryMiB < p[j].MemoryMiB })
	return p
}

// Validate reports every problem with p, joined.
func (p Profile) Validate() error {
	if len(p.Points) == 0 {
		return errors.New("profile: no memory sizes")
	}
	var errs []error
	seen := map[int]bool{}
	for _, pt := range p.Points {
		if pt.MemoryMiB < limits.LambdaMinMemoryMiB || pt.MemoryMiB > limits.LambdaMaxMemoryMiB {
			errs = append(errs, fmt.Errorf("profile: memory %d MB is outside %d to %d", pt.MemoryMiB, limits.LambdaMinMemoryMiB, limits.LambdaMaxMemoryMiB))
		}
		if !(pt.AvgDurationMs > 0) || math.IsInf(pt.AvgDurationMs, 0) {
			errs = append(errs, fmt.Errorf("profile: duration at %d MB: %g ms is not a positive number", pt.MemoryMiB, pt.AvgDurationMs))
		}
		if seen[pt.MemoryMiB] {
			errs = append(errs, fmt.Errorf("profile: memory %d MB appears twice", pt.MemoryMiB))
		}
		seen[pt.MemoryMiB] = true
	}
	return errors.Join(errs...)
}
