// Package fakeaws is a loopback stand-in for the three AWS APIs the kill
// switch calls — Lambda's REST-JSON concurrency operations, SSM's JSON 1.1
// GetParameter/PutParameter and SNS's query-protocol Publish — speaking
// their wire protocols as the SDK's own request and response snapshots show
// them, so tests run the real aws-sdk-go-v2 clients against it. It records
// every call.
package fakeaws

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// Server is the fake. Its maps may be read and set between calls.
type Server struct {
	mu sync.Mutex
	// Reserved maps a function name to its reserved concurrency, nil for
	// none; a function not in the map does not exist.
	Reserved map[string]*int32
	// Params maps a parameter name to its value.
	Params    map[string]string
	Published []Published
	calls     []string
	// FailPut makes the next n PutFunctionConcurrency calls fail with a
	// ServiceException.
	FailPut int
	// FailPublish makes the next n Publish calls fail with an
	// InternalError.
	FailPublish int
	// Services maps "CLUSTER/SERVICE" to an ECS service's desired count.
	Services map[string]int32
	// Scalable maps an Application Auto Scaling resource id (such as
	// service/CLUSTER/SERVICE, endpoint/E/variant/V or
	// function:NAME:QUALIFIER) to its target.
	Scalable map[string]*ScalableTarget
	// Provisioned maps a function name to its provisioned-concurrency
	// configurations, by qualifier (alias or version), allocated at once.
	Provisioned map[string]map[string]int32
	// Scheduled are Application Auto Scaling's scheduled actions; see
	// [Server.RunScheduledActions].
	Scheduled []ScheduledAction
	// ScalingFailures are the scaling activities that failed, as
	// Application Auto Scaling would report them (DescribeScalingActivities).
	ScalingFailures []string
	// Policy, when set, is the caller's identity policy: a call it does not
	// allow is refused with AccessDenied, as AWS refuses it. Nil allows all.
	Policy []Statement
	// Denied lists the refused calls ("ACTION RESOURCE").
	Denied []string
	// EndpointConfigs maps an endpoint's name to its endpoint config's name.
	EndpointConfigs map[string]string
	// AccountConcurrency is the account's Lambda concurrency quota that
	// GetAccountSettings reports. Default: 1000.
	AccountConcurrency int32
	// URL is the server's base URL.
	URL string
}

// ScalableTarget is an Application Auto Scaling target.
type ScalableTarget struct {
	Namespace, Dimension string
	Min, Max             int32
	// Suspended scaling, as RegisterScalableTarget's SuspendedState sets it.
	DynamicInSuspended, DynamicOutSuspended, ScheduledSuspended bool
}

// ScheduledAction is a scheduled action that sets a target's bounds.
type ScheduledAction struct {
	ResourceID string
	Min, Max   int32
}

// Published is one SNS message.
type Published struct{ Topic, Subject, Message string }

// New starts a fake with the given functions and returns it with an AWS
// configuration (static credentials, us-east-1, no retries) whose clients
// call it.
func New(t testing.TB, functions map[string]*int32) (*Server, aws.Config) {
	t.Helper()
	f := &Server{Reserved: functions, Params: map[string]string{}, Services: map[string]int32{}, Scalable: map[string]*ScalableTarget{},
		Provisioned: map[string]map[string]int32{}, EndpointConfigs: map[string]string{}}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	cfg := aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		BaseEndpoint:     aws.String(srv.URL),
		RetryMaxAttempts: 1,
		HTTPClient:       srv.Client(),
	}
	return f, cfg
}

// Int32 returns a pointer to v.
func Int32(v int32) *int32 { return &v }

// Calls returns the calls so far, one line each: the operation and its key
// arguments.
func (f *Server) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

// ResetCalls forgets the calls so far.
func (f *Server) ResetCalls() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = nil
}

func (f *Server) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") {
		http.Error(w, "unsigned request", http.StatusForbidden)
		return
	}
	body, _ := io.ReadAll(r.Body)
	switch {
	case strings.HasSuffix(strings.TrimSuffix(r.URL.Path, "/"), "/account-settings"):
		f.accountSettings(w)
	case strings.HasSuffix(r.URL.Path, "/provisioned-concurrency"):
		f.provisionedConcurrency(w, r, body)
	case strings.HasSuffix(r.URL.Path, "/concurrency"):
		f.lambda(w, r, body)
	case strings.HasPrefix(r.Header.Get("X-Amz-Target"), "AmazonSSM."):
		f.ssm(w, r.Header.Get("X-Amz-Target"), body)
	case strings.HasPrefix(r.Header.Get("X-Amz-Target"), "AnyScaleFrontendService."):
		f.autoScaling(w, r.Header.Get("X-Amz-Target"), body)
	case strings.HasPrefix(r.Header.Get("X-Amz-Target"), "AmazonEC2ContainerServiceV20141113."):
		f.ecs(w, r.Header.Get("X-Amz-Target"), body)
	case strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		f.sns(w, body)
	default:
		http.Error(w, "unknown API "+r.Method+" "+r.URL.Path, http.StatusBadRequest)
	}
}

func (f *Server) lambda(w http.ResponseWriter, r *http.Request, body []byte) {
	// /2019-09-30/functions/NAME/concurrency or /2017-10-31/functions/NAME/concurrency
	parts := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	if len(parts) != 4 || parts[1] != "functions" {
		http.Error(w, "bad path "+r.URL.Path, http.StatusBadRequest)
		return
	}
	name, _ := url.PathUnescape(parts[2])
	version := parts[0]
	rc, ok := f.Reserved[name]
	if !ok {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", "ResourceNotFoundException")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"__type":"ResourceNotFoundException","Message":"Function not found: %s","Type":"User"}`, name)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	action := map[string]string{http.MethodGet: "lambda:GetFunctionConcurrency", http.MethodPut: "lambda:PutFunctionConcurrency", http.MethodDelete: "lambda:DeleteFunctionConcurrency"}[r.Method]
	if msg, ok := f.allow(action, functionARN(name)); !ok {
		denyLambda(w, msg)
		return
	}
	switch {
	case r.Method == http.MethodGet && version == "2019-09-30":
		f.calls = append(f.calls, "GetFunctionConcurrency "+name)
		if rc == nil {
			io.WriteString(w, `{}`)
			return
		}
		fmt.Fprintf(w, `{"ReservedConcurrentExecutions":%d}`, *rc)
	case r.Method == http.MethodPut && version == "2017-10-31":
		var in struct{ ReservedConcurrentExecutions *int32 }
		if err := json.Unmarshal(body, &in); err != nil || in.ReservedConcurrentExecutions == nil {
			w.Header().Set("X-Amzn-ErrorType", "InvalidParameterValueException")
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"InvalidParameterValueException","Message":"ReservedConcurrentExecutions is required"}`)
			return
		}
		f.calls = append(f.calls, fmt.Sprintf("PutFunctionConcurrency %s %d", name, *in.ReservedConcurrentExecutions))
		if f.FailPut > 0 {
			f.FailPut--
			w.Header().Set("X-Amzn-ErrorType", "ServiceException")
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"__type":"ServiceException","Message":"injected failure"}`)
			return
		}
		// "You can't allocate more provisioned concurrency than reserved
		// concurrency for a function"
		// (https://docs.aws.amazon.com/lambda/latest/dg/provisioned-concurrency.html):
		// Lambda answers a reserved concurrency below the allocated
		// provisioned concurrency with InvalidParameterValueException, the
		// 400 error PutFunctionConcurrency documents for a value it refuses.
		if pc := f.provisionedTotal(name); *in.ReservedConcurrentExecutions < pc {
			lambdaError(w, http.StatusBadRequest, "InvalidParameterValueException",
				fmt.Sprintf("Specified ReservedConcurrentExecutions for function is less than function's total allocated provisioned concurrency [%d].", pc))
			return
		}
		f.Reserved[name] = Int32(*in.ReservedConcurrentExecutions)
		fmt.Fprintf(w, `{"ReservedConcurrentExecutions":%d}`, *in.ReservedConcurrentExecutions)
	case r.Method == http.MethodDelete && version == "2017-10-31":
		f.calls = append(f.calls, "DeleteFunctionConcurrency "+name)
		f.Reserved[name] = nil
		w.WriteHeader(http.StatusNoContent)
	default:
		http.Error(w, "unsupported "+r.Method+" "+r.URL.Path, http.StatusMethodNotAllowed)
	}
}

func lambdaError(w http.ResponseWriter, code int, typ, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", typ)
	w.WriteHeader(code)
	fmt.Fprintf(w, `{"Type":"User","message":%q}`, msg)
}

func (f *Server) provisionedTotal(name string) int32 {
	var n int32
	for _, v := range f.Provisioned[name] {
		n += v
	}
	return n
}

// setProvisioned applies a provisioned-concurrency change as Lambda does:
// refused (with Lambda's message, returned) when the function's total would
// exceed its reserved concurrency; "" when applied.
func (f *Server) setProvisioned(name, qualifier string, n int32) (refused string) {
	rc := f.Reserved[name]
	if rc != nil && f.provisionedTotal(name)-f.Provisioned[name][qualifier]+n > *rc {
		return fmt.Sprintf("Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution [%d] for function.", *rc)
	}
	if f.Provisioned[name] == nil {
		f.Provisioned[name] = map[string]int32{}
	}
	if n == 0 {
		delete(f.Provisioned[name], qualifier)
	} else {
		f.Provisioned[name][qualifier] = n
	}
	return ""
}

func (f *Server) provisionedConcurrency(w http.ResponseWriter, r *http.Request, body []byte) {
	// /2019-09-30/functions/NAME/provisioned-concurrency[?Qualifier=Q|?List=ALL]
	parts := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	if len(parts) != 4 || parts[0] != "2019-09-30" || parts[1] != "functions" {
		http.Error(w, "bad path "+r.URL.Path, http.StatusBadRequest)
		return
	}
	name, _ := url.PathUnescape(parts[2])
	if _, ok := f.Reserved[name]; !ok {
		lambdaError(w, http.StatusNotFound, "ResourceNotFoundException", "Function not found: "+name)
		return
	}
	q := r.URL.Query().Get("Qualifier")
	arn := functionARN(name) + ":"
	action, resource := "lambda:ListProvisionedConcurrencyConfigs", functionARN(name)
	switch r.Method {
	case http.MethodPut:
		action, resource = "lambda:PutProvisionedConcurrencyConfig", arn+q
	case http.MethodDelete:
		action, resource = "lambda:DeleteProvisionedConcurrencyConfig", arn+q
	}
	if msg, ok := f.allow(action, resource); !ok {
		denyLambda(w, msg)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	switch {
	case r.Method == http.MethodGet && r.URL.Query().Get("List") == "ALL":
		f.calls = append(f.calls, "ListProvisionedConcurrencyConfigs "+name)
		var qs []string
		for k := range f.Provisioned[name] {
			qs = append(qs, k)
		}
		slices.Sort(qs)
		configs := []any{}
		for _, k := range qs {
			n := f.Provisioned[name][k]
			configs = append(configs, map[string]any{"FunctionArn": arn + k, "RequestedProvisionedConcurrentExecutions": n,
				"AllocatedProvisionedConcurrentExecutions": n, "AvailableProvisionedConcurrentExecutions": n, "Status": "READY"})
		}
		b, _ := json.Marshal(map[string]any{"ProvisionedConcurrencyConfigs": configs})
		w.Write(b)
	case r.Method == http.MethodPut && q != "":
		var in struct{ ProvisionedConcurrentExecutions *int32 }
		if err := json.Unmarshal(body, &in); err != nil || in.ProvisionedConcurrentExecutions == nil || *in.ProvisionedConcurrentExecutions < 1 {
			lambdaError(w, http.StatusBadRequest, "InvalidParameterValueException", "ProvisionedConcurrentExecutions must be at least 1")
			return
		}
		f.calls = append(f.calls, fmt.Sprintf("PutProvisionedConcurrencyConfig %s:%s %d", name, q, *in.ProvisionedConcurrentExecutions))
		if msg := f.setProvisioned(name, q, *in.ProvisionedConcurrentExecutions); msg != "" {
			lambdaError(w, http.StatusBadRequest, "InvalidParameterValueException", msg)
			return
		}
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintf(w, `{"RequestedProvisionedConcurrentExecutions":%d,"Status":"IN_PROGRESS"}`, *in.ProvisionedConcurrentExecutions)
	case r.Method == http.MethodDelete && q != "":
		f.calls = append(f.calls, "DeleteProvisionedConcurrencyConfig "+name+":"+q)
		if _, ok := f.Provisioned[name][q]; !ok {
			lambdaError(w, http.StatusNotFound, "ProvisionedConcurrencyConfigNotFoundException", "No Provisioned Concurrency Config found for this function")
			return
		}
		delete(f.Provisioned[name], q)
		w.WriteHeader(http.StatusNoContent)
	default:
		http.Error(w, "unsupported "+r.Method+" "+r.URL.String(), http.StatusMethodNotAllowed)
	}
}

func (f *Server) ssm(w http.ResponseWriter, target string, body []byte) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	var in struct {
		Name      string
		Value     string
		Type      string
		Overwrite bool
	}
	if err := json.Unmarshal(body, &in); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"__type":"ValidationException","message":"bad JSON"}`)
		return
	}
	if msg, ok := f.allow("ssm:"+strings.TrimPrefix(target, "AmazonSSM."), parameterARN(in.Name)); !ok {
		denyJSON(w, msg)
		return
	}
	switch target {
	case "AmazonSSM.GetParameter":
		f.calls = append(f.calls, "GetParameter "+in.Name)
		v, ok := f.Params[in.Name]
		if !ok {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"ParameterNotFound","message":""}`)
			return
		}
		out, _ := json.Marshal(map[string]any{"Parameter": map[string]any{"Name": in.Name, "Type": "String", "Value": v, "Version": 1}})
		w.Write(out)
	case "AmazonSSM.PutParameter":
		f.calls = append(f.calls, "PutParameter "+in.Name)
		if _, exists := f.Params[in.Name]; exists && !in.Overwrite {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"ParameterAlreadyExists","message":"The parameter already exists."}`)
			return
		}
		if in.Type != "String" || len(in.Value) > 4096 {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"__type":"ValidationException","message":"type %s, %d bytes"}`, in.Type, len(in.Value))
			return
		}
		f.Params[in.Name] = in.Value
		io.WriteString(w, `{"Tier":"Standard","Version":2}`)
	default:
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"__type":"UnknownOperationException","message":"%s"}`, target)
	}
}

func (f *Server) sns(w http.ResponseWriter, body []byte) {
	form, err := url.ParseQuery(string(body))
	w.Header().Set("Content-Type", "text/xml")
	if err != nil || form.Get("Action") != "Publish" || form.Get("Version") != "2010-03-31" {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>unsupported</Message></Error></ErrorResponse>`)
		return
	}
	if msg, ok := f.allow("sns:Publish", form.Get("TopicArn")); !ok {
		denySNS(w, msg)
		return
	}
	f.calls = append(f.calls, "Publish "+form.Get("TopicArn"))
	if f.FailPublish > 0 {
		f.FailPublish--
		w.WriteHeader(http.StatusInternalServerError)
		io.WriteString(w, `<ErrorResponse><Error><Type>Receiver</Type><Code>InternalError</Code><Message>injected failure</Message></Error></ErrorResponse>`)
		return
	}
	f.Published = append(f.Published, Published{form.Get("TopicArn"), form.Get("Subject"), form.Get("Message")})
	var resp struct {
		XMLName   xml.Name `xml:"PublishResponse"`
		MessageID string   `xml:"PublishResult>MessageId"`
	}
	resp.MessageID = fmt.Sprintf("msg-%d", len(f.Published))
	xml.NewEncoder(w).Encode(resp)
}

func jsonError(w http.ResponseWriter, code int, typ, msg string) {
	w.WriteHeader(code)
	fmt.Fprintf(w, `{"__type":%q,"message":%q}`, typ, msg)
}

func (f *Server) autoScaling(w http.ResponseWriter, target string, body []byte) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	var in struct {
		ServiceNamespace, ScalableDimension, ResourceId string
		ResourceIds                                     []string
		MinCapacity, MaxCapacity                        *int32
		NextToken                                       string
		SuspendedState                                  *struct {
			DynamicScalingInSuspended, DynamicScalingOutSuspended, ScheduledScalingSuspended *bool
		}
	}
	if err := json.Unmarshal(body, &in); err != nil || in.ServiceNamespace == "" || in.ScalableDimension == "" {
		jsonError(w, http.StatusBadRequest, "ValidationException", "ServiceNamespace and ScalableDimension are required")
		return
	}
	op := strings.TrimPrefix(target, "AnyScaleFrontendService.")
	if msg, ok := f.allow("application-autoscaling:"+op, "*"); !ok {
		denyJSON(w, msg)
		return
	}
	if op == "RegisterScalableTarget" {
		for _, p := range f.registerPermissions(in.ServiceNamespace, in.ResourceId) {
			if msg, ok := f.allow(p[0], p[1]); !ok {
				denyJSON(w, "Application Auto Scaling: "+msg)
				return
			}
		}
	}
	switch target {
	case "AnyScaleFrontendService.DescribeScalableTargets":
		f.calls = append(f.calls, fmt.Sprintf("DescribeScalableTargets %s %s", in.ServiceNamespace, strings.Join(in.ResourceIds, ",")))
		var ids []string
		for id, t := range f.Scalable {
			if t.Namespace == in.ServiceNamespace && t.Dimension == in.ScalableDimension && (len(in.ResourceIds) == 0 || slices.Contains(in.ResourceIds, id)) {
				ids = append(ids, id)
			}
		}
		slices.Sort(ids)
		// One target a page, to exercise pagination.
		start := 0
		if in.NextToken != "" {
			start, _ = strconv.Atoi(in.NextToken)
		}
		out := map[string]any{"ScalableTargets": []any{}}
		if start < len(ids) {
			t := f.Scalable[ids[start]]
			out["ScalableTargets"] = []any{map[string]any{"ServiceNamespace": t.Namespace, "ScalableDimension": t.Dimension, "ResourceId": ids[start],
				"MinCapacity": t.Min, "MaxCapacity": t.Max, "RoleARN": "arn:aws:iam::123456789012:role/aas", "CreationTime": 946684800,
				"SuspendedState": map[string]bool{"DynamicScalingInSuspended": t.DynamicInSuspended, "DynamicScalingOutSuspended": t.DynamicOutSuspended,
					"ScheduledScalingSuspended": t.ScheduledSuspended}}}
			if start+1 < len(ids) {
				out["NextToken"] = strconv.Itoa(start + 1)
			}
		}
		b, _ := json.Marshal(out)
		w.Write(b)
	case "AnyScaleFrontendService.RegisterScalableTarget":
		t, ok := f.Scalable[in.ResourceId]
		if !ok || in.MinCapacity == nil || in.MaxCapacity == nil || *in.MinCapacity > *in.MaxCapacity {
			jsonError(w, http.StatusBadRequest, "ValidationException", "unknown target or bad capacities")
			return
		}
		call := fmt.Sprintf("RegisterScalableTarget %s %d..%d", in.ResourceId, *in.MinCapacity, *in.MaxCapacity)
		if ss := in.SuspendedState; ss != nil {
			// A flag left out keeps its value.
			set := func(dst *bool, v *bool) {
				if v != nil {
					*dst = *v
				}
			}
			set(&t.DynamicInSuspended, ss.DynamicScalingInSuspended)
			set(&t.DynamicOutSuspended, ss.DynamicScalingOutSuspended)
			set(&t.ScheduledSuspended, ss.ScheduledScalingSuspended)
		}
		if t.DynamicInSuspended || t.DynamicOutSuspended || t.ScheduledSuspended {
			call += " suspended"
		}
		f.calls = append(f.calls, call)
		t.Min, t.Max = *in.MinCapacity, *in.MaxCapacity
		f.scale(in.ResourceId, t)
		io.WriteString(w, `{"ScalableTargetARN":"arn:aws:application-autoscaling:us-east-1:123456789012:scalable-target/x"}`)
	default:
		jsonError(w, http.StatusBadRequest, "UnknownOperationException", target)
	}
}

func (f *Server) ecs(w http.ResponseWriter, target string, body []byte) {
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	var in struct {
		Cluster      string   `json:"cluster"`
		Services     []string `json:"services"`
		Service      string   `json:"service"`
		DesiredCount *int32   `json:"desiredCount"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		jsonError(w, http.StatusBadRequest, "InvalidParameterException", "bad JSON")
		return
	}
	op := strings.TrimPrefix(target, "AmazonEC2ContainerServiceV20141113.")
	var arns []string
	for _, s := range append(in.Services, in.Service) {
		if s != "" {
			arns = append(arns, serviceARN(in.Cluster+"/"+s))
		}
	}
	if msg, ok := f.allow("ecs:"+strings.ToUpper(op[:1])+op[1:], arns...); !ok {
		denyJSON(w, msg)
		return
	}
	switch target {
	case "AmazonEC2ContainerServiceV20141113.DescribeServices":
		f.calls = append(f.calls, "DescribeServices "+in.Cluster+"/"+strings.Join(in.Services, ","))
		services, failures := []any{}, []any{}
		for _, s := range in.Services {
			if n, ok := f.Services[in.Cluster+"/"+s]; ok {
				services = append(services, map[string]any{"serviceName": s, "desiredCount": n, "runningCount": n, "status": "ACTIVE"})
			} else {
				failures = append(failures, map[string]any{"arn": s, "reason": "MISSING"})
			}
		}
		b, _ := json.Marshal(map[string]any{"services": services, "failures": failures})
		w.Write(b)
	case "AmazonEC2ContainerServiceV20141113.UpdateService":
		key := in.Cluster + "/" + in.Service
		if _, ok := f.Services[key]; !ok || in.DesiredCount == nil {
			jsonError(w, http.StatusBadRequest, "ServiceNotFoundException", "Service not found.")
			return
		}
		f.calls = append(f.calls, fmt.Sprintf("UpdateService %s %d", key, *in.DesiredCount))
		f.Services[key] = *in.DesiredCount
		fmt.Fprintf(w, `{"service":{"serviceName":%q,"desiredCount":%d,"status":"ACTIVE"}}`, in.Service, *in.DesiredCount)
	default:
		jsonError(w, http.StatusBadRequest, "UnknownOperationException", target)
	}
}

// scale brings a target's capacity inside its bounds, as Application Auto
// Scaling does after a bounds change: for a Lambda alias or version it sets
// the provisioned concurrency, which Lambda may refuse (the failure is
// recorded in ScalingFailures, as a failed scaling activity).
func (f *Server) scale(id string, t *ScalableTarget) {
	if t.Namespace != "lambda" {
		return
	}
	rest, ok := strings.CutPrefix(id, "function:")
	name, q, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 {
		return
	}
	cur := f.Provisioned[name][q]
	want := min(max(cur, t.Min), t.Max)
	if want == cur {
		return
	}
	if msg := f.setProvisioned(name, q, want); msg != "" {
		f.ScalingFailures = append(f.ScalingFailures, id+": "+msg)
	}
}

// RunScheduledActions runs every scheduled action as if its time had come:
// each sets its target's bounds unless the target's scheduled scaling is
// suspended, then the capacity follows the bounds.
func (f *Server) RunScheduledActions() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, a := range f.Scheduled {
		t, ok := f.Scalable[a.ResourceID]
		if !ok || t.ScheduledSuspended {
			continue
		}
		t.Min, t.Max = a.Min, a.Max
		f.scale(a.ResourceID, t)
	}
}

// accountSettings answers Lambda's GetAccountSettings: the quota, and what
// is left unreserved after the functions' reserved concurrency.
func (f *Server) accountSettings(w http.ResponseWriter) {
	if msg, ok := f.allow("lambda:GetAccountSettings", "*"); !ok {
		denyLambda(w, msg)
		return
	}
	f.calls = append(f.calls, "GetAccountSettings")
	limit := f.AccountConcurrency
	if limit == 0 {
		limit = 1000
	}
	unreserved := limit
	for _, rc := range f.Reserved {
		if rc != nil {
			unreserved -= *rc
		}
	}
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprintf(w, `{"AccountLimit":{"ConcurrentExecutions":%d,"UnreservedConcurrentExecutions":%d,"CodeSizeUnzipped":262144000,"CodeSizeZipped":52428800,"TotalCodeSize":80530636800},"AccountUsage":{"FunctionCount":%d,"TotalCodeSize":0}}`,
		limit, unreserved, len(f.Reserved))
}
