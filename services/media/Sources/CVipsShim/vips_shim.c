#include "vips_shim.h"

#include <stdint.h>
#include <string.h>
#include <vips/vips.h>

static void take_error(char *error, size_t error_size) {
    if (error && error_size > 0) {
        strncpy(error, vips_error_buffer(), error_size - 1);
        error[error_size - 1] = '\0';
    }
    vips_error_clear();
}

/// Removes the metadata chunks (EXIF, XMP, ICC profile) of a WebP file in place and clears their
/// VP8X flags: libvips 8.14's webpsave writes an EXIF block of its own even when told to strip.
/// Returns the new length.
static size_t drop_webp_metadata(unsigned char *webp, size_t length) {
    if (length < 12 || memcmp(webp, "RIFF", 4) || memcmp(webp + 8, "WEBP", 4)) return length;
    size_t read = 12, write = 12;
    while (read + 8 <= length) {
        uint32_t size = webp[read + 4] | webp[read + 5] << 8 | webp[read + 6] << 16 | (uint32_t)webp[read + 7] << 24;
        size_t chunk = 8 + (size_t)size + (size & 1);
        if (read + chunk > length) break;
        int metadata = !memcmp(webp + read, "EXIF", 4) || !memcmp(webp + read, "XMP ", 4) || !memcmp(webp + read, "ICCP", 4);
        if (!metadata) {
            memmove(webp + write, webp + read, chunk);
            // VP8X's flags: bit 5 ICC profile, bit 3 EXIF, bit 2 XMP.
            if (!memcmp(webp + write, "VP8X", 4) && size >= 1) webp[write + 8] &= (unsigned char)~0x2C;
            write += chunk;
        }
        read += chunk;
    }
    uint32_t riff = (uint32_t)(write - 8);
    webp[4] = riff & 0xFF;
    webp[5] = (riff >> 8) & 0xFF;
    webp[6] = (riff >> 16) & 0xFF;
    webp[7] = (riff >> 24) & 0xFF;
    return write;
}

int parley_vips_start(const char *program_name) {
    if (VIPS_INIT(program_name)) return -1;
    vips_cache_set_max(0);
    vips_block_untrusted_set(TRUE);
    return 0;
}

int parley_vips_probe(const char *path, int *width, int *height, char *error, size_t error_size) {
    VipsImage *image = vips_image_new_from_file(path, "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (!image) {
        take_error(error, error_size);
        return -1;
    }
    int swap = vips_image_get_orientation_swap(image);
    *width = swap ? vips_image_get_height(image) : vips_image_get_width(image);
    *height = swap ? vips_image_get_width(image) : vips_image_get_height(image);
    g_object_unref(image);
    return 0;
}

int parley_vips_thumbnail(const char *path, int size, int quality, void **out, size_t *out_length, int *out_width,
                          int *out_height, char *error, size_t error_size) {
    VipsImage *thumbnail = NULL;
    // `size` bounds both sides; VIPS_SIZE_DOWN never enlarges a small image.
    if (vips_thumbnail(path, &thumbnail, size, "height", size, "size", VIPS_SIZE_DOWN, NULL)) {
        take_error(error, error_size);
        return -1;
    }
    *out_width = vips_image_get_width(thumbnail);
    *out_height = vips_image_get_height(thumbnail);
    int failed = vips_webpsave_buffer(thumbnail, out, out_length, "Q", quality, "strip", TRUE, NULL);
    g_object_unref(thumbnail);
    if (failed) {
        take_error(error, error_size);
        return -1;
    }
    *out_length = drop_webp_metadata(*out, *out_length);
    return 0;
}

void parley_vips_free(void *buffer) {
    g_free(buffer);
}
