package stacks

import (
	"fmt"
	"testing"
)

// TestTemplateMetadataHasNoFractions proves that the template-level
// Metadata of every stage and example (the costguard:stack and
// costguard:guard records) holds no fractional number, which CloudFormation
// linters reject; `costguard report` reads the decimal strings back
// (cost/report's tests).
func TestTemplateMetadataHasNoFractions(t *testing.T) {
	for stack, tmpl := range allTemplates(t) {
		var walk func(path string, v any)
		walk = func(path string, v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, e := range x {
					walk(path+"."+k, e)
				}
			case []any:
				for i, e := range x {
					walk(fmt.Sprintf("%s[%d]", path, i), e)
				}
			case float64:
				if x != float64(int64(x)) {
					t.Errorf("%s: Metadata%s = %v, a fractional number", stack, path, x)
				}
			}
		}
		walk("", tmpl["Metadata"])
	}
}
