// Command bootstrap is the model server: one binary that answers as an AWS
// Lambda custom runtime (provided.al2023), a plain HTTP server (Fargate) or a
// SageMaker inference container, chosen from the environment at start-up.
// See package server for the contract and the environment variables.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"

	"github.com/costguard-ml/costguard/lambda/server"
)

// init keeps main, and with it the model's load, on the process's main
// thread. ONNX Runtime's library load, environment and session build are
// thousands of C++ allocations; from the main thread glibc serves them from
// its main heap, from any other thread from a per-thread arena that it
// first maps and then grows page by page. Measured on the build machine
// (40 interleaved cold starts each, start → listening): MobileNet 32.3 →
// 27.7 ms, BERT 32.2 → 29.3 ms. The Go scheduler may otherwise move the main
// goroutine to another thread at any blocking call before the load.
func init() { runtime.LockOSThread() }

func main() {
	os.Exit(run())
}

func run() int {
	exeDir := "."
	if exe, err := os.Executable(); err == nil {
		if real, err := filepath.EvalSymlinks(exe); err == nil {
			exe = real
		}
		exeDir = filepath.Dir(exe)
	}
	if len(os.Args) > 1 && (os.Args[1] == "-h" || os.Args[1] == "-help" || os.Args[1] == "--help") {
		server.Usage(os.Stdout, filepath.Base(os.Args[0]))
		return 0
	}
	cfg, err := server.ConfigFromEnv(os.Getenv, os.Args[1:], exeDir)
	if err != nil {
		for _, line := range strings.Split(err.Error(), "\n") {
			fmt.Fprintln(os.Stderr, "bootstrap: invalid configuration:", line)
		}
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	if err := server.Run(ctx, cfg, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bootstrap:", err)
		return 1
	}
	return 0
}
