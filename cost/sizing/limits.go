package sizing

import "github.com/costguard-ml/costguard/cost/limits"

const lambdaMaxTimeout = limits.LambdaMaxTimeout
