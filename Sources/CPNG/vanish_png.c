// libpng behind setjmp: see include/vanish_png.h.
//
// Each public function keeps its state in its own frame and hands a pointer to a `*_guarded`
// helper that calls setjmp. The helper's own locals are all set before setjmp and never
// changed afterwards, and everything the callbacks change lives in the caller's state, so
// nothing is indeterminate after a longjmp (C11 7.13.2.1).
#include "vanish_png.h"

#include <png.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// MARK: - Messages

static void set_message(char *message, const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    vsnprintf(message, VANISH_PNG_MESSAGE_CAPACITY, format, arguments);
    va_end(arguments);
}

typedef struct handler_state {
    char *message;       // the caller's VANISH_PNG_MESSAGE_CAPACITY buffer
    int warned;          // a warning was recorded in `message`
    int out_of_memory;   // the error was an allocation failure of ours
} handler_state;

static void on_error(png_structp png, png_const_charp text) {
    handler_state *state = (handler_state *)png_get_error_ptr(png);
    set_message(state->message, "%s", text);
    png_longjmp(png, 1);
}

static void on_warning_record(png_structp png, png_const_charp text) {
    handler_state *state = (handler_state *)png_get_error_ptr(png);
    if (!state->warned) {
        state->warned = 1;
        set_message(state->message, "%s", text);
    }
}

static void on_warning_ignore(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

static void fail_out_of_memory(png_structp png) {
    handler_state *state = (handler_state *)png_get_error_ptr(png);
    state->out_of_memory = 1;
    png_error(png, "out of memory");
}

// MARK: - Encoding

typedef struct encode_state {
    handler_state handler;
    vanish_png_buffer *output;
    png_bytep row;        // one converted row, allocated before setjmp
    png_textp texts;      // libpng's view of the caller's entries, allocated before setjmp
    size_t text_count;
} encode_state;

void vanish_png_buffer_free(vanish_png_buffer *buffer) {
    if (buffer == NULL) return;
    free(buffer->bytes);
    buffer->bytes = NULL;
    buffer->count = 0;
    buffer->capacity = 0;
}

static void write_bytes(png_structp png, png_bytep data, size_t length) {
    encode_state *state = (encode_state *)png_get_io_ptr(png);
    vanish_png_buffer *buffer = state->output;
    if (length > SIZE_MAX - buffer->count) fail_out_of_memory(png);
    size_t needed = buffer->count + length;
    if (needed > buffer->capacity) {
        size_t capacity = buffer->capacity > 0 ? buffer->capacity : 64 * 1024;
        while (capacity < needed) {
            capacity = capacity > SIZE_MAX / 2 ? needed : capacity * 2;
        }
        uint8_t *grown = (uint8_t *)realloc(buffer->bytes, capacity);
        if (grown == NULL) fail_out_of_memory(png);
        buffer->bytes = grown;
        buffer->capacity = capacity;
    }
    memcpy(buffer->bytes + buffer->count, data, length);
    buffer->count = needed;
}

static void flush_bytes(png_structp png) {
    (void)png;
}

static uint32_t load_pixel(const uint8_t *address) {
    uint32_t pixel;
    memcpy(&pixel, address, sizeof pixel);  // native-endian, any alignment
    return pixel;
}

static int is_opaque(const uint8_t *pixels, uint32_t width, uint32_t height, size_t stride) {
    for (uint32_t y = 0; y < height; y++) {
        const uint8_t *row = pixels + (size_t)y * stride;
        for (uint32_t x = 0; x < width; x++) {
            if ((load_pixel(row + 4 * (size_t)x) >> 24) != 0xFF) return 0;
        }
    }
    return 1;
}

/// The straight-alpha value of premultiplied component `c` at alpha `a` (1…254), rounded.
static uint8_t unpremultiply(uint32_t c, uint32_t a) {
    uint32_t value = (c * 255 + a / 2) / a;
    return (uint8_t)(value > 255 ? 255 : value);
}

/// One row of ARGB32 (premultiplied, native-endian) as RGB8 or RGBA8 (straight alpha).
static void convert_row(png_bytep out, const uint8_t *in, uint32_t width, int channels) {
    for (uint32_t x = 0; x < width; x++, out += channels) {
        uint32_t pixel = load_pixel(in + 4 * (size_t)x);
        uint32_t a = pixel >> 24, r = (pixel >> 16) & 0xFF, g = (pixel >> 8) & 0xFF, b = pixel & 0xFF;
        if (a == 0) {
            r = g = b = 0;
        } else if (a < 0xFF) {
            r = unpremultiply(r, a);
            g = unpremultiply(g, a);
            b = unpremultiply(b, a);
        }
        out[0] = (png_byte)r;
        out[1] = (png_byte)g;
        out[2] = (png_byte)b;
        if (channels == 4) out[3] = (png_byte)a;
    }
}

/// Checks a keyword against the PNG rules: 1–79 printable Latin-1 bytes, no leading,
/// trailing or consecutive spaces.
static int check_keyword(const char *key, char *message) {
    size_t length = strlen(key);
    if (length == 0 || length > 79) {
        set_message(message, "text keyword '%.79s' has %zu bytes; PNG allows 1 to 79", key, length);
        return 0;
    }
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)key[i];
        if (!((c >= 32 && c <= 126) || c >= 161)) {
            set_message(message, "text keyword '%s' contains byte 0x%02X; PNG allows printable Latin-1 only", key, c);
            return 0;
        }
        if (c == ' ' && (i == 0 || i == length - 1 || key[i + 1] == ' ')) {
            set_message(message, "text keyword '%s' has a leading, trailing or double space", key);
            return 0;
        }
    }
    return 1;
}

static vanish_png_status encode_guarded(
    encode_state *state, const uint8_t *pixels, uint32_t width, uint32_t height, size_t stride,
    uint32_t pixels_per_metre, int opaque) {
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &state->handler, on_error, on_warning_record);
    if (png == NULL) {
        set_message(state->handler.message, "cannot create the libpng writer (out of memory)");
        return VANISH_PNG_OUT_OF_MEMORY;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        set_message(state->handler.message, "cannot create the libpng info (out of memory)");
        return VANISH_PNG_OUT_OF_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return state->handler.out_of_memory ? VANISH_PNG_OUT_OF_MEMORY : VANISH_PNG_LIBPNG_ERROR;
    }
    int channels = opaque ? 3 : 4;
    png_set_write_fn(png, state, write_bytes, flush_bytes);
    png_set_IHDR(png, info, width, height, 8, opaque ? PNG_COLOR_TYPE_RGB : PNG_COLOR_TYPE_RGB_ALPHA,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (pixels_per_metre > 0) {
        png_set_pHYs(png, info, pixels_per_metre, pixels_per_metre, PNG_RESOLUTION_METER);
    }
    if (state->text_count > 0) {
        png_set_text(png, info, state->texts, (int)state->text_count);
    }
    png_write_info(png, info);
    for (uint32_t y = 0; y < height; y++) {
        convert_row(state->row, pixels + (size_t)y * stride, width, channels);
        png_write_row(png, state->row);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    // libpng skips what it warns about (e.g. a text chunk it cannot write): never silently.
    return state->handler.warned ? VANISH_PNG_LIBPNG_ERROR : VANISH_PNG_OK;
}

vanish_png_status vanish_png_encode_argb32(
    vanish_png_buffer *output,
    const void *pixels, uint32_t width, uint32_t height, size_t stride,
    const vanish_png_text_entry *texts, size_t text_count,
    uint32_t pixels_per_metre,
    char message[VANISH_PNG_MESSAGE_CAPACITY]) {
    if (message == NULL) return VANISH_PNG_INVALID_ARGUMENT;
    message[0] = '\0';
    if (output == NULL || pixels == NULL || (texts == NULL && text_count > 0)) {
        set_message(message, "vanish_png_encode_argb32: NULL output, pixels or texts");
        return VANISH_PNG_INVALID_ARGUMENT;
    }
    if (width == 0 || height == 0) {
        set_message(message, "image is %u x %u pixels; both sides must be at least 1", width, height);
        return VANISH_PNG_INVALID_ARGUMENT;
    }
    if (stride / 4 < width) {
        set_message(message, "row stride %zu bytes is less than 4 x width = %llu bytes", stride,
                    4ULL * width);
        return VANISH_PNG_INVALID_ARGUMENT;
    }
    if (text_count > (size_t)INT32_MAX) {
        set_message(message, "%zu text chunks is too many", text_count);
        return VANISH_PNG_INVALID_ARGUMENT;
    }
    for (size_t i = 0; i < text_count; i++) {
        if (texts[i].key == NULL || texts[i].text == NULL) {
            set_message(message, "text entry %zu has a NULL key or text", i);
            return VANISH_PNG_INVALID_ARGUMENT;
        }
        if (!check_keyword(texts[i].key, message)) return VANISH_PNG_INVALID_ARGUMENT;
    }

    int opaque = is_opaque((const uint8_t *)pixels, width, height, stride);
    encode_state state;
    memset(&state, 0, sizeof state);
    state.handler.message = message;
    state.output = output;
    state.text_count = text_count;
    state.row = (png_bytep)malloc((size_t)width * (opaque ? 3 : 4));
    state.texts = text_count > 0 ? (png_textp)calloc(text_count, sizeof(png_text)) : NULL;
    if (state.row == NULL || (text_count > 0 && state.texts == NULL)) {
        free(state.row);
        free(state.texts);
        set_message(message, "out of memory for a row of %u pixels", width);
        return VANISH_PNG_OUT_OF_MEMORY;
    }
    static char empty[] = "";
    for (size_t i = 0; i < text_count; i++) {
        png_textp text = &state.texts[i];
        text->key = (png_charp)texts[i].key;  // libpng copies and never writes through these
        text->text = (png_charp)texts[i].text;
        if (texts[i].encoding == VANISH_PNG_TEXT_UTF8) {
            text->compression = PNG_ITXT_COMPRESSION_NONE;
            text->lang = empty;
            text->lang_key = empty;
        } else {
            text->compression = PNG_TEXT_COMPRESSION_NONE;
            text->text_length = strlen(texts[i].text);
        }
    }

    vanish_png_status status = encode_guarded(&state, (const uint8_t *)pixels, width, height, stride,
                                              pixels_per_metre, opaque);
    free(state.row);
    free(state.texts);
    if (status != VANISH_PNG_OK) vanish_png_buffer_free(output);
    return status;
}

// MARK: - Decoding

typedef struct decode_state {
    handler_state handler;
    const uint8_t *bytes;
    size_t count;
    size_t offset;
    png_bytepp rows;      // row pointers into image->rgba
    char detail[VANISH_PNG_MESSAGE_CAPACITY];
} decode_state;

void vanish_png_image_free(vanish_png_image *image) {
    if (image == NULL) return;
    free(image->rgba);
    if (image->texts != NULL) {
        for (size_t i = 0; i < image->text_count; i++) {
            free(image->texts[i].key);
            free(image->texts[i].text);
        }
        free(image->texts);
    }
    memset(image, 0, sizeof *image);
}

static void read_bytes(png_structp png, png_bytep data, size_t length) {
    decode_state *state = (decode_state *)png_get_io_ptr(png);
    size_t available = state->count - state->offset;
    if (length > available) {
        snprintf(state->detail, sizeof state->detail,
                 "truncated: needs %zu more bytes at offset %zu but the data ends after %zu",
                 length, state->offset, available);
        png_error(png, state->detail);
    }
    memcpy(data, state->bytes + state->offset, length);
    state->offset += length;
}

static char *copy_string(png_structp png, const char *text, size_t length) {
    char *copy = (char *)malloc(length + 1);
    if (copy == NULL) fail_out_of_memory(png);
    memcpy(copy, text, length);
    copy[length] = '\0';
    return copy;
}

static vanish_png_status decode_guarded(decode_state *state, vanish_png_image *image) {
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &state->handler, on_error, on_warning_ignore);
    if (png == NULL) {
        set_message(state->handler.message, "cannot create the libpng reader (out of memory)");
        return VANISH_PNG_OUT_OF_MEMORY;
    }
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        set_message(state->handler.message, "cannot create the libpng info (out of memory)");
        return VANISH_PNG_OUT_OF_MEMORY;
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        return state->handler.out_of_memory ? VANISH_PNG_OUT_OF_MEMORY : VANISH_PNG_LIBPNG_ERROR;
    }
    png_set_read_fn(png, state, read_bytes);
    // A damaged chunk is an error, also an ancillary one (text, pHYs): never dropped quietly.
    png_set_crc_action(png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
    png_read_info(png, info);

    png_uint_32 width = 0, height = 0;
    int bit_depth = 0, color_type = 0;
    png_get_IHDR(png, info, &width, &height, &bit_depth, &color_type, NULL, NULL, NULL);
    if ((uint64_t)width * height > VANISH_PNG_MAX_DECODED_PIXELS) {
        snprintf(state->detail, sizeof state->detail,
                 "image of %u x %u pixels exceeds the decoder's limit of %llu pixels", width, height,
                 (unsigned long long)VANISH_PNG_MAX_DECODED_PIXELS);
        png_error(png, state->detail);
    }
    png_set_expand(png);  // palette → RGB, grey < 8 bits → 8 bits, tRNS → alpha
#ifdef PNG_READ_SCALE_16_TO_8_SUPPORTED
    png_set_scale_16(png);
#else
    png_set_strip_16(png);
#endif
    png_set_gray_to_rgb(png);
    png_set_add_alpha(png, 0xFF, PNG_FILLER_AFTER);  // only where there is no alpha yet
    (void)png_set_interlace_handling(png);
    png_read_update_info(png, info);
    size_t row_bytes = png_get_rowbytes(png, info);
    if (row_bytes != (size_t)width * 4) {
        snprintf(state->detail, sizeof state->detail,
                 "rows are %zu bytes after expansion to RGBA8, expected %zu", row_bytes, (size_t)width * 4);
        png_error(png, state->detail);
    }

    image->width = width;
    image->height = height;
    image->rgba = (uint8_t *)malloc(row_bytes * height);
    state->rows = (png_bytepp)malloc(sizeof(png_bytep) * height);
    if (image->rgba == NULL || state->rows == NULL) fail_out_of_memory(png);
    for (png_uint_32 y = 0; y < height; y++) state->rows[y] = image->rgba + (size_t)y * row_bytes;
    png_read_image(png, state->rows);
    png_read_end(png, info);  // text after the image data joins `info`

    png_textp texts = NULL;
    int text_count = png_get_text(png, info, &texts, NULL);
    if (text_count > 0) {
        image->texts = (vanish_png_decoded_text *)calloc((size_t)text_count, sizeof(vanish_png_decoded_text));
        if (image->texts == NULL) fail_out_of_memory(png);
        for (int i = 0; i < text_count; i++) {
            vanish_png_decoded_text *entry = &image->texts[i];
            image->text_count = (size_t)i + 1;  // so a failure below frees what was copied
            int international = texts[i].compression >= PNG_ITXT_COMPRESSION_NONE;
            const char *text = texts[i].text != NULL ? texts[i].text : "";
            size_t length = strlen(text);
            entry->encoding = international ? VANISH_PNG_TEXT_UTF8 : VANISH_PNG_TEXT_LATIN1;
            entry->key = copy_string(png, texts[i].key, strlen(texts[i].key));
            entry->text = copy_string(png, text, length);
            entry->text_length = length;
        }
    }
    png_uint_32 x_density = 0, y_density = 0;
    int unit = 0;
    if (png_get_pHYs(png, info, &x_density, &y_density, &unit) & PNG_INFO_pHYs) {
        image->has_phys = 1;
        image->phys_x = x_density;
        image->phys_y = y_density;
        image->phys_unit = unit;
    }
    png_destroy_read_struct(&png, &info, NULL);
    return VANISH_PNG_OK;
}

vanish_png_status vanish_png_decode(
    vanish_png_image *image,
    const void *bytes, size_t count,
    char message[VANISH_PNG_MESSAGE_CAPACITY]) {
    if (message == NULL) return VANISH_PNG_INVALID_ARGUMENT;
    message[0] = '\0';
    if (image == NULL || (bytes == NULL && count > 0)) {
        set_message(message, "vanish_png_decode: NULL image or bytes");
        return VANISH_PNG_INVALID_ARGUMENT;
    }
    memset(image, 0, sizeof *image);
    if (count < 8 || png_sig_cmp((png_const_bytep)bytes, 0, 8) != 0) {
        set_message(message, "not a PNG: the first 8 bytes are not the PNG signature");
        return VANISH_PNG_LIBPNG_ERROR;
    }
    decode_state state;
    memset(&state, 0, sizeof state);
    state.handler.message = message;
    state.bytes = (const uint8_t *)bytes;
    state.count = count;
    vanish_png_status status = decode_guarded(&state, image);
    free(state.rows);
    if (status != VANISH_PNG_OK) vanish_png_image_free(image);
    return status;
}
