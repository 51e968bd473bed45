package fakeaws

import (
	"fmt"
	"net/http"
	"path"
	"strings"
)

// The fake's account and region, in the ARNs the policy is checked against.
const (
	Account = "123456789012"
	Region  = "us-east-1"
)

// Statement is one Allow statement of the caller's identity policy:
// action and resource patterns with IAM's * and ? wildcards.
type Statement struct {
	Actions, Resources []string
}

// allow reports whether the policy allows action on every resource, and
// otherwise records and returns the refusal in the words IAM uses
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html).
// With no policy set, everything is allowed.
func (f *Server) allow(action string, resources ...string) (string, bool) {
	if f.Policy == nil {
		return "", true
	}
	for _, r := range resources {
		ok := false
		for _, st := range f.Policy {
			if matchAny(st.Actions, action, true) && matchAny(st.Resources, r, false) {
				ok = true
				break
			}
		}
		if !ok {
			msg := fmt.Sprintf("User: arn:aws:sts::%s:assumed-role/KillSwitchRole/killswitch is not authorized to perform: %s on resource: %s because no identity-based policy allows the %s action", Account, action, r, action)
			f.Denied = append(f.Denied, action+" "+r)
			return msg, false
		}
	}
	return "", true
}

func matchAny(patterns []string, s string, fold bool) bool {
	for _, p := range patterns {
		if fold {
			p, s = strings.ToLower(p), strings.ToLower(s)
		}
		// path.Match's * stops at "/", IAM's does not: match on a copy
		// with "/" replaced.
		if ok, _ := path.Match(strings.ReplaceAll(p, "/", "\x00"), strings.ReplaceAll(s, "/", "\x00")); ok || p == "*" {
			return true
		}
	}
	return false
}

// The ARNs of the fake's resources.
func functionARN(name string) string {
	return "arn:aws:lambda:" + Region + ":" + Account + ":function:" + name
}
func parameterARN(name string) string {
	return "arn:aws:ssm:" + Region + ":" + Account + ":parameter/" + strings.TrimPrefix(name, "/")
}
func serviceARN(clusterService string) string {
	return "arn:aws:ecs:" + Region + ":" + Account + ":service/" + clusterService
}
func endpointARN(name string) string {
	return "arn:aws:sagemaker:" + Region + ":" + Account + ":endpoint/" + strings.ToLower(name)
}
func endpointConfigARN(name string) string {
	return "arn:aws:sagemaker:" + Region + ":" + Account + ":endpoint-config/" + strings.ToLower(name)
}

// Access denied in each protocol's shape.
func denyLambda(w http.ResponseWriter, msg string) {
	lambdaError(w, http.StatusForbidden, "AccessDeniedException", msg)
}
func denyJSON(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	jsonError(w, http.StatusBadRequest, "AccessDeniedException", msg)
}
func denySNS(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "text/xml")
	w.WriteHeader(http.StatusForbidden)
	fmt.Fprintf(w, `<ErrorResponse><Error><Type>Sender</Type><Code>AuthorizationError</Code><Message>%s</Message></Error></ErrorResponse>`, msg)
}

// registerPermissions are the target service's permissions Application
// Auto Scaling requires of the caller of RegisterScalableTarget
// (https://docs.aws.amazon.com/autoscaling/application/userguide/security_iam_id-based-policy-examples.html,
// "Permissions required for API actions on target services and
// CloudWatch").
func (f *Server) registerPermissions(namespace, id string) [][2]string {
	switch namespace {
	case "ecs":
		arn := serviceARN(strings.TrimPrefix(id, "service/"))
		return [][2]string{{"ecs:DescribeServices", arn}, {"ecs:UpdateService", arn}}
	case "sagemaker":
		// endpoint/E/variant/V
		parts := strings.Split(id, "/")
		if len(parts) < 2 {
			return nil
		}
		e := parts[1]
		return [][2]string{{"sagemaker:DescribeEndpoint", endpointARN(e)}, {"sagemaker:DescribeEndpointConfig", endpointConfigARN(f.EndpointConfigs[e])},
			{"sagemaker:UpdateEndpointWeightsAndCapacities", endpointARN(e)}}
	case "lambda":
		// function:NAME:QUALIFIER
		arn := "arn:aws:lambda:" + Region + ":" + Account + ":" + id
		return [][2]string{{"lambda:PutProvisionedConcurrencyConfig", arn}, {"lambda:GetProvisionedConcurrencyConfig", arn}, {"lambda:DeleteProvisionedConcurrencyConfig", arn}}
	}
	return nil
}
