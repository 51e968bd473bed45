package sagemakertier

import "github.com/costguard-ml/costguard/internal/validation"

// ValidationError is the panic value of the constructor for bad props: the
// construct path (Path) and every problem (Problems), each naming the
// field, the bad value and what is allowed. It is the type every costguard
// construct panics with, so the app reports their problems the same way.
type ValidationError = validation.Error
