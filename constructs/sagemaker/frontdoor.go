package sagemaker

import (
	_ "embed"

	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsapigateway"
	"github.com/aws/aws-cdk-go/awscdk/v2/awsiam"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslambda"
	"github.com/aws/aws-cdk-go/awscdk/v2/awslogs"
	"github.com/aws/jsii-runtime-go"
	"github.com/cdklabs/cdk-nag-go/cdknag/v2"

	"github.com/costguard-ml/costguard/constructs/internal/frontdoor"
	"github.com/costguard-ml/costguard/cost/workload"
)

// submitSource is the asynchronous variant's submit function. It is inline
// Node.js so that synth builds nothing; the runtime ships the AWS SDK.
//
//go:embed submit.js
var submitSource string

// predictSchema is the request body the API accepts, checked by API Gateway
// before anything is invoked: the same shape the model server validates.
var predictSchema = &awsapigateway.JsonSchema{
	Schema:   awsapigateway.JsonSchemaVersion_DRAFT4,
	Type:     awsapigateway.JsonSchemaType_OBJECT,
	Required: jsii.Strings("instances"),
	Properties: &map[string]*awsapigateway.JsonSchema{
		"instances": {Type: awsapigateway.JsonSchemaType_ARRAY, MinItems: jsii.Number(1)},
	},
}

func (e *Endpoint) buildAPI() {
	p := e.props
	e.accessLogs = frontdoor.NewAccessLogGroup(e.Construct, p.LogRetention)
	e.api = awsapigateway.NewRestApi(e.Construct, jsii.String("Api"), &awsapigateway.RestApiProps{
		RestApiName:    frontdoor.APIName(e.Construct),
		Description:    jsii.String("costguard inference API (SageMaker " + string(p.Variant) + " tier)"),
		EndpointTypes:  &[]awsapigateway.EndpointType{awsapigateway.EndpointType_REGIONAL},
		CloudWatchRole: jsii.Bool(false),
		DeployOptions: &awsapigateway.StageOptions{
			StageName:            jsii.String(StageName),
			ThrottlingRateLimit:  jsii.Number(p.ThrottleRateLimit),
			ThrottlingBurstLimit: jsii.Number(float64(p.ThrottleBurstLimit)),
			AccessLogDestination: awsapigateway.NewLogGroupLogDestination(e.accessLogs),
			AccessLogFormat:      frontdoor.AccessLogFormat(workload.FrontDoorREST),
		},
	})
	validator := e.api.AddRequestValidator(jsii.String("BodyValidator"), &awsapigateway.RequestValidatorOptions{
		ValidateRequestBody:       jsii.Bool(true),
		ValidateRequestParameters: jsii.Bool(true),
	})
	model := e.api.AddModel(jsii.String("PredictRequest"), &awsapigateway.ModelOptions{
		ContentType: jsii.String("application/json"),
		Schema:      predictSchema,
		Description: jsii.String("POST /predict body: {\"instances\": [...]}"),
	})
	var integration awsapigateway.Integration
	var responses []*awsapigateway.MethodResponse
	if p.Variant == VariantAsync {
		integration = e.asyncIntegration()
	} else {
		integration = e.syncIntegration()
		responses = []*awsapigateway.MethodResponse{{StatusCode: jsii.String("200")}, {StatusCode: jsii.String("400")}, {StatusCode: jsii.String("502")}}
	}
	e.api.Root().AddResource(jsii.String("predict"), nil).AddMethod(jsii.String("POST"), integration, &awsapigateway.MethodOptions{
		RequestValidator: validator,
		RequestModels:    &map[string]awsapigateway.IModel{"application/json": model},
		MethodResponses:  &responses,
	})
	cdknag.NagSuppressions_AddResourceSuppressions(e.api, &[]*cdknag.NagPackSuppression{
		{
			Id: jsii.String("AwsSolutions-APIG4"),
			Reason: jsii.String("The inference API is public by design, like the Lambda tier's; abuse is bounded by the " +
				"stage throttles and the cost guard's alarms and kill switch."),
		},
		{
			Id:     jsii.String("AwsSolutions-COG4"),
			Reason: jsii.String("No user pool: callers are programs, not people; see AwsSolutions-APIG4."),
		},
		{
			Id: jsii.String("AwsSolutions-APIG3"),
			Reason: jsii.String("A WAF web ACL costs $5 a month plus $0.60 per million requests, more than a light model " +
				"earns; stage throttles and the cost guard bound abuse. Associate a web ACL with the stage where policy needs one."),
		},
		{
			Id: jsii.String("AwsSolutions-APIG6"),
			Reason: jsii.String("Execution logging needs an account-wide API Gateway CloudWatch role that this app does not " +
				"own (@aws-cdk/aws-apigateway:disableCloudWatchRole); every request is in the JSON access log."),
		},
	}, jsii.Bool(true))
}

// syncIntegration calls InvokeEndpoint directly, with a role that may invoke
// this endpoint only.
func (e *Endpoint) syncIntegration() awsapigateway.Integration {
	e.apiRole = awsiam.NewRole(e.Construct, jsii.String("ApiRole"), &awsiam.RoleProps{
		AssumedBy:   awsiam.NewServicePrincipal(jsii.String("apigateway.amazonaws.com"), nil),
		Description: jsii.String("costguard API Gateway: invoke this SageMaker endpoint only"),
	})
	e.apiRole.AddToPolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("sagemaker:InvokeEndpoint"),
		Resources: &[]*string{e.EndpointARN()},
	}))
	return awsapigateway.NewAwsIntegration(&awsapigateway.AwsIntegrationProps{
		Service:               jsii.String("runtime.sagemaker"),
		Path:                  jsii.String("endpoints/" + e.name + "/invocations"),
		IntegrationHttpMethod: jsii.String("POST"),
		Options: &awsapigateway.IntegrationOptions{
			CredentialsRole:     e.apiRole,
			PassthroughBehavior: awsapigateway.PassthroughBehavior_NEVER,
			RequestParameters: &map[string]*string{
				"integration.request.header.Content-Type": jsii.String("'application/json'"),
				"integration.request.header.Accept":       jsii.String("'application/json'"),
			},
			RequestTemplates: &map[string]*string{"application/json": jsii.String("$input.body")},
			IntegrationResponses: &[]*awsapigateway.IntegrationResponse{
				{StatusCode: jsii.String("200")},
				// SageMaker answers 4xx for a request the model server
				// rejected (ModelError carries its message) or a bad call.
				{StatusCode: jsii.String("400"), SelectionPattern: jsii.String(`4\d{2}`)},
				{
					StatusCode: jsii.String("502"), SelectionPattern: jsii.String(`5\d{2}`),
					ResponseTemplates: &map[string]*string{
						"application/json": jsii.String(`{"error": "the model endpoint is unavailable"}`),
					},
				},
			},
		},
	})
}

// asyncIntegration puts the body in S3 and calls InvokeEndpointAsync
// through the submit function, which answers 202 with where the result
// will be.
func (e *Endpoint) asyncIntegration() awsapigateway.Integration {
	p := e.props
	logs := awslogs.NewLogGroup(e.Construct, jsii.String("SubmitLogs"), &awslogs.LogGroupProps{
		Retention:     p.LogRetention,
		RemovalPolicy: awscdk.RemovalPolicy_DESTROY,
	})
	e.submit = awslambda.NewFunction(e.Construct, jsii.String("Submit"), &awslambda.FunctionProps{
		Description:  jsii.String("costguard: put a request in S3 and call SageMaker InvokeEndpointAsync"),
		Runtime:      awslambda.Runtime_NODEJS_24_X(),
		Architecture: awslambda.Architecture_ARM_64(),
		Handler:      jsii.String("index.handler"),
		Code:         awslambda.Code_FromInline(jsii.String(submitSource)),
		MemorySize:   jsii.Number(256),
		Timeout:      awscdk.Duration_Seconds(jsii.Number(10)),
		LogGroup:     logs,
		Environment: &map[string]*string{
			"BUCKET":        e.bucket.BucketName(),
			"ENDPOINT_NAME": jsii.String(e.name),
		},
	})
	e.bucket.GrantPut(e.submit, jsii.String("input/*"))
	e.submit.AddToRolePolicy(awsiam.NewPolicyStatement(&awsiam.PolicyStatementProps{
		Actions:   jsii.Strings("sagemaker:InvokeEndpointAsync"),
		Resources: &[]*string{e.EndpointARN()},
	}))
	cdknag.NagSuppressions_AddResourceSuppressions(e.submit, &[]*cdknag.NagPackSuppression{
		{
			Id: jsii.String("AwsSolutions-IAM4"),
			Reason: jsii.String("AWSLambdaBasicExecutionRole only lets the function write its own logs; a copy of it " +
				"would say the same."),
			AppliesTo: &[]any{jsii.String("Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole")},
		},
		{
			Id: jsii.String("AwsSolutions-IAM5"),
			Reason: jsii.String("The function may put objects under the bucket's input/ prefix only, and use the bucket's " +
				"key for that; S3 and KMS grants express a prefix and the key's data-key actions with wildcards."),
		},
	}, jsii.Bool(true))
	return awsapigateway.NewLambdaIntegration(e.submit, &awsapigateway.LambdaIntegrationOptions{Proxy: jsii.Bool(true)})
}
