// libvips for the C shim only (CVipsShim): its API is C-variadic, which Swift cannot call.
#include <vips/vips.h>
