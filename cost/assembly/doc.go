// Package assembly reads the stacks of a synthesized AWS CDK cloud assembly
// (cdk.out) or of loose CloudFormation templates, without the CDK: just
// manifest.json and the template JSON it points to.
//
// A cloud assembly's manifest.json lists artifacts; each of type
// "aws:cloudformation:stack" names its template in properties.templateFile,
// relative to the assembly directory. Artifacts of type "cdk:cloud-assembly"
// (one per CDK Stage) name a nested assembly directory in
// properties.directoryName; their stacks are read too, named
// "<nested artifact id>/<stack artifact id>".
package assembly
