package report

import (
	"fmt"
	"strings"

	"github.com/costguard-ml/costguard/cost/assembly"
	"github.com/costguard-ml/costguard/cost/estimate"
	"github.com/costguard-ml/costguard/cost/pricing"
	"github.com/costguard-ml/costguard/cost/workload"
)

// workloadExtras derives from the template what a workload adds beyond its
// compute and front door: the model server's custom metrics (unless
// METRICS=off), X-Ray traces (the function's active tracing or a REST
// stage's tracing), its log lines and the responses it sends out.
func workloadExtras(w workload.Workload, res assembly.Resource, t assembly.Template, o Options) (estimate.Extras, []string) {
	x := estimate.Extras{Requests: w.Traffic.RequestsPerMonth, LogBytesPerRequest: o.LogBytesPerRequest}
	var notes []string
	if metricsOff(res, t) {
		notes = append(notes, fmt.Sprintf("the model server's metrics are off (%s=%s): no custom metrics", workload.ServerMetricsEnv, workload.ServerMetricsOff))
	} else {
		x.CustomMetrics = workload.ServerCustomMetrics()
	}
	x.Traced = traced(res, t)
	months, how := logRetentionMonths(res, t)
	x.LogRetentionMonths = months
	if x.Requests > 0 {
		notes = append(notes, "logs kept "+how)
	}
	if w.FrontDoor == workload.FrontDoorREST || w.FrontDoor == workload.FrontDoorHTTP {
		// The record's payload is a request plus its response.
		x.ResponseBytes = w.Traffic.PayloadBytes / 2
	}
	return x, notes
}

// env returns the environment variables set on a Lambda function, an ECS
// task definition's containers or a SageMaker model's containers.
func env(r assembly.Resource) map[string]string {
	out := map[string]string{}
	add := func(v any) {
		switch e := v.(type) {
		case map[string]any: // Lambda Variables, SageMaker Environment
			for k, val := range e {
				if s, ok := val.(string); ok {
					out[k] = s
				}
			}
		case []any: // ECS [{Name, Value}]
			for _, item := range e {
				m, _ := item.(map[string]any)
				name, _ := m["Name"].(string)
				val, _ := m["Value"].(string)
				if name != "" {
					out[name] = val
				}
			}
		}
	}
	switch r.Type {
	case "AWS::Lambda::Function":
		if e, ok := r.Properties["Environment"].(map[string]any); ok {
			add(e["Variables"])
		}
	case "AWS::ECS::TaskDefinition":
		cs, _ := r.Properties["ContainerDefinitions"].([]any)
		for _, c := range cs {
			m, _ := c.(map[string]any)
			add(m["Environment"])
		}
	case "AWS::SageMaker::Model":
		for _, key := range []string{"PrimaryContainer"} {
			if c, ok := r.Properties[key].(map[string]any); ok {
				add(c["Environment"])
			}
		}
		cs, _ := r.Properties["Containers"].([]any)
		for _, c := range cs {
			m, _ := c.(map[string]any)
			add(m["Environment"])
		}
	}
	return out
}

// metricsOff says whether the model server of a workload runs with its
// metrics off: the function's own environment, or (for an ECS service or
// SageMaker endpoint) every task definition or model of the template.
func metricsOff(res assembly.Resource, t assembly.Template) bool {
	off := func(r assembly.Resource) bool {
		return strings.EqualFold(env(r)[workload.ServerMetricsEnv], workload.ServerMetricsOff)
	}
	if res.Type == "AWS::Lambda::Function" {
		return off(res)
	}
	kind := map[string]string{"AWS::ECS::Service": "AWS::ECS::TaskDefinition", "AWS::SageMaker::Endpoint": "AWS::SageMaker::Model"}[res.Type]
	n, offs := 0, 0
	for _, id := range t.LogicalIDs() {
		if r := t.Resources[id]; r.Type == kind {
			n++
			if off(r) {
				offs++
			}
		}
	}
	return n > 0 && offs == n
}

// traced says whether X-Ray records the workload's requests: a function
// with active tracing, or a REST API stage of the template with tracing on.
func traced(res assembly.Resource, t assembly.Template) bool {
	if tc, ok := res.Properties["TracingConfig"].(map[string]any); ok && tc["Mode"] == "Active" {
		return true
	}
	for _, id := range t.LogicalIDs() {
		if r := t.Resources[id]; r.Type == "AWS::ApiGateway::Stage" && r.Properties["TracingEnabled"] == true {
			return true
		}
	}
	return false
}

// refs lists the logical IDs v refers to (Ref and Fn::GetAtt), in order.
func refs(v any) []string {
	var out []string
	var walk func(any)
	walk = func(v any) {
		switch t := v.(type) {
		case map[string]any:
			if id, ok := t["Ref"].(string); ok {
				out = append(out, id)
			}
			if ga, ok := t["Fn::GetAtt"].([]any); ok && len(ga) > 0 {
				if id, ok := ga[0].(string); ok {
					out = append(out, id)
				}
			}
			for _, e := range t {
				walk(e)
			}
		case []any:
			for _, e := range t {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// logGroupOf is the first log group of t that v refers to, if any.
func logGroupOf(v any, t assembly.Template) (assembly.Resource, bool) {
	for _, id := range refs(v) {
		if g, ok := t.Resources[id]; ok && g.Type == "AWS::Logs::LogGroup" {
			return g, true
		}
	}
	return assembly.Resource{}, false
}

// writtenLogGroups are the log groups of t that a function's LoggingConfig
// or an API stage's access log names as its destination (a workload that
// names its own group never gets here).
func writtenLogGroups(t assembly.Template) map[string]bool {
	out := map[string]bool{}
	for _, id := range t.LogicalIDs() {
		r := t.Resources[id]
		var dest any
		switch r.Type {
		case "AWS::Lambda::Function":
			dest = r.Properties["LoggingConfig"]
		case "AWS::ApiGateway::Stage":
			dest = r.Properties["AccessLogSetting"]
		case "AWS::ApiGatewayV2::Stage":
			dest = r.Properties["AccessLogSettings"]
		}
		if dest == nil {
			continue
		}
		for _, ref := range refs(dest) {
			out[ref] = true
		}
	}
	return out
}

// retention is a log group's retention in months and how it was found.
func retention(g assembly.Resource) (float64, string) {
	if d, ok := g.Properties["RetentionInDays"].(float64); ok && d > 0 {
		return d / 30, fmt.Sprintf("%.0f days (the log group's retention)", d)
	}
	return neverExpiresMonths, fmt.Sprintf("%d months (the log group never expires)", neverExpiresMonths)
}

// logRetentionMonths finds the retention of a workload's log group: the
// one its LoggingConfig (a function) or awslogs driver (an ECS task
// definition of the template) names, else the template's only log group
// that nothing else writes to, else 12 months (a group that never expires).
func logRetentionMonths(res assembly.Resource, t assembly.Template) (float64, string) {
	if g, ok := logGroupOf(res.Properties["LoggingConfig"], t); ok {
		return retention(g)
	}
	if res.Type == "AWS::ECS::Service" {
		for _, id := range t.LogicalIDs() {
			if td := t.Resources[id]; td.Type == "AWS::ECS::TaskDefinition" {
				if g, ok := logGroupOf(td.Properties["ContainerDefinitions"], t); ok {
					return retention(g)
				}
			}
		}
	}
	taken := writtenLogGroups(t)
	var groups []assembly.Resource
	for _, id := range t.LogicalIDs() {
		if g := t.Resources[id]; g.Type == "AWS::Logs::LogGroup" && !taken[id] {
			groups = append(groups, g)
		}
	}
	if len(groups) == 1 {
		return retention(groups[0])
	}
	return neverExpiresMonths, fmt.Sprintf("%d months (no log group found; one without retention never expires)", neverExpiresMonths)
}

// accessLog reads an API stage's access-log setting: the bytes of one
// line and the retention of its log group; ok is false without one.
func accessLog(res assembly.Resource, t assembly.Template, p pricing.Prices) (bytes, months float64, how string, ok bool) {
	key := "AccessLogSetting"
	if res.Type == "AWS::ApiGatewayV2::Stage" {
		key = "AccessLogSettings"
	}
	s, has := res.Properties[key].(map[string]any)
	if !has {
		return 0, 0, "", false
	}
	format, _ := s["Format"].(string)
	if format == "" {
		return 0, 0, "", false
	}
	months, how = neverExpiresMonths, fmt.Sprintf("%d months (destination log group not in the template)", neverExpiresMonths)
	if g, found := logGroupOf(s["DestinationArn"], t); found {
		months, how = retention(g)
	}
	return estimate.AccessLogLineBytes(format, p), months, how, true
}

// containerInsights says whether an ECS cluster has Container Insights on
// in its standard mode.
func containerInsights(res assembly.Resource) bool {
	settings, _ := res.Properties["ClusterSettings"].([]any)
	for _, s := range settings {
		m, _ := s.(map[string]any)
		// "enhanced" is billed per observation, which this does not price.
		if m["Name"] == "containerInsights" && m["Value"] == "enabled" {
			return true
		}
	}
	return false
}

// count is the number of resources of type typ in t.
func count(t assembly.Template, typ string) int {
	n := 0
	for _, r := range t.Resources {
		if r.Type == typ {
			n++
		}
	}
	return n
}
