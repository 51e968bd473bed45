package guard

import (
	"fmt"
	"time"

	"github.com/aws/aws-cdk-go/awscdk/v2/awscloudwatch"
	"github.com/aws/aws-cdk-go/awscdk/v2/interfaces/interfacesawscloudwatch"

	"github.com/costguard-ml/costguard/cost/pricing"
)

// newDashboard draws the stage on one page: spend first (in dollars, with
// the budget as a line), then traffic, errors, latency, concurrency and
// cold starts, then every alarm's state.
func (g *CostGuard) newDashboard() {
	c := g.cfg
	fn := c.Function
	five := duration(5 * time.Minute)
	labeled := func(s, label string) *awscloudwatch.MetricOptions {
		return &awscloudwatch.MetricOptions{Statistic: ptr(s), Period: five, Label: ptr(label)}
	}
	line := func(v float64, label string) *awscloudwatch.HorizontalAnnotation {
		return &awscloudwatch.HorizontalAnnotation{Value: ptr(v), Label: ptr(label)}
	}
	budget := c.MonthlyBudgetUSD

	spendRow := []awscloudwatch.IWidget{
		awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
			Title: ptr("Spend (USD/hour) against the budget's pace"), Width: ptr(12.0), Height: ptr(6.0),
			Left: &[]awscloudwatch.IMetric{g.MetricSpendPerHour()},
			LeftAnnotations: &[]*awscloudwatch.HorizontalAnnotation{
				line(budget/pricing.HoursPerMonth, fmt.Sprintf("budget pace $%.4f/h", budget/pricing.HoursPerMonth)),
				line(budget*c.RunawayBurnRate/pricing.HoursPerMonth, fmt.Sprintf("runaway (%g×)", c.RunawayBurnRate)),
			},
			LeftYAxis: &awscloudwatch.YAxisProps{Min: ptr(0.0), Label: ptr("USD/hour"), ShowUnits: ptr(false)},
		}),
		awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
			Title: ptr("Projected month (USD) against the budget"), Width: ptr(8.0), Height: ptr(6.0),
			Left: &[]awscloudwatch.IMetric{g.MetricProjectedMonthlySpend()},
			LeftAnnotations: &[]*awscloudwatch.HorizontalAnnotation{
				line(budget*c.SpendBurnRate, fmt.Sprintf("budget $%g", budget*c.SpendBurnRate)),
				line(budget*c.RunawayBurnRate, fmt.Sprintf("runaway $%g", budget*c.RunawayBurnRate)),
			},
			LeftYAxis: &awscloudwatch.YAxisProps{Min: ptr(0.0), Label: ptr("USD/month"), ShowUnits: ptr(false)},
		}),
		awscloudwatch.NewSingleValueWidget(&awscloudwatch.SingleValueWidgetProps{
			Title: ptr(fmt.Sprintf("Projected month (budget $%g)", budget)), Width: ptr(4.0), Height: ptr(6.0),
			Metrics: &[]awscloudwatch.IMetric{g.MetricProjectedMonthlySpend()},
		}),
	}

	var traffic, errs, latency []awscloudwatch.IMetric
	if t := c.Tier; t != nil {
		traffic, errs, latency = append(traffic, t.Traffic...), append(errs, t.Errors...), append(latency, t.Latency...)
	} else {
		traffic = []awscloudwatch.IMetric{fn.MetricInvocations(labeled("Sum", "Invocations"))}
		errs = []awscloudwatch.IMetric{fn.MetricErrors(labeled("Sum", "Errors")), fn.MetricThrottles(labeled("Sum", "Throttles"))}
		latency = []awscloudwatch.IMetric{
			fn.MetricDuration(labeled("p50", "Duration p50")),
			fn.MetricDuration(labeled("p90", "Duration p90")),
			fn.MetricDuration(labeled("p99", "Duration p99")),
		}
	}
	if api := c.API; api != nil {
		traffic = append(traffic, api.MetricAPIRequests(labeled("Sum", "API requests")))
		errs = append(errs, api.MetricAPIServerErrors(labeled("Sum", "API 5XX")), api.MetricAPIClientErrors(labeled("Sum", "API 4XX")))
		latency = append(latency, api.MetricAPILatency(labeled("p50", "API latency p50")), api.MetricAPILatency(labeled("p99", "API latency p99")))
	}
	healthRow := []awscloudwatch.IWidget{
		awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{Title: ptr("Traffic (per 5 minutes)"), Width: ptr(8.0), Height: ptr(6.0), Left: &traffic}),
		awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{Title: ptr("Errors and throttles (per 5 minutes)"), Width: ptr(8.0), Height: ptr(6.0), Left: &errs}),
		awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
			Title: ptr("Latency percentiles (ms)"), Width: ptr(8.0), Height: ptr(6.0), Left: &latency,
			LeftAnnotations: &[]*awscloudwatch.HorizontalAnnotation{line(float64(c.latencyBudget().Milliseconds()), "timeout")},
		}),
	}
	if c.Tier != nil {
		g.addDashboard(spendRow, healthRow, []awscloudwatch.IWidget{
			awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
				Title: ptr("Capacity (" + string(c.Workload.Tier) + ")"), Width: ptr(24.0), Height: ptr(6.0), Left: &c.Tier.Capacity,
			}),
		})
		return
	}

	conc := []awscloudwatch.IMetric{fn.Metric(ptr("ConcurrentExecutions"), labeled("Maximum", "Concurrent executions"))}
	var right []awscloudwatch.IMetric
	var concLines []*awscloudwatch.HorizontalAnnotation
	if rc := c.Workload.Lambda.ReservedConcurrency; rc > 0 {
		concLines = append(concLines, line(float64(rc), "reserved cap"))
	}
	if c.Alias != nil && c.Workload.Lambda.ProvisionedConcurrency > 0 {
		conc = append(conc,
			c.Alias.Metric(ptr("ProvisionedConcurrentExecutions"), labeled("Maximum", "Provisioned in use")),
			c.Alias.Metric(ptr("ProvisionedConcurrencySpilloverInvocations"), labeled("Sum", "Spillover invocations")))
		right = append(right, c.Alias.Metric(ptr("ProvisionedConcurrencyUtilization"), labeled("Maximum", "Provisioned utilization")))
	}
	lastRow := []awscloudwatch.IWidget{
		awscloudwatch.NewGraphWidget(&awscloudwatch.GraphWidgetProps{
			Title: ptr("Concurrency"), Width: ptr(12.0), Height: ptr(6.0), Left: &conc, Right: &right, LeftAnnotations: &concLines,
		}),
	}
	if c.FunctionLogGroup != nil {
		lastRow = append(lastRow, awscloudwatch.NewLogQueryWidget(&awscloudwatch.LogQueryWidgetProps{
			Title:         ptr("Cold starts and init duration (ms), from REPORT lines"),
			Width:         ptr(12.0),
			Height:        ptr(6.0),
			LogGroupNames: &[]*string{c.FunctionLogGroup.LogGroupName()},
			View:          awscloudwatch.LogQueryVisualizationType_LINE,
			QueryLines: &[]*string{
				ptr(`filter @type = "REPORT"`),
				ptr(`stats sum(ispresent(@initDuration)) as coldStarts, avg(@initDuration) as avgInitMs, max(@initDuration) as maxInitMs by bin(5m)`),
			},
		}))
	}

	g.addDashboard(spendRow, healthRow, lastRow)
}

// addDashboard creates the dashboard from its rows, with every alarm's
// state last.
func (g *CostGuard) addDashboard(spendRow, healthRow, lastRow []awscloudwatch.IWidget) {
	var alarms []interfacesawscloudwatch.IAlarmRef
	for _, a := range g.Alarms() {
		alarms = append(alarms, a)
	}
	g.dashboard = awscloudwatch.NewDashboard(g, ptr("Dashboard"), &awscloudwatch.DashboardProps{
		DefaultInterval: duration(3 * time.Hour),
		Widgets: &[]*[]awscloudwatch.IWidget{
			&spendRow,
			&healthRow,
			&lastRow,
			{awscloudwatch.NewAlarmStatusWidget(&awscloudwatch.AlarmStatusWidgetProps{
				Title: ptr("Alarms"), Width: ptr(24.0), Height: ptr(4.0), Alarms: &alarms,
			})},
		},
	})
}
