package assembly

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	tests := []struct {
		name      string
		path      string
		wantNames []string
	}{
		{name: "nested assembly directory", path: "testdata/nested", wantNames: []string{"Top", "assembly-Prod/ProdApi"}},
		{name: "manifest file", path: "testdata/nested/manifest.json", wantNames: []string{"Top", "assembly-Prod/ProdApi"}},
		{name: "one template", path: "testdata/nested/assembly-Prod/ProdApi.template.json", wantNames: []string{"ProdApi"}},
		{name: "directory of templates", path: "testdata/templates", wantNames: []string{"a", "b"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			stacks, err := Read(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, s := range stacks {
				names = append(names, s.Name)
			}
			if strings.Join(names, ",") != strings.Join(tc.wantNames, ",") {
				t.Errorf("stacks = %q, want %q", names, tc.wantNames)
			}
		})
	}
	stacks, _ := Read("testdata/nested")
	if p := stacks[1].Template.Resources["Dash"].Path(); p != "ProdApi/Dash/Resource" {
		t.Errorf("Path() = %q", p)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, path, want string
	}{
		{name: "missing", path: "testdata/nope", want: "testdata/nope: no such file or directory"},
		{name: "not an assembly", path: "testdata", want: "testdata: not a cloud assembly (no manifest.json) and no *.template.json files"},
		{name: "template missing", path: "testdata/broken", want: filepath.Join("testdata", "broken", "Gone.template.json") + ": no such file or directory"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(tc.path)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Read(%q) error = %v, want it to contain %q", tc.path, err, tc.want)
			}
		})
	}
	if _, err := ReadTemplate("testdata/broken/manifest.json"); err == nil || !strings.Contains(err.Error(), "not a CloudFormation template (no Resources)") {
		t.Errorf("ReadTemplate(manifest) error = %v", err)
	}
}

func TestEnvRegion(t *testing.T) {
	for env, want := range map[string]string{
		"aws://111111111111/eu-west-1":         "eu-west-1",
		"aws://unknown-account/unknown-region": "",
		"aws://111111111111/":                  "",
		"":                                     "",
		"eu-west-1":                            "",
	} {
		if got := envRegion(env); got != want {
			t.Errorf("envRegion(%q) = %q, want %q", env, got, want)
		}
	}
}
