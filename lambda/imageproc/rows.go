package imageproc

import (
	"image"
	"image/color"
)

// rowSource writes 8-bit R, G, B bytes for pixels [x0, x0+len(dst)/3) of
// row y of a decoded image (coordinates relative to its bounds). One
// implementation per concrete image type keeps interface calls per row, not
// per pixel; generic covers types the PNG and JPEG decoders do not produce.
type rowSource interface {
	row(y, x0 int, dst []uint8)
}

// newRowSource picks the fast path for img's concrete type.
func newRowSource(img image.Image) rowSource {
	if img.Bounds().Min != (image.Point{}) {
		return generic{img}
	}
	switch m := img.(type) {
	case *image.NRGBA:
		return nrgba{m}
	case *image.RGBA:
		return rgba{m}
	case *image.Gray:
		return gray{m}
	case *image.YCbCr:
		return newYCbCr(m)
	case *image.Paletted:
		return newPaletted(m)
	case *image.NRGBA64:
		return nrgba64{m}
	case *image.RGBA64:
		return rgba64{m}
	case *image.Gray16:
		return gray16{m}
	case *image.CMYK:
		return cmyk{m}
	}
	return generic{img}
}

type nrgba struct{ m *image.NRGBA }

func (s nrgba) row(y, x0 int, dst []uint8) {
	src := s.m.Pix[y*s.m.Stride+4*x0:]
	for i, j := 0, 0; i+2 < len(dst); i, j = i+3, j+4 {
		p := src[j : j+3 : j+3]
		dst[i], dst[i+1], dst[i+2] = p[0], p[1], p[2]
	}
}

// rgba un-premultiplies translucent pixels; decoders only produce opaque
// *image.RGBA, for which this is a copy of R, G and B.
type rgba struct{ m *image.RGBA }

func (s rgba) row(y, x0 int, dst []uint8) {
	src := s.m.Pix[y*s.m.Stride+4*x0:]
	for i, j := 0, 0; i+2 < len(dst); i, j = i+3, j+4 {
		p := src[j : j+4 : j+4]
		if p[3] == 0xff {
			dst[i], dst[i+1], dst[i+2] = p[0], p[1], p[2]
			continue
		}
		c := color.NRGBAModel.Convert(color.RGBA{p[0], p[1], p[2], p[3]}).(color.NRGBA)
		dst[i], dst[i+1], dst[i+2] = c.R, c.G, c.B
	}
}

type gray struct{ m *image.Gray }

func (s gray) row(y, x0 int, dst []uint8) {
	src := s.m.Pix[y*s.m.Stride+x0:]
	for i, j := 0, 0; i+2 < len(dst); i, j = i+3, j+1 {
		v := src[j]
		dst[i], dst[i+1], dst[i+2] = v, v, v
	}
}

// 16-bit images keep the high byte of each sample, as PIL does.
type nrgba64 struct{ m *image.NRGBA64 }

func (s nrgba64) row(y, x0 int, dst []uint8) {
	src := s.m.Pix[y*s.m.Stride+8*x0:]
	for i, j := 0, 0; i+2 < len(dst); i, j = i+3, j+8 {
		p := src[j : j+5 : j+5]
		dst[i], dst[i+1], dst[i+2] = p[0], p[2], p[4]
	}
}

type rgba64 struct{ m *image.RGBA64 }

func (s rgba64) row(y, x0 int, dst []uint8) {
	src := s.m.Pix[y*s.m.Stride+8*x0:]
	for i, j := 0, 0; i+2 < len(dst); i, j = i+3, j+8 {
		p := src[j : j+8 : j+8]
		if p[6] == 0xff && p[7] == 0xff {
			dst[i], dst[i+1], dst[i+2] = p[0], p[2], p[4]
			continue
		}
		c := color.NRGBAModel.Convert(color.RGBA64{
			uint16(p[0])<<8 | uint16(p[1]), uint16(p[2])<<8 | uint16(p[3]),
			uint16(p[4])<<8 | uint16(p[5]), uint16(p[6])<<8 | uint16(p[7]),
		}).(color.NRGBA)
		dst[i], dst[i+1], dst[i+2] = c.R, c.G, c.B
	}
}

type gray16 struct{ m *image.Gray16 }

func (s gray16) row(y, x0 int, dst []uint8) {
	src := s.m.Pix[y*s.m.Stride+2*x0:]
	for i, j := 0, 0; i+2 < len(dst); i, j = i+3, j+2 {
		v := src[j]
		dst[i], dst[i+1], dst[i+2] = v, v, v
	}
}

type cmyk struct{ m *image.CMYK }

func (s cmyk) row(y, x0 int, dst []uint8) {
	src := s.m.Pix[y*s.m.Stride+4*x0:]
	for i, j := 0, 0; i+2 < len(dst); i, j = i+3, j+4 {
		p := src[j : j+4 : j+4]
		dst[i], dst[i+1], dst[i+2] = color.CMYKToRGB(p[0], p[1], p[2], p[3])
	}
}

// ycbcr converts with color.YCbCrToRGB, the conversion image/jpeg's
// YCbCr.At uses, so results equal the standard library's.
type ycbcr struct {
	m      *image.YCbCr
	hshift uint // chroma columns: x >> hshift
	vshift uint // chroma rows: y >> vshift
}

func newYCbCr(m *image.YCbCr) rowSource {
	var h, v uint
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio444:
	case image.YCbCrSubsampleRatio422:
		h = 1
	case image.YCbCrSubsampleRatio420:
		h, v = 1, 1
	case image.YCbCrSubsampleRatio440:
		v = 1
	case image.YCbCrSubsampleRatio411:
		h = 2
	case image.YCbCrSubsampleRatio410:
		h, v = 2, 1
	default:
		return generic{m}
	}
	return ycbcr{m, h, v}
}

func (s ycbcr) row(y, x0 int, dst []uint8) {
	m := s.m
	yrow := m.Y[y*m.YStride:]
	crow := (y >> s.vshift) * m.CStride
	cb, cr := m.Cb[crow:], m.Cr[crow:]
	x := x0
	for i := 0; i+2 < len(dst); i += 3 {
		c := x >> s.hshift
		dst[i], dst[i+1], dst[i+2] = color.YCbCrToRGB(yrow[x], cb[c], cr[c])
		x++
	}
}

// paletted expands indexes through a table of the palette's
// un-premultiplied colours; an index past the palette is opaque black, as
// image/png pads short palettes.
type paletted struct {
	m   *image.Paletted
	lut *[256][3]uint8
}

func newPaletted(m *image.Paletted) rowSource {
	lut := new([256][3]uint8)
	for i, c := range m.Palette {
		if i >= len(lut) {
			break
		}
		lut[i] = rgbOf(c)
	}
	return paletted{m, lut}
}

func (s paletted) row(y, x0 int, dst []uint8) {
	src := s.m.Pix[y*s.m.Stride+x0:]
	for i, j := 0, 0; i+2 < len(dst); i, j = i+3, j+1 {
		p := &s.lut[src[j]]
		dst[i], dst[i+1], dst[i+2] = p[0], p[1], p[2]
	}
}

// generic is the slow path through image.Image.At for types no decoder
// here produces.
type generic struct{ m image.Image }

func (s generic) row(y, x0 int, dst []uint8) {
	b := s.m.Bounds()
	x := b.Min.X + x0
	for i := 0; i+2 < len(dst); i += 3 {
		c := rgbOf(s.m.At(x, b.Min.Y+y))
		dst[i], dst[i+1], dst[i+2] = c[0], c[1], c[2]
		x++
	}
}

// rgbOf returns the un-premultiplied 8-bit colour channels of c: a colour
// stored non-premultiplied keeps its channels even at alpha 0.
func rgbOf(c color.Color) [3]uint8 {
	switch c := c.(type) {
	case nil:
		return [3]uint8{}
	case color.NRGBA:
		return [3]uint8{c.R, c.G, c.B}
	case color.NRGBA64:
		return [3]uint8{uint8(c.R >> 8), uint8(c.G >> 8), uint8(c.B >> 8)}
	}
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	return [3]uint8{n.R, n.G, n.B}
}
