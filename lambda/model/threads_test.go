package model_test

import (
	"runtime"
	"testing"

	"github.com/costguard-ml/costguard/lambda/model"
)

func TestIntraOpThreads(t *testing.T) {
	for _, tt := range []struct {
		name    string
		env     map[string]string
		want    int
		wantErr string
	}{
		{"off Lambda: the machine's CPUs", nil, runtime.NumCPU(), ""},
		{"128 MB: one thread", map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128"}, 1, ""},
		{"1769 MB: one vCPU", map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "1769"}, 1, ""},
		{"3538 MB: two vCPUs", map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "3538"}, 2, ""},
		{"10240 MB: five", map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "10240"}, 5, ""},
		{"override wins", map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "10240", "ORT_INTRA_OP_THREADS": "2"}, 2, ""},
		{"bad override", map[string]string{"ORT_INTRA_OP_THREADS": "0"}, 0, `ORT_INTRA_OP_THREADS="0" is not allowed: want an integer from 1 to 256`},
		{"bad memory", map[string]string{"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "lots"}, 0, `AWS_LAMBDA_FUNCTION_MEMORY_SIZE="lots" is not a number of MB`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := model.IntraOpThreads(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %d, %v; want %d", got, err, tt.want)
			}
		})
	}
}
