package killswitch_test

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
)

// fakeAWS speaks the wire protocols of the three APIs the kill switch calls,
// as the SDK's own request and response snapshots show them: Lambda's
// REST-JSON (GET/PUT/DELETE …/functions/NAME/concurrency), SSM's JSON 1.1
// (POST / with X-Amz-Target) and SNS's query protocol (form POST, XML
// reply). It records every call.
type fakeAWS struct {
	mu        sync.Mutex
	reserved  map[string]*int32 // function name → reserved concurrency, nil for none
	params    map[string]string
	published []published
	calls     []string
	// failPut makes the next n PutFunctionConcurrency calls fail.
	failPut int
}

type published struct{ Topic, Subject, Message string }

func newFakeAWS(t *testing.T, functions map[string]*int32) (*fakeAWS, aws.Config) {
	t.Helper()
	f := &fakeAWS{reserved: functions, params: map[string]string{}}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	cfg := aws.Config{
		Region:           "us-east-1",
		Credentials:      credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", ""),
		BaseEndpoint:     aws.String(srv.URL),
		RetryMaxAttempts: 1,
		HTTPClient:       srv.Client(),
	}
	return f, cfg
}

func int32p(v int32) *int32 { return &v }

func (f *fakeAWS) Calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.calls...)
}

func (f *fakeAWS) resetCalls() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = nil
}

func (f *fakeAWS) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") {
		http.Error(w, "unsigned request", http.StatusForbidden)
		return
	}
	body, _ := io.ReadAll(r.Body)
	switch {
	case strings.HasSuffix(r.URL.Path, "/concurrency"):
		f.lambda(w, r, body)
	case r.Header.Get("X-Amz-Target") != "":
		f.ssm(w, r.Header.Get("X-Amz-Target"), body)
	case strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		f.sns(w, body)
	default:
		http.Error(w, "unknown API "+r.Method+" "+r.URL.Path, http.StatusBadRequest)
	}
}

func (f *fakeAWS) lambda(w http.ResponseWriter, r *http.Request, body []byte) {
	// /2019-09-30/functions/NAME/concurrency or /2017-10-31/functions/NAME/concurrency
	parts := strings.Split(strings.Trim(r.URL.EscapedPath(), "/"), "/")
	if len(parts) != 4 || parts[1] != "functions" {
		http.Error(w, "bad path "+r.URL.Path, http.StatusBadRequest)
		return
	}
	name, _ := url.PathUnescape(parts[2])
	version := parts[0]
	rc, ok := f.reserved[name]
	if !ok {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", "ResourceNotFoundException")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, `{"__type":"ResourceNotFoundException","Message":"Function not found: %s","Type":"User"}`, name)
		return
	}
	w.Header().Set("Content-Type", "application/json")
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
		if f.failPut > 0 {
			f.failPut--
			w.Header().Set("X-Amzn-ErrorType", "ServiceException")
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"__type":"ServiceException","Message":"injected failure"}`)
			return
		}
		f.reserved[name] = int32p(*in.ReservedConcurrentExecutions)
		fmt.Fprintf(w, `{"ReservedConcurrentExecutions":%d}`, *in.ReservedConcurrentExecutions)
	case r.Method == http.MethodDelete && version == "2017-10-31":
		f.calls = append(f.calls, "DeleteFunctionConcurrency "+name)
		f.reserved[name] = nil
		w.WriteHeader(http.StatusNoContent)
	default:
		http.Error(w, "unsupported "+r.Method+" "+r.URL.Path, http.StatusMethodNotAllowed)
	}
}

func (f *fakeAWS) ssm(w http.ResponseWriter, target string, body []byte) {
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
	switch target {
	case "AmazonSSM.GetParameter":
		f.calls = append(f.calls, "GetParameter "+in.Name)
		v, ok := f.params[in.Name]
		if !ok {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"ParameterNotFound","message":""}`)
			return
		}
		out, _ := json.Marshal(map[string]any{"Parameter": map[string]any{"Name": in.Name, "Type": "String", "Value": v, "Version": 1}})
		w.Write(out)
	case "AmazonSSM.PutParameter":
		f.calls = append(f.calls, "PutParameter "+in.Name)
		if _, exists := f.params[in.Name]; exists && !in.Overwrite {
			w.WriteHeader(http.StatusBadRequest)
			io.WriteString(w, `{"__type":"ParameterAlreadyExists","message":"The parameter already exists."}`)
			return
		}
		if in.Type != "String" || len(in.Value) > 4096 {
			w.WriteHeader(http.StatusBadRequest)
			fmt.Fprintf(w, `{"__type":"ValidationException","message":"type %s, %d bytes"}`, in.Type, len(in.Value))
			return
		}
		f.params[in.Name] = in.Value
		io.WriteString(w, `{"Tier":"Standard","Version":2}`)
	default:
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"__type":"UnknownOperationException","message":"%s"}`, target)
	}
}

func (f *fakeAWS) sns(w http.ResponseWriter, body []byte) {
	form, err := url.ParseQuery(string(body))
	w.Header().Set("Content-Type", "text/xml")
	if err != nil || form.Get("Action") != "Publish" || form.Get("Version") != "2010-03-31" {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidAction</Code><Message>unsupported</Message></Error></ErrorResponse>`)
		return
	}
	f.calls = append(f.calls, "Publish "+form.Get("TopicArn"))
	f.published = append(f.published, published{form.Get("TopicArn"), form.Get("Subject"), form.Get("Message")})
	var resp struct {
		XMLName   xml.Name `xml:"PublishResponse"`
		MessageID string   `xml:"PublishResult>MessageId"`
	}
	resp.MessageID = fmt.Sprintf("msg-%d", len(f.published))
	xml.NewEncoder(w).Encode(resp)
}
