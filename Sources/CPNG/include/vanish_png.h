// A longjmp-free C interface to libpng for Swift.
//
// libpng reports errors by longjmp-ing out of the failing call, which Swift frames cannot
// survive. Every function here runs libpng under its own setjmp and returns a status code
// plus a one-line message instead; nothing ever longjmps into the caller. libpng's own
// header is deliberately not exported, so Swift code cannot call libpng directly.
#ifndef VANISH_PNG_H
#define VANISH_PNG_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Size of the message buffer every function fills on failure (NUL-terminated, one line).
#define VANISH_PNG_MESSAGE_CAPACITY 256

/// Largest image the decoder accepts, in pixels (1 GiB of RGBA8); larger headers are refused
/// before any pixel memory is allocated.
#define VANISH_PNG_MAX_DECODED_PIXELS ((uint64_t)1 << 28)

typedef enum vanish_png_status {
    VANISH_PNG_OK = 0,
    VANISH_PNG_INVALID_ARGUMENT = 1,  // caller error: sizes, keyword, NULL pointers
    VANISH_PNG_OUT_OF_MEMORY = 2,
    VANISH_PNG_LIBPNG_ERROR = 3,      // libpng refused: not a PNG, truncated, bad CRC, …
} vanish_png_status;

/// How a text value is stored.
typedef enum vanish_png_text_encoding {
    VANISH_PNG_TEXT_LATIN1 = 0,  // tEXt (or zTXt when read): ISO 8859-1 bytes
    VANISH_PNG_TEXT_UTF8 = 1,    // iTXt: UTF-8 bytes, empty language tag and translated keyword
} vanish_png_text_encoding;

/// One text chunk to write. `key` is 1…79 bytes of printable Latin-1 (32…126, 161…255)
/// with no leading, trailing or double spaces; `text` is NUL-terminated (so it cannot
/// contain NUL) and is written uncompressed.
typedef struct vanish_png_text_entry {
    const char *key;
    const char *text;
    vanish_png_text_encoding encoding;
} vanish_png_text_entry;

/// A growable byte buffer owned by the library; release it with `vanish_png_buffer_free`.
typedef struct vanish_png_buffer {
    uint8_t *bytes;
    size_t count;
    size_t capacity;
} vanish_png_buffer;

/// Encodes a Cairo CAIRO_FORMAT_ARGB32 image as PNG into `output` (which must start zeroed).
///
/// - pixels: `height` rows `stride` bytes apart; each pixel is a native-endian uint32 with
///   alpha in bits 24–31 and red, green, blue premultiplied by alpha below it. Colours are
///   un-premultiplied with rounding (c·255 + a/2) / a, clamped to 255; alpha 0 → 0,0,0,0.
/// - width, height: 1 … 1,000,000 (libpng's limit); stride ≥ 4·width.
/// - texts: written before the image data, in order, as tEXt (LATIN1) or iTXt (UTF8).
/// - pixels_per_metre: stored in pHYs for both axes, unit metre; 0 omits pHYs.
///
/// The image is written as 8-bit RGB when every pixel is opaque, 8-bit RGBA otherwise;
/// default zlib compression and filtering. A libpng warning (e.g. a keyword it would skip)
/// is treated as an error, so no chunk is ever dropped silently.
/// Returns VANISH_PNG_OK, or a status with `message` set and `output` freed.
vanish_png_status vanish_png_encode_argb32(
    vanish_png_buffer *output,
    const void *pixels, uint32_t width, uint32_t height, size_t stride,
    const vanish_png_text_entry *texts, size_t text_count,
    uint32_t pixels_per_metre,
    char message[VANISH_PNG_MESSAGE_CAPACITY]);

/// Releases the bytes of `buffer` and zeroes it. Safe on a zeroed buffer.
void vanish_png_buffer_free(vanish_png_buffer *buffer);

/// One text chunk read back. `key` and `text` are NUL-terminated; `text_length` excludes
/// the NUL. LATIN1 for tEXt and zTXt, UTF8 for iTXt (bytes as stored, not validated).
typedef struct vanish_png_decoded_text {
    char *key;
    char *text;
    size_t text_length;
    vanish_png_text_encoding encoding;
} vanish_png_decoded_text;

/// A decoded image; release it with `vanish_png_image_free`.
typedef struct vanish_png_image {
    uint32_t width;
    uint32_t height;
    uint8_t *rgba;                   // width·height·4 bytes, straight alpha, row-major
    vanish_png_decoded_text *texts;  // every tEXt, zTXt and iTXt chunk, in file order
    size_t text_count;
    int has_phys;                    // 1 when a pHYs chunk was present
    uint32_t phys_x;
    uint32_t phys_y;
    int phys_unit;                   // 0 unknown (aspect ratio only), 1 metre
} vanish_png_image;

/// Decodes PNG bytes into `image` (which must start zeroed): palette, grey, low bit depths,
/// tRNS and 16-bit samples are all expanded or reduced to RGBA8; interlaced images are
/// de-interlaced. CRC errors in any chunk, truncation and trailing garbage inside chunks are
/// errors. Returns VANISH_PNG_OK, or a status with `message` set and `image` freed.
vanish_png_status vanish_png_decode(
    vanish_png_image *image,
    const void *bytes, size_t count,
    char message[VANISH_PNG_MESSAGE_CAPACITY]);

/// Releases everything `image` holds and zeroes it. Safe on a zeroed image.
void vanish_png_image_free(vanish_png_image *image);

#ifdef __cplusplus
}
#endif

#endif
