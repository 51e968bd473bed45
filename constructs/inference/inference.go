package inference

import (
	"errors"
	"strconv"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigatewayv2integrations"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapplicationautoscaling"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/costguard-ml/costguard/constructs/internal/cdkarch"
	"github.com/costguard-ml/costguard/constructs/internal/frontdoor"
	"github.com/costguard-ml/costguard/cost/workload"
	"github.com/costguard-ml/costguard/internal/validation"
)

// LambdaAPI is a model server on AWS Lambda behind API Gateway. Its
// sub-resources are reachable through its methods.
type LambdaAPI struct {
	constructs.Construct

	cfg          resolved
	err          *validation.Error
	role         awsiam.Role
	fnLogs       awslogs.LogGroup
	initFilters  []awslogs.MetricFilter
	accessLogs   awslogs.LogGroup
	fn           awslambda.Function
	alias        awslambda.Alias
	scaling      awslambda.IScalableFunctionAttribute
	restAPI      awsapigateway.RestApi
	usagePlan    awsapigateway.UsagePlan
	apiKey       awsapigateway.IApiKey
	requestModel awsapigateway.Model
	httpAPI      awsapigatewayv2.HttpApi
	httpStage    awsapigatewayv2.HttpStage
}

// NewLambdaAPI creates the function, its alias "live" and the front door.
// Bad props build nothing: every problem is reported at once as a CDK error
// annotation (`cdk synth` fails listing them) and by [LambdaAPI.Err].
func NewLambdaAPI(scope constructs.Construct, id string, props *LambdaAPIProps) *LambdaAPI {
	var p LambdaAPIProps
	if props != nil {
		p = *props
	}
	this := &LambdaAPI{}
	// The struct itself becomes the jsii construct, so it can be the scope
	// of its children.
	constructs.NewConstruct_Override(this, scope, &id)
	cfg, problems := p.resolve()
	if len(problems) > 0 {
		this.err = validation.Report(this, errors.Join(problems...))
		return this
	}
	this.cfg = cfg

	this.fnLogs = this.newLogGroup("FunctionLogs")
	this.newInitDurationFilters()
	this.newFunction()
	this.newAlias()
	this.accessLogs = this.newLogGroup("AccessLogs")
	if cfg.FrontDoor == workload.FrontDoorHTTP {
		this.newHTTPAPI()
	} else {
		this.newRESTAPI()
	}
	return this
}

func (a *LambdaAPI) newLogGroup(id string) awslogs.LogGroup {
	return awslogs.NewLogGroup(a, jsii.String(id), &awslogs.LogGroupProps{
		Retention:     a.cfg.LogRetention,
		RemovalPolicy: a.cfg.LogRemovalPolicy,
	})
}

func (a *LambdaAPI) newFunction() {
	c := a.cfg
	// An explicit role with an inline policy scoped to the function's own
	// log group, instead of the AWSLambdaBasicExecutionRole managed policy
	// (which may write to any log group in the account).
	a.role = awsiam.NewRole(a, jsii.String("ServiceRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("lambda.amazonaws.com"), nil),
		Description: jsii.String("Execution role of the costguard model server"),
	})
	a.fnLogs.GrantWrite(a.role)

	env := map[string]*string{
		"MODEL_DIR":  jsii.String(ModelDir),
		"LOG_LEVEL":  jsii.String(c.LogLevel),
		"LOG_FORMAT": jsii.String(c.LogFormat),
		// The model server refuses bigger batches too, so an HTTP API (no
		// request validation) and a direct invoke get the same limit.
		"MAX_INSTANCES": jsii.String(strconv.Itoa(c.MaxBatchSize)),
	}
	for k, v := range c.Environment {
		env[k] = jsii.String(v)
	}
	arch := cdkarch.Lambda(c.arch)
	tracing := awslambda.Tracing_DISABLED
	if c.Tracing {
		tracing = awslambda.Tracing_ACTIVE
	}
	var reserved *float64
	if c.reserved > 0 {
		reserved = jsii.Number(c.reserved)
	}
	a.fn = awslambda.NewFunction(a, jsii.String("Function"), &awslambda.FunctionProps{
		Runtime:                      awslambda.Runtime_PROVIDED_AL2023(),
		Handler:                      jsii.String("bootstrap"),
		Code:                         c.Code,
		Architecture:                 arch,
		MemorySize:                   jsii.Number(c.MemoryMiB),
		Timeout:                      awscdk.Duration_Seconds(jsii.Number(c.Timeout.Seconds())),
		EphemeralStorageSize:         awscdk.Size_Mebibytes(jsii.Number(c.EphemeralStorageMiB)),
		ReservedConcurrentExecutions: reserved,
		Environment:                  &env,
		LogGroup:                     a.fnLogs,
		Role:                         a.role,
		Tracing:                      tracing,
		Description:                  jsii.String(c.Description),
	})
	cfn := a.fn.Node().DefaultChild().(awscdk.CfnResource)
	cfn.AddMetadata(jsii.String(workload.MetadataKey), c.workload().Map())

	if c.Tracing {
		// The tracing grant is the X-Ray write actions on "*", in the role's
		// default policy.
		cdknag.NagSuppressions_AddResourceSuppressions(a.role, &[]*cdknag.NagPackSuppression{{
			Id:        jsii.String("AwsSolutions-IAM5"),
			Reason:    jsii.String("X-Ray's PutTraceSegments and PutTelemetryRecords support no resource-level permissions; the wildcard is the only resource AWS accepts for them."),
			AppliesTo: &[]interface{}{jsii.String("Resource::*")},
		}}, jsii.Bool(true))
	}
}

func (a *LambdaAPI) newAlias() {
	c := a.cfg
	props := &awslambda.AliasProps{
		AliasName:   jsii.String(AliasName),
		Version:     a.fn.CurrentVersion(),
		Description: jsii.String("The version the API invokes"),
	}
	// With a schedule, Application Auto Scaling owns the provisioned
	// concurrency; setting it on the alias too would make every deployment
	// switch it on outside the window.
	if c.ProvisionedConcurrency > 0 && c.ProvisionedSchedule == nil {
		props.ProvisionedConcurrentExecutions = jsii.Number(c.ProvisionedConcurrency)
	}
	a.alias = awslambda.NewAlias(a, jsii.String("LiveAlias"), props)

	autoscale := c.provisionedMax > c.ProvisionedConcurrency
	if c.ProvisionedConcurrency == 0 || (!autoscale && c.ProvisionedSchedule == nil) {
		return
	}
	minCap := c.ProvisionedConcurrency
	if c.ProvisionedSchedule != nil {
		minCap = 0
	}
	a.scaling = a.alias.AddAutoScaling(&awslambda.AutoScalingOptions{
		MinCapacity: jsii.Number(minCap),
		MaxCapacity: jsii.Number(c.provisionedMax),
	})
	if autoscale {
		a.scaling.ScaleOnUtilization(&awslambda.UtilizationScalingOptions{
			UtilizationTarget: jsii.Number(c.ProvisionedUtilizationTarget),
		})
	}
	if s := c.ProvisionedSchedule; s != nil {
		tz := awscdk.TimeZone_Of(jsii.String(s.TimeZone))
		at := func(hour int) awsapplicationautoscaling.Schedule {
			return awsapplicationautoscaling.Schedule_Cron(&awsapplicationautoscaling.CronOptions{
				Minute:  jsii.String("0"),
				Hour:    jsii.String(strconv.Itoa(hour)),
				WeekDay: jsii.String(s.cronDays()),
			})
		}
		a.scaling.ScaleOnSchedule(jsii.String("WindowOpens"), &awsapplicationautoscaling.ScalingSchedule{
			Schedule:    at(s.StartHour),
			MinCapacity: jsii.Number(c.ProvisionedConcurrency),
			MaxCapacity: jsii.Number(c.provisionedMax),
			TimeZone:    tz,
		})
		a.scaling.ScaleOnSchedule(jsii.String("WindowCloses"), &awsapplicationautoscaling.ScalingSchedule{
			Schedule:    at(s.EndHour),
			MinCapacity: jsii.Number(0),
			MaxCapacity: jsii.Number(0),
			TimeZone:    tz,
		})
	}
}

func (c resolved) corsHeaders() *[]*string {
	h := []string{"Content-Type", "X-Api-Key"}
	if c.Cors != nil && len(c.Cors.AllowHeaders) > 0 {
		h = c.Cors.AllowHeaders
	}
	return jsii.Strings(h...)
}

func (c resolved) corsMaxAge() awscdk.Duration {
	if c.Cors.MaxAge > 0 {
		return awscdk.Duration_Seconds(jsii.Number(c.Cors.MaxAge.Seconds()))
	}
	return awscdk.Duration_Minutes(jsii.Number(10))
}

func (a *LambdaAPI) newRESTAPI() {
	c := a.cfg
	var cors *awsapigateway.CorsOptions
	if c.Cors != nil {
		cors = &awsapigateway.CorsOptions{
			AllowOrigins: jsii.Strings(c.Cors.AllowOrigins...),
			AllowMethods: jsii.Strings("GET", "POST", "OPTIONS"),
			AllowHeaders: c.corsHeaders(),
			MaxAge:       c.corsMaxAge(),
		}
	}
	a.restAPI = awsapigateway.NewRestApi(a, jsii.String("RestApi"), &awsapigateway.RestApiProps{
		RestApiName:      frontdoor.APIName(a),
		Description:      jsii.String(c.Description),
		EndpointTypes:    &[]awsapigateway.EndpointType{awsapigateway.EndpointType_REGIONAL},
		CloudWatchRole:   jsii.Bool(c.CloudWatchRole),
		ApiKeySourceType: awsapigateway.ApiKeySourceType_HEADER,
		DeployOptions: &awsapigateway.StageOptions{
			StageName:            jsii.String(c.StageName),
			ThrottlingRateLimit:  jsii.Number(c.ThrottleRateLimit),
			ThrottlingBurstLimit: jsii.Number(c.ThrottleBurstLimit),
			AccessLogDestination: awsapigateway.NewLogGroupLogDestination(a.accessLogs),
			AccessLogFormat:      frontdoor.AccessLogFormat(workload.FrontDoorREST),
			TracingEnabled:       jsii.Bool(c.Tracing),
		},
		DefaultCorsPreflightOptions: cors,
	})
	// RestApi always adds a CfnOutput with its URL; the stack decides what
	// it outputs (URL() gives the same value).
	a.restAPI.Node().TryRemoveChild(jsii.String("Endpoint"))
	if c.CloudWatchRole {
		cdknag.NagSuppressions_AddResourceSuppressions(a.restAPI.Node().FindChild(jsii.String("CloudWatchRole")), &[]*cdknag.NagPackSuppression{{
			Id: jsii.String("AwsSolutions-IAM4"),
			Reason: jsii.String("AmazonAPIGatewayPushToCloudWatchLogs is the AWS-maintained policy API Gateway documents for its account-level logging role; " +
				"only the apigateway.amazonaws.com service can assume the role."),
			AppliesTo: &[]interface{}{jsii.String("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs")},
		}}, nil)
	}

	a.requestModel = a.restAPI.AddModel(jsii.String("PredictRequest"), &awsapigateway.ModelOptions{
		ContentType: jsii.String("application/json"),
		Description: jsii.String("A batch of instances for the model server"),
		Schema:      c.requestSchema(),
	})
	validator := a.restAPI.AddRequestValidator(jsii.String("RequestValidator"), &awsapigateway.RequestValidatorOptions{
		ValidateRequestBody:       jsii.Bool(true),
		ValidateRequestParameters: jsii.Bool(true),
	})
	integrationOpts := &awsapigateway.LambdaIntegrationOptions{
		Proxy: jsii.Bool(true),
		// No extra permission for the console's test-invoke stage.
		AllowTestInvoke: jsii.Bool(false),
	}
	if c.IntegrationTimeout != 0 {
		integrationOpts.Timeout = awscdk.Duration_Millis(jsii.Number(c.IntegrationTimeout.Milliseconds()))
	}
	integration := awsapigateway.NewLambdaIntegration(a.alias, integrationOpts)
	predict := a.restAPI.Root().AddResource(jsii.String("predict"), nil)
	predict.AddMethod(jsii.String("POST"), integration, &awsapigateway.MethodOptions{
		ApiKeyRequired:   jsii.Bool(true),
		RequestValidator: validator,
		RequestModels:    &map[string]awsapigateway.IModel{"application/json": a.requestModel},
	})
	health := a.restAPI.Root().AddResource(jsii.String("health"), nil)
	health.AddMethod(jsii.String("GET"), integration, &awsapigateway.MethodOptions{
		ApiKeyRequired:   jsii.Bool(true),
		RequestValidator: validator,
	})

	a.usagePlan = a.restAPI.AddUsagePlan(jsii.String("UsagePlan"), &awsapigateway.UsagePlanProps{
		Description: jsii.String("Caps each API key's requests per month and per second"),
		Throttle: &awsapigateway.ThrottleSettings{
			RateLimit:  jsii.Number(c.ThrottleRateLimit),
			BurstLimit: jsii.Number(c.ThrottleBurstLimit),
		},
		Quota: &awsapigateway.QuotaSettings{
			Limit:  jsii.Number(c.MonthlyQuota),
			Period: awsapigateway.Period_MONTH,
		},
		ApiStages: &[]*awsapigateway.UsagePlanPerApiStage{{
			Api:   a.restAPI,
			Stage: a.restAPI.DeploymentStage(),
		}},
	})
	a.apiKey = a.restAPI.AddApiKey(jsii.String("ApiKey"), &awsapigateway.ApiKeyOptions{
		Description: jsii.String("Default key of the inference API; rotate by replacing it"),
	})
	a.usagePlan.AddApiKey(a.apiKey, nil)

	auth := "Callers authenticate with an API key (x-api-key) bound to a usage plan with a monthly quota and throttling; " +
		"the API is a public, machine-to-machine inference endpoint with no end users, so there is no identity for IAM or Cognito to verify. " +
		"Stage throttling and the function's reserved concurrency bound what a leaked key can cost."
	for _, m := range []awsapigateway.Method{predict.Node().FindChild(jsii.String("POST")).(awsapigateway.Method), health.Node().FindChild(jsii.String("GET")).(awsapigateway.Method)} {
		cdknag.NagSuppressions_AddResourceSuppressions(m, &[]*cdknag.NagPackSuppression{
			{Id: jsii.String("AwsSolutions-APIG4"), Reason: jsii.String(auth)},
			{Id: jsii.String("AwsSolutions-COG4"), Reason: jsii.String(auth)},
		}, nil)
	}
	cdknag.NagSuppressions_AddResourceSuppressions(a.restAPI.DeploymentStage(), &[]*cdknag.NagPackSuppression{
		{Id: jsii.String("AwsSolutions-APIG3"), Reason: jsii.String(
			"No AWS WAF web ACL by default: it costs more per month than the inference it protects at this scale. " +
				"Abuse is bounded by API keys, the usage plan's quota, stage throttling and reserved concurrency; associate a web ACL with the stage if the API faces hostile traffic.")},
		{Id: jsii.String("AwsSolutions-APIG6"), Reason: jsii.String(
			"Execution logging needs an account-wide API Gateway CloudWatch role that this stack does not own; " +
				"every request is recorded in the stage's JSON access log (status, latency, integration status, error type and message, API key id).")},
	}, nil)
}

func (a *LambdaAPI) newHTTPAPI() {
	c := a.cfg
	var cors *awsapigatewayv2.CorsPreflightOptions
	if c.Cors != nil {
		cors = &awsapigatewayv2.CorsPreflightOptions{
			AllowOrigins: jsii.Strings(c.Cors.AllowOrigins...),
			AllowMethods: &[]awsapigatewayv2.CorsHttpMethod{awsapigatewayv2.CorsHttpMethod_GET, awsapigatewayv2.CorsHttpMethod_POST, awsapigatewayv2.CorsHttpMethod_OPTIONS},
			AllowHeaders: c.corsHeaders(),
			MaxAge:       c.corsMaxAge(),
		}
	}
	a.httpAPI = awsapigatewayv2.NewHttpApi(a, jsii.String("HttpApi"), &awsapigatewayv2.HttpApiProps{
		ApiName:            frontdoor.APIName(a),
		Description:        jsii.String(c.Description),
		CreateDefaultStage: jsii.Bool(false),
		CorsPreflight:      cors,
	})
	a.httpStage = awsapigatewayv2.NewHttpStage(a, jsii.String("HttpStage"), &awsapigatewayv2.HttpStageProps{
		HttpApi:    a.httpAPI,
		StageName:  jsii.String(c.StageName),
		AutoDeploy: jsii.Bool(true),
		Throttle: &awsapigatewayv2.ThrottleSettings{
			RateLimit:  jsii.Number(c.ThrottleRateLimit),
			BurstLimit: jsii.Number(c.ThrottleBurstLimit),
		},
		AccessLogSettings: frontdoor.HTTPAccessLogs(a.accessLogs, frontdoor.AccessLogFormat(workload.FrontDoorHTTP)),
	})
	for _, route := range []struct {
		id, path string
		method   awsapigatewayv2.HttpMethod
	}{
		{"Predict", "/predict", awsapigatewayv2.HttpMethod_POST},
		{"Health", "/health", awsapigatewayv2.HttpMethod_GET},
	} {
		routes := a.httpAPI.AddRoutes(&awsapigatewayv2.AddRoutesOptions{
			Path:    jsii.String(route.path),
			Methods: &[]awsapigatewayv2.HttpMethod{route.method},
			Integration: awsapigatewayv2integrations.NewHttpLambdaIntegration(jsii.String(route.id+"Integration"), a.alias,
				&awsapigatewayv2integrations.HttpLambdaIntegrationProps{PayloadFormatVersion: awsapigatewayv2.PayloadFormatVersion_VERSION_2_0()}),
		})
		for _, r := range *routes {
			cdknag.NagSuppressions_AddResourceSuppressions(r, &[]*cdknag.NagPackSuppression{{
				Id: jsii.String("AwsSolutions-APIG4"),
				Reason: jsii.String("The HTTP front door is the explicitly chosen, unauthenticated variant (HTTP APIs have no API keys); " +
					"stage throttling and the function's reserved concurrency bound its cost. Use the REST front door for API keys and quotas."),
			}}, jsii.Bool(true))
		}
	}
}

// Function returns the function.
func (a *LambdaAPI) Function() awslambda.IFunction { return a.fn }

// Alias returns the alias "live", which the API invokes.
func (a *LambdaAPI) Alias() awslambda.IAlias { return a.alias }

// Role returns the function's execution role.
func (a *LambdaAPI) Role() awsiam.IRole { return a.role }

// FunctionLogGroup returns the function's log group.
func (a *LambdaAPI) FunctionLogGroup() awslogs.ILogGroup { return a.fnLogs }

// AccessLogGroup returns the API stage's access log group.
func (a *LambdaAPI) AccessLogGroup() awslogs.ILogGroup { return a.accessLogs }

// ProvisionedScaling returns the alias's provisioned-concurrency scaling, or
// nil when provisioned concurrency has neither a schedule nor autoscaling.
func (a *LambdaAPI) ProvisionedScaling() awslambda.IScalableFunctionAttribute { return a.scaling }

// RestAPI returns the REST API, or nil for the HTTP front door.
func (a *LambdaAPI) RestAPI() awsapigateway.IRestApi {
	if a.restAPI == nil {
		return nil
	}
	return a.restAPI
}

// RestStage returns the REST API's stage, or nil for the HTTP front door.
func (a *LambdaAPI) RestStage() awsapigateway.IStage {
	if a.restAPI == nil {
		return nil
	}
	return a.restAPI.DeploymentStage()
}

// UsagePlan returns the REST API's usage plan, or nil for the HTTP front door.
func (a *LambdaAPI) UsagePlan() awsapigateway.IUsagePlan {
	if a.usagePlan == nil {
		return nil
	}
	return a.usagePlan
}

// APIKey returns the REST API's key, or nil for the HTTP front door.
func (a *LambdaAPI) APIKey() awsapigateway.IApiKey { return a.apiKey }

// RequestModel returns the REST request model of POST /predict, or nil for
// the HTTP front door.
func (a *LambdaAPI) RequestModel() awsapigateway.IModel {
	if a.requestModel == nil {
		return nil
	}
	return a.requestModel
}

// HTTPAPI returns the HTTP API, or nil for the REST front door.
func (a *LambdaAPI) HTTPAPI() awsapigatewayv2.IHttpApi {
	if a.httpAPI == nil {
		return nil
	}
	return a.httpAPI
}

// HTTPStage returns the HTTP API's stage, or nil for the REST front door.
func (a *LambdaAPI) HTTPStage() awsapigatewayv2.IHttpStage {
	if a.httpStage == nil {
		return nil
	}
	return a.httpStage
}

// URL returns the stage's invoke URL, ending in a slash.
func (a *LambdaAPI) URL() *string {
	switch {
	case a.restAPI != nil:
		return a.restAPI.Url()
	case a.httpStage != nil:
		return a.httpStage.Url()
	}
	return nil
}

// FrontDoor returns the front door kind.
func (a *LambdaAPI) FrontDoor() workload.FrontDoor { return a.cfg.FrontDoor }

// Workload returns the cost record the construct attached to the function.
func (a *LambdaAPI) Workload() workload.Workload { return a.cfg.workload() }

// Err returns the problems of the props it was built from, or nil: a
// construct with problems built nothing and its other methods return
// zero values (nil resources and metrics).
func (a *LambdaAPI) Err() error { return a.err.AsError() }
