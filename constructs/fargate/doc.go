// Package fargate serves the costguard model server on Amazon ECS on AWS
// Fargate, for models that outgrow AWS Lambda (more than 10 GB of memory,
// long requests, traffic that never sleeps).
//
// [NewService] builds, in private subnets, an ECS Fargate service (ARM64 by
// default) running the model server's HTTP face, an internal Application
// Load Balancer that health-checks GET /health, target-tracking autoscaling
// on CPU and on requests per target, and an API Gateway HTTP API whose
// routes (POST /predict, GET /health) reach the load balancer through a VPC
// link, so clients call the same contract as on the Lambda tier.
//
// Why an HTTP API and an Application Load Balancer rather than a REST API
// and a Network Load Balancer: a REST API's VPC link reaches only a Network
// Load Balancer, which works at layer 4 and has no requests-per-target
// metric to scale on and no HTTP health check result per request; an HTTP
// API's VPC link reaches an ALB directly, costs less per request and keeps
// stage throttling.
//
// The service records a [workload.Workload] on its AWS::ECS::Service under
// [workload.MetadataKey], so `costguard report` prices it.
package fargate
