// Command killswitch is the cost guard's kill-switch Lambda function
// (runtime provided.al2023). It stops the stage's guarded resources when the
// dollar alarm or the budget's 100 % notification reaches it through the
// stage's trigger topic, and restores them on the monthly schedule's
// {"action":"restore"} event. The logic lives in internal/killswitch.
package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/costguard-ml/costguard/internal/killswitch"
)

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	c, err := killswitch.ConfigFromEnv(os.Getenv)
	if err != nil {
		log.Error("configuration", "error", err)
		os.Exit(1)
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	if err != nil {
		log.Error("aws configuration", "error", err)
		os.Exit(1)
	}
	s := killswitch.New(c, cfg)
	lambda.Start(func(ctx context.Context, event json.RawMessage) (killswitch.Report, error) {
		r, err := s.Handle(ctx, event)
		log.Info("handled", "action", r.Action, "reason", r.Reason, "changes", r.Changes, "unchanged", r.Unchanged, "error", errString(err))
		return r, err
	})
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
