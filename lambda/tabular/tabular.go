package tabular

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Spec describes the rows a tabular model takes.
type Spec struct {
	// Width is the number of input columns (the model's feature count).
	// Required.
	Width int
	// Features, when set, names the Width columns in the model's order, and
	// rows may then also be objects keyed by these names. Default: none;
	// rows are arrays only.
	Features []string
}

// Validate reports every problem of s at once, one line each.
func (s Spec) Validate() error {
	var errs []error
	if s.Width < 1 {
		errs = append(errs, fmt.Errorf("width %d: must be at least 1", s.Width))
	}
	if len(s.Features) > 0 && len(s.Features) != s.Width {
		errs = append(errs, fmt.Errorf("features lists %d names, width is %d: give one name per input column, in the model's order", len(s.Features), s.Width))
	}
	first := make(map[string]int, len(s.Features))
	for i, name := range s.Features {
		if name == "" {
			errs = append(errs, fmt.Errorf("features[%d] is empty: every feature needs a name", i))
			continue
		}
		if j, dup := first[name]; dup {
			errs = append(errs, fmt.Errorf("features[%d] %q repeats features[%d]: names must be unique", i, name, j))
			continue
		}
		first[name] = i
	}
	return errors.Join(errs...)
}

// Error is an input problem in one row. Field locates it inside the row:
// "" for the row as a whole, "[3]" for an array element, or a feature name
// for an object member; the server prefixes it with the instance
// ("instances[3]").
type Error struct {
	Field string
	Msg   string
}

func (e *Error) Error() string { return e.Msg }

func rowErr(field, format string, args ...any) *Error {
	return &Error{field, fmt.Sprintf(format, args...)}
}

// DecodeRow decodes one row, the JSON value raw, into dst, which must hold
// exactly Width values. A row is an array of Width numbers, or, when
// Features are listed, an object holding each feature exactly once.
// Numbers must fit float32 (no NaN or infinities exist in JSON). Input
// problems are *[Error]; on error dst holds partial results.
//
// DecodeRow scans raw once, never recurses (a nested value is reported,
// not descended into), allocates nothing on success for numbers of up to
// 32 bytes and feature names without escapes, and never panics.
func (s Spec) DecodeRow(raw []byte, dst []float32) error {
	if s.Width < 1 || (len(s.Features) > 0 && len(s.Features) != s.Width) {
		return fmt.Errorf("invalid tabular spec: %v", s.Validate())
	}
	if len(dst) != s.Width {
		return fmt.Errorf("dst has %d values, want width %d", len(dst), s.Width)
	}
	p := scanner{b: raw}
	p.ws()
	var err error
	switch p.peek() {
	case '[':
		err = s.array(&p, dst)
	case '{':
		if len(s.Features) == 0 {
			return rowErr("", "row is an object, but the model lists no feature names: send an array of %d numbers", s.Width)
		}
		err = s.object(&p, dst)
	default:
		if p.i >= len(p.b) {
			return rowErr("", "row is empty: %s", s.want())
		}
		if k := p.kind(); k != "" {
			return rowErr("", "row is %s: %s", k, s.want())
		}
		return p.syntax("a row")
	}
	if err != nil {
		return err
	}
	p.ws()
	if p.i < len(p.b) {
		return p.syntax("the end of the row")
	}
	return nil
}

func (s Spec) want() string {
	if len(s.Features) > 0 {
		return fmt.Sprintf("send an array of %d numbers or an object keyed by feature name", s.Width)
	}
	return fmt.Sprintf("send an array of %d numbers", s.Width)
}

func (s Spec) array(p *scanner, dst []float32) error {
	p.i++ // [
	p.ws()
	n := 0
	if p.peek() == ']' {
		p.i++
	} else {
		for {
			p.ws()
			v, problem, err := p.number()
			if err != nil {
				return err
			}
			if problem != "" {
				return rowErr("["+strconv.Itoa(n)+"]", "element %d: %s", n, problem)
			}
			if n < len(dst) {
				dst[n] = v
			}
			n++
			p.ws()
			if c := p.peek(); c == ',' {
				p.i++
				continue
			} else if c == ']' {
				p.i++
				break
			}
			return p.syntax(`"," or "]"`)
		}
	}
	if n != s.Width {
		return rowErr("", "row has %d numbers, want %d", n, s.Width)
	}
	return nil
}

func (s Spec) object(p *scanner, dst []float32) error {
	var small [4]uint64
	seen := small[:]
	if s.Width > 64*len(small) {
		seen = make([]uint64, (s.Width+63)/64)
	}
	p.i++ // {
	p.ws()
	count := 0
	if p.peek() == '}' {
		p.i++
	} else {
		for {
			p.ws()
			if p.peek() != '"' {
				return p.syntax("a feature name in quotes")
			}
			key, escaped, err := p.str()
			if err != nil {
				return err
			}
			var idx int
			if escaped {
				var name string
				if json.Unmarshal(key, &name) != nil {
					return p.syntax("a valid string")
				}
				idx = s.index(name, count)
				key = []byte(name)
			} else {
				idx = s.indexBytes(key[1:len(key)-1], count)
				key = key[1 : len(key)-1]
			}
			if idx < 0 {
				name := string(key)
				return rowErr(name, "unknown feature %s (did you mean %q?)", quoteShort(name), nearest(name, s.Features))
			}
			name := s.Features[idx]
			if seen[idx/64]&(1<<(idx%64)) != 0 {
				return rowErr(name, "feature %q: given more than once", name)
			}
			seen[idx/64] |= 1 << (idx % 64)
			count++
			p.ws()
			if p.peek() != ':' {
				return p.syntax(`":"`)
			}
			p.i++
			p.ws()
			v, problem, err := p.number()
			if err != nil {
				return err
			}
			if problem != "" {
				return rowErr(name, "feature %q: %s", name, problem)
			}
			dst[idx] = v
			p.ws()
			if c := p.peek(); c == ',' {
				p.i++
				continue
			} else if c == '}' {
				p.i++
				break
			}
			return p.syntax(`"," or "}"`)
		}
	}
	if count == s.Width {
		return nil
	}
	var missing []string
	for i, name := range s.Features {
		if seen[i/64]&(1<<(i%64)) == 0 {
			missing = append(missing, strconv.Quote(name))
		}
	}
	if len(missing) == 1 {
		return rowErr(s.Features[indexOfMissing(seen, s.Width)], "feature %s: missing", missing[0])
	}
	list := missing
	if len(list) > 10 {
		list = append(list[:10:10], fmt.Sprintf("and %d more", len(missing)-10))
	}
	return rowErr("", "features %s: missing", strings.Join(list, ", "))
}

func indexOfMissing(seen []uint64, width int) int {
	for i := range width {
		if seen[i/64]&(1<<(i%64)) == 0 {
			return i
		}
	}
	return 0
}

// indexBytes finds key among the features, trying the position a key in
// model order would have first, so a row written in order costs one
// comparison per key.
func (s Spec) indexBytes(key []byte, guess int) int {
	if guess < len(s.Features) && string(key) == s.Features[guess] {
		return guess
	}
	for i, name := range s.Features {
		if string(key) == name {
			return i
		}
	}
	return -1
}

func (s Spec) index(key string, guess int) int {
	if guess < len(s.Features) && key == s.Features[guess] {
		return guess
	}
	for i, name := range s.Features {
		if key == name {
			return i
		}
	}
	return -1
}

// quoteShort quotes s, cut to 64 bytes, for error messages.
func quoteShort(s string) string {
	if len(s) > 64 {
		return strconv.Quote(s[:64]) + "…"
	}
	return strconv.Quote(s)
}

// nearest returns the feature name closest to name by edit distance
// (first of equals, in model order). name is cut to 64 bytes so the cost
// stays bounded whatever the request holds.
func nearest(name string, features []string) string {
	if len(name) > 64 {
		name = name[:64]
	}
	best, bestD := "", math.MaxInt
	for _, f := range features {
		if d := editDistance(strings.ToLower(name), strings.ToLower(f)); d < bestD {
			best, bestD = f, d
		}
	}
	return best
}

func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
