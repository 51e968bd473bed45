package guard

import (
	"fmt"
	"slices"
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

	t := c.Tier
	traffic, errs, latency := slices.Clone(t.Traffic), slices.Clone(t.Errors), slices.Clone(t.Latency)
	if api := t.API; api != nil {
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
	g.addDashboard(spendRow, healthRow, slices.Clone(t.Widgets))
}

// addDashboard creates the dashboard from its rows, with every alarm's
// state last.
func (g *CostGuard) addDashboard(spendRow, healthRow, lastRow []awscloudwatch.IWidget) {
	var alarms []interfacesawscloudwatch.IAlarmRef
	for _, a := range g.Alarms() {
		alarms = append(alarms, a)
	}
	rows := []*[]awscloudwatch.IWidget{&spendRow, &healthRow}
	if len(lastRow) > 0 {
		rows = append(rows, &lastRow)
	}
	rows = append(rows, &[]awscloudwatch.IWidget{awscloudwatch.NewAlarmStatusWidget(&awscloudwatch.AlarmStatusWidgetProps{
		Title: ptr("Alarms"), Width: ptr(24.0), Height: ptr(4.0), Alarms: &alarms,
	})})
	g.dashboard = awscloudwatch.NewDashboard(g, ptr("Dashboard"), &awscloudwatch.DashboardProps{
		DefaultInterval: duration(3 * time.Hour),
		Widgets:         &rows,
	})
}
