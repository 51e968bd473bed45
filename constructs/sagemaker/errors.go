package sagemaker

import "github.com/costguard-ml/costguard/internal/validation"

// ValidationError is what Err returns for bad props: the construct path
// (Path) and every problem (Problems), each naming the field, the bad value
// and what is allowed. It is the one type every costguard construct
// reports, so errors.As with any package's alias matches them all.
type ValidationError = validation.Error
