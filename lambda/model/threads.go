package model

import (
	"fmt"
	"runtime"
	"strconv"
	"strings"
)

// lambdaMBPerVCPU is the memory that buys one vCPU on AWS Lambda: a function
// gets a full vCPU at 1,769 MB and up to 6 at 10,240 MB.
const lambdaMBPerVCPU = 1769

// IntraOpThreadsEnv overrides the thread count IntraOpThreads picks.
const IntraOpThreadsEnv = "ORT_INTRA_OP_THREADS"

// IntraOpThreads returns how many threads one inference should use: the
// value of ORT_INTRA_OP_THREADS when set; on Lambda (when
// AWS_LAMBDA_FUNCTION_MEMORY_SIZE is set) the function's vCPUs,
// max(1, memory MB / 1769) — more threads than vCPUs only add contention;
// elsewhere runtime.NumCPU(). getenv is os.Getenv in production.
func IntraOpThreads(getenv func(string) string) (int, error) {
	if v := strings.TrimSpace(getenv(IntraOpThreadsEnv)); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 256 {
			return 0, fmt.Errorf("%s=%q is not allowed: want an integer from 1 to 256", IntraOpThreadsEnv, v)
		}
		return n, nil
	}
	if v := strings.TrimSpace(getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")); v != "" {
		mb, err := strconv.Atoi(v)
		if err != nil || mb < 1 {
			return 0, fmt.Errorf("AWS_LAMBDA_FUNCTION_MEMORY_SIZE=%q is not a number of MB", v)
		}
		return max(1, mb/lambdaMBPerVCPU), nil
	}
	return runtime.NumCPU(), nil
}
