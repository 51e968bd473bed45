package workload

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
)

// MetadataMap returns v as a generic JSON object for a template's Metadata
// section, every fractional number written as a decimal string ("1.6"):
// CloudFormation linters reject fractional numbers in template-level
// Metadata, and a string keeps every digit. Whole numbers stay numbers.
// [DecodeMetadata] reads it back.
func MetadataMap(v any) map[string]any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("workload: marshal metadata: %v", err))
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		panic(fmt.Sprintf("workload: unmarshal metadata: %v", err))
	}
	return fractionsToStrings(m).(map[string]any)
}

func fractionsToStrings(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = fractionsToStrings(e)
		}
	case []any:
		for i, e := range t {
			t[i] = fractionsToStrings(e)
		}
	case float64:
		if t != float64(int64(t)) {
			return strconv.FormatFloat(t, 'f', -1, 64)
		}
	}
	return v
}

// MetadataTextFields are the keys of the template-level records (the
// stack's, the guard's) whose values are text, which DecodeMetadata never
// reads as a number.
var MetadataTextFields = []string{"stage", "region", "stateParameter", "item", "warnings"}

// decimal is what MetadataMap writes a fractional number as.
var decimal = regexp.MustCompile(`^-?[0-9]+\.[0-9]+$`)

// DecodeMetadata decodes a metadata value (a decoded JSON object, or raw
// JSON) into dst, reading the decimal strings MetadataMap wrote back as
// numbers, except under stringKeys (fields that are text), so records
// written before numbers became strings read the same.
func DecodeMetadata(v any, dst any, stringKeys ...string) error {
	var generic any
	switch t := v.(type) {
	case []byte:
		if err := json.Unmarshal(t, &generic); err != nil {
			return err
		}
	case json.RawMessage:
		if err := json.Unmarshal(t, &generic); err != nil {
			return err
		}
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(b, &generic); err != nil {
			return err
		}
	}
	b, err := json.Marshal(stringsToNumbers(generic, "", stringKeys))
	if err != nil {
		return err
	}
	return json.Unmarshal(b, dst)
}

func stringsToNumbers(v any, key string, stringKeys []string) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			t[k] = stringsToNumbers(e, k, stringKeys)
		}
	case []any:
		for i, e := range t {
			t[i] = stringsToNumbers(e, key, stringKeys)
		}
	case string:
		if decimal.MatchString(t) && !slices.Contains(stringKeys, key) {
			return json.Number(t)
		}
	}
	return v
}
