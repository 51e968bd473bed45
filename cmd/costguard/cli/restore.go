package cli

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/costguard-ml/costguard/internal/killswitch"
)

func init() {
	Register(Command{
		Name:    "restore",
		Summary: "put back what the cost guard's kill switch stopped on a stage (or show it with --status)",
		Usage:   "costguard restore --stage NAME [--status] [--parameter NAME] [--region REGION] [--profile PROFILE] [--reason TEXT] [--json]",
		Run:     runRestore,
	})
}

var stageName = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}$`)

func runRestore(env Env, args []string) error {
	f := NewFlags("restore", "costguard restore --stage NAME [flags]\n\n"+
		"Reads what the kill switch recorded in the stage's SSM parameter and puts\n"+
		"back exactly that: each function's reserved concurrency, or none where it\n"+
		"had none. It uses your AWS credentials (the usual environment, profile and\n"+
		"region settings); they need ssm:GetParameter and ssm:PutParameter on the\n"+
		"parameter and lambda:Put/DeleteFunctionConcurrency on the functions.\n"+
		"Restore after the RunawaySpend alarm is back to OK, or the next runaway\n"+
		"period trips the switch again.")
	stage := f.String("stage", "", "stage whose kill switch to restore (dev, staging, prod)")
	param := f.String("parameter", "", "state parameter (default /costguard/STAGE/killswitch)")
	region := f.String("region", "", "AWS region of the stage (default: the SDK's usual lookup)")
	profile := f.String("profile", "", "AWS shared-config profile (default: the SDK's usual lookup)")
	reason := f.String("reason", "restored by costguard restore", "reason recorded in the state's history")
	status := f.Bool("status", false, "show what is stopped and the recent history; change nothing")
	js := f.Bool("json", false, "print JSON")
	f.Require("stage")
	if err := f.ParseNoArgs(args); err != nil {
		return err
	}
	if !stageName.MatchString(*stage) {
		return Usagef("--stage: %q is not a stage name (lower-case letters, digits and dashes)", *stage)
	}
	if *param == "" {
		*param = killswitch.DefaultParameterName(*stage)
	}
	ctx := context.Background()
	cfg, err := awsConfig(ctx, *region, *profile)
	if err != nil {
		return err
	}
	s := killswitch.New(killswitch.Config{Stage: *stage, StateParameter: *param}, cfg)

	if *status {
		st, err := s.Status(ctx)
		if err != nil {
			return err
		}
		if *js {
			return writeJSON(env.Stdout, st)
		}
		writeStatus(env, *stage, *param, st)
		return nil
	}
	r, err := s.Restore(ctx, *reason)
	if *js {
		if werr := writeJSON(env.Stdout, r); werr != nil {
			return werr
		}
	} else if len(r.Changes) == 0 && err == nil {
		fmt.Fprintf(env.Stdout, "stage %s: nothing to restore (%s records nothing stopped)\n", *stage, *param)
	} else {
		fmt.Fprintf(env.Stdout, "stage %s: restored\n", *stage)
		for _, c := range r.Changes {
			fmt.Fprintf(env.Stdout, "  %s\n", c)
		}
	}
	return err
}

func writeStatus(env Env, stage, param string, st killswitch.State) {
	if !st.Tripped() {
		fmt.Fprintf(env.Stdout, "stage %s: serving (nothing stopped, per %s)\n", stage, param)
	} else {
		fmt.Fprintf(env.Stdout, "stage %s: STOPPED by the kill switch (per %s)\n", stage, param)
		ids := make([]string, 0, len(st.Stopped))
		for id := range st.Stopped {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			r := st.Stopped[id]
			fmt.Fprintf(env.Stdout, "  %s since %s, will restore %s\n    why: %s\n", id, r.At.Format("2006-01-02 15:04 UTC"), r.Previous, r.Reason)
		}
		fmt.Fprintf(env.Stdout, "restore with: costguard restore --stage %s\n", stage)
	}
	if len(st.History) > 0 {
		fmt.Fprintln(env.Stdout, "history:")
		for _, e := range st.History {
			fmt.Fprintf(env.Stdout, "  %s %-7s %s: %s\n", e.At.Format("2006-01-02 15:04"), e.Action, e.Reason, strings.Join(e.Changes, "; "))
		}
	}
}

// awsConfig loads the SDK's configuration (environment, profile, region)
// and checks that it has a region and credentials before any call, so a
// missing one is reported in one line that says what to set, not as the
// SDK's error from the instance metadata service it tried last.
func awsConfig(ctx context.Context, region, profile string) (aws.Config, error) {
	var opts []func(*config.LoadOptions) error
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	if profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(profile))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return aws.Config{}, fmt.Errorf("aws configuration: %w", err)
	}
	if cfg.Region == "" {
		return aws.Config{}, errors.New("no AWS region: pass --region or set AWS_REGION (or a profile's region)")
	}
	if cfg.Credentials == nil {
		return aws.Config{}, errNoCredentials
	}
	if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
		return aws.Config{}, errNoCredentials
	}
	return cfg, nil
}

var errNoCredentials = errors.New("no AWS credentials: set AWS_PROFILE (or --profile), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or run where a role provides them")
