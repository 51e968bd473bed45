package limits

import "testing"

func TestFargateMemoryValid(t *testing.T) {
	tests := []struct {
		cpu, mem int
		want     bool
	}{
		{256, 512, true}, {256, 1024, true}, {256, 2048, true}, {256, 1536, false}, {256, 4096, false},
		{512, 1024, true}, {512, 4096, true}, {512, 512, false},
		{1024, 2048, true}, {1024, 8192, true}, {1024, 9216, false},
		{2048, 4096, true}, {2048, 16384, true}, {2048, 3072, false},
		{4096, 8192, true}, {4096, 30720, true}, {4096, 8704, false},
		{8192, 16384, true}, {8192, 61440, true}, {8192, 17408, false},
		{16384, 32768, true}, {16384, 122880, true}, {16384, 36864, false}, {16384, 131072, false},
		{3072, 8192, false}, {0, 0, false},
	}
	for _, tc := range tests {
		if got := FargateMemoryValid(tc.cpu, tc.mem); got != tc.want {
			t.Errorf("FargateMemoryValid(%d, %d) = %v, want %v", tc.cpu, tc.mem, got, tc.want)
		}
	}
}

func TestLambdaCPU(t *testing.T) {
	if LambdaMemoryPerVCPUMiB*LambdaMaxVCPUs < LambdaMaxMemoryMiB {
		t.Errorf("%d MB per vCPU × %d vCPUs is under the %d MB maximum", LambdaMemoryPerVCPUMiB, LambdaMaxVCPUs, LambdaMaxMemoryMiB)
	}
}
