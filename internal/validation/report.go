package validation

import (
	"github.com/aws/aws-cdk-go/awscdk/v2"
	"github.com/aws/constructs-go/constructs/v10"
	"github.com/aws/jsii-runtime-go"
)

// Report records err's problems on c, one CDK error annotation each, and
// returns them as an *Error (nil when err is nil). A constructor that gets
// a non-nil result builds nothing more and returns its construct, whose Err
// method returns the result: `cdk synth` then fails listing every problem
// under the construct's path, and a Go caller can test Err, instead of
// either seeing a Go stack trace.
func Report(c constructs.IConstruct, err error) *Error {
	if err == nil {
		return nil
	}
	e := New(*c.Node().Path(), err)
	for _, p := range e.Problems {
		awscdk.Annotations_Of(c).AddError(jsii.String(p.Error()))
	}
	return e
}

// AsError returns e as an error interface value: nil when e is nil (a nil
// *Error in an error interface is not nil).
func (e *Error) AsError() error {
	if e == nil {
		return nil
	}
	return e
}
