// Package imageproc turns one PNG or JPEG image into one instance of an
// image classifier's float32 input tensor, the way a torchvision pipeline
// (PIL image → convert("RGB") → Resize → CenterCrop → ToTensor →
// Normalize) prepares it for training, so a model exported from PyTorch
// sees the same numbers in serving.
//
// # Pipeline
//
//  1. Sniff the format from the magic bytes: PNG or JPEG, nothing else.
//  2. Read only the header (image.DecodeConfig) and refuse more than
//     [Spec.MaxPixels] declared pixels, or a side over 65535, before any
//     pixel buffer is allocated: a 100-byte PNG claiming 100000×100000 is
//     refused at the cost of parsing its header.
//  3. Decode. A PNG that is not interlaced and not 16-bit takes the fast
//     path (pngfast.go): its chunks are walked in place, the pixel data
//     inflated by the package's own DEFLATE decoder (inflate.go) into a
//     reused buffer of the rows' exact size, unfiltered in place and
//     expanded to 8-bit RGB a row at a time as the resampler reads it, with
//     no image.Image between. Anything else, and anything the fast path
//     finds wrong (a CRC, chunk order, a filter, the amount of pixel data,
//     the zlib checksum, a stream compress/flate might not accept), is
//     decoded by the standard library, whose pixels or error are served;
//     FuzzPNGFast checks that whatever the fast path accepts, image/png
//     accepts with the same RGB values, and FuzzInflate that whatever the
//     inflater accepts, compress/flate accepts with the same bytes.
//     Every decoded type becomes 8-bit R, G, B: grayscale is replicated, alpha is dropped keeping the
//     un-premultiplied colour (what PIL's convert("RGB") does; a pixel of
//     alpha 0 keeps the colour the file stores), 16-bit samples keep their
//     high byte, palettes are expanded, YCbCr and CMYK JPEGs are converted
//     as image/jpeg's At would. Each concrete type has its own row loop;
//     image.Image.At is only the fallback for types these decoders never
//     produce.
//  4. Resize (below), straight to Height×Width, or with ResizeShorter the
//     shorter side to N and then the centre Height×Width crop, with
//     torchvision's geometry (int(N*long/short), crop offset
//     round((size-crop)/2) with Python's half-to-even rounding). Only the
//     pixels inside the crop are computed.
//  5. Normalize (v*Scale - Mean[c]) / Std[c] through a 3×256 table, into
//     NCHW or NHWC, RGB or BGR.
//
// # Resize: Pillow's BILINEAR, reimplemented
//
// The resampler is a port of Pillow's Resample.c for 8-bit images (the
// filter torchvision's Resize applies to PIL images): a separable triangle
// filter whose support widens by the shrink factor, so shrinking averages
// every input pixel (antialiasing) instead of sampling four; coefficients
// normalized per output pixel and rounded to 22-bit fixed point; a
// horizontal pass rounded to 8 bits, then a vertical one. In integer
// arithmetic it is bit-exact with Pillow: testdata/gen_pil.py writes
// shrink, enlarge, one-axis, shorter-side-and-crop, grayscale and RGBA
// cases with Pillow 9.4 / torchvision 0.14 and the tests compare every
// byte. golang.org/x/image/draw was not used: its BiLinear kernel also
// widens when shrinking, but it works on premultiplied 16-bit RGBA with
// different rounding and centre conventions, so it could only ever be
// close to what the model was trained on, and it would add a dependency.
// An image whose size already equals the target skips the resampler, so
// its pixels pass untouched, as with Pillow. The arithmetic is Pillow's;
// how it is laid out for speed (two values per multiplication, four rows
// per horizontal pass, a ring of open output rows) is in resample.go, and
// resample_ref_test.go keeps the first, line-for-line port, which
// TestResizeMatchesReference and FuzzResize compare with byte for byte.
//
// ToTensor divides by 255 rather than multiplying by 1/255; when 1/Scale
// is an integer the table divides too, so normalized values are also
// bit-exact with torch's float32 arithmetic.
//
// # Memory and time
//
// Memory is bounded by MaxPixels: the standard decoder's image (1 to 8
// bytes per pixel; 1.5 for a 4:2:0 JPEG, 4 for an 8-bit RGBA PNG), or for
// the PNG fast path the filtered rows (1/8 to 4 bytes per pixel and one
// per row) in a pooled buffer (kept between calls up to 16 MiB) and 80
// KB of Huffman tables (160 KB once a block uses the fixed codes), plus
// scratch that follows the model's width and four input rows (pooled and
// reused across calls). A refused bomb header costs a few kilobytes. The
// caller bounds the request's byte size.
//
// go test -bench . -benchmem (Go 1.26, 2-core AMD EPYC shared with other
// jobs, so wall times are inflated; CPU time per call, measured from the
// process's user time, in brackets). Model input 224×224 unless noted:
//
//	png 64×64 at model size 64×64          150 µs/op  [~130 µs]  22 allocs  64 KB (image/png, before the fast path)
//	jpeg 224×224 at model size             0.8-1.0 ms [~0.8 ms]   8 allocs 110 KB
//	jpeg 640×480 resized straight to 224    12-15 ms  [~6 ms]    10 allocs 530 KB
//	jpeg 640×480 shorter 256, crop 224      8-16 ms  [~5 ms]    10 allocs 530 KB
//	png 640×480 resized straight to 224    24-30 ms  [~9 ms]   163 allocs 1.3 MB
//	resize+normalize only, 640×480 → 224    3.7-6.6 ms [~1.7 ms]  0 allocs
//
// Decoding dominates (image/jpeg and image/png); this package's own work
// is the last line and allocates nothing once its pool is warm.
// BenchmarkPNGPaths puts the PNG fast path and image/png side by side in
// one run, BenchmarkInflate the inflater and compress/flate, and
// BenchmarkResizeOnly times the resize alone (see docs/model-server.md for
// the figures): once its pooled buffers have grown, the fast path makes no
// allocation per image (image/png: 19 to 159 allocations, 63 KB to 1.3
// MB).
//
// # Fuzzing
//
// FuzzPreprocess is seeded with valid PNGs (RGB, RGBA, gray, 16-bit,
// paletted with transparency) and JPEGs (4:2:0, 4:4:4, progressive, CMYK,
// gray), truncated ones and bomb headers, and varies the spec (size,
// resize mode, layout, channel order). It checks that Preprocess never
// panics, that every error wraps ErrFormat, ErrTooLarge or ErrCorrupt, and
// that outputs are finite and within the normalization's range.
// Run on 2026-11-30:
//
//	go test -run '^$' -fuzz FuzzPreprocess -fuzztime 1000000x -parallel 1 ./lambda/imageproc
//	1,000,007 executions, no failure (40 corpus entries); again with the
//	PNG fast path: 1,000,000 executions, no failure.
//
// FuzzPNGFast compares the fast path with image/png on each input twice:
// as a file whose chunk CRCs are then made right (so mutations reach the
// decoder) and as the recipe of a well-formed file (size, depth, colour
// type, palette, arbitrary scanlines and filter bytes, a valid zlib
// stream in two IDAT chunks). Seeds: every PNG under testdata and
// lambda/models/testdata, the encoder's output for each image type
// (1-, 2-, 4- and 8-bit, paletted with transparency, 16-bit), a
// multi-IDAT file and a gray+alpha file with every filter type. Run on
// 2026-11-30 (-parallel 1): 1,000,000 executions, no failure; and again
// after the fast path got its own inflater and the resize was rewritten:
// 1,000,000, no failure, as FuzzPreprocess (1,000,000).
//
// FuzzInflate compares the inflater with compress/flate on arbitrary
// streams and on compress/flate's output at every level; FuzzResize
// compares the resize with its first port on arbitrary pixels, sizes and
// geometries. Run on 2026-11-30 (-parallel 1): 1,000,000 executions each,
// no failure.
//
// Beyond the committed Pillow fixtures, 300 random geometries (1-399 px
// sources in RGB, L, RGBA and P modes; direct and shorter-side + crop)
// were compared once with Pillow 9.4 / torchvision 0.14: all bit-exact.
package imageproc
