package tabular_test

import (
	"errors"
	"fmt"

	"github.com/costguard-ml/costguard/lambda/tabular"
)

func Example() {
	spec := tabular.Spec{Width: 3, Features: []string{"alcohol", "malic_acid", "ash"}}
	if err := spec.Validate(); err != nil {
		panic(err)
	}
	row := make([]float32, spec.Width)

	_ = spec.DecodeRow([]byte(`[13.2, 1.78, 2.14]`), row)
	fmt.Println(row)
	_ = spec.DecodeRow([]byte(`{"ash": 2.5, "alcohol": 12, "malic_acid": 3}`), row)
	fmt.Println(row)

	err := spec.DecodeRow([]byte(`{"alcohal": 13.2, "malic_acid": 1.78, "ash": 2.14}`), row)
	var rowErr *tabular.Error
	if errors.As(err, &rowErr) {
		fmt.Printf("instances[0]: %s (field %q)\n", rowErr, rowErr.Field)
	}
	// Output:
	// [13.2 1.78 2.14]
	// [12 3 2.5]
	// instances[0]: unknown feature "alcohal" (did you mean "alcohol"?) (field "alcohal")
}
