package tokenizer_test

import (
	"fmt"

	"github.com/costguard-ml/costguard/lambda/tokenizer"
)

func ExampleTokenizer_Encode() {
	tok, err := tokenizer.Load("testdata/uncased/vocab.txt", tokenizer.Options{})
	if err != nil {
		panic(err)
	}
	enc, err := tok.Encode("Café, unaffable 我爱北京!", 0)
	if err != nil {
		panic(err)
	}
	fmt.Println(enc.IDs)
	fmt.Println(enc.AttentionMask)
	// Output:
	// [2 12 7 9 10 11 15 16 17 18 8 3]
	// [1 1 1 1 1 1 1 1 1 1 1 1]
}

func ExampleTokenizer_EncodeBatch() {
	tok, err := tokenizer.Load("testdata/uncased", tokenizer.Options{})
	if err != nil {
		panic(err)
	}
	b, err := tok.EncodeBatch([]string{"hello world", "hello"}, 0)
	if err != nil {
		panic(err)
	}
	for i := range b.N {
		fmt.Println(b.IDs[i*b.SeqLen:(i+1)*b.SeqLen], b.AttentionMask[i*b.SeqLen:(i+1)*b.SeqLen])
	}
	// Output:
	// [2 5 6 3] [1 1 1 1]
	// [2 5 3 0] [1 1 1 0]
}
