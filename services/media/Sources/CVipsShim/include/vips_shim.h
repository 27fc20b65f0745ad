// The libvips calls the media service makes, as plain C functions Swift can call. This header
// names no libvips or GLib type, so Swift never imports them.
#ifndef PARLEY_VIPS_SHIM_H
#define PARLEY_VIPS_SHIM_H

#include <stddef.h>

/// Starts libvips once per process: no operation cache (every image is new), and loaders that
/// are not fuzzed for untrusted input blocked. 0 on success.
int parley_vips_start(const char *program_name);

/// Reads only the image's header: its width and height as displayed (after the EXIF orientation
/// is applied). 0 on success; on failure -1 with a message in `error`.
int parley_vips_probe(const char *path, int *width, int *height, char *error, size_t error_size);

/// A thumbnail of the image at `path` whose longest side is at most `size` pixels: shrunk while
/// loading, turned upright, stripped of metadata, encoded as WebP into `*out` (free it with
/// parley_vips_free). 0 on success; on failure -1 with a message in `error`.
int parley_vips_thumbnail(const char *path, int size, int quality, void **out, size_t *out_length, int *out_width,
                          int *out_height, char *error, size_t error_size);

void parley_vips_free(void *buffer);

#endif
