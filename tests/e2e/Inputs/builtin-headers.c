// Needs the resource directory of the Clang threadwise links.
#include <omp.h>
#include <stdatomic.h>
#include <stddef.h>
size_t threads(void) { return (size_t)omp_get_max_threads(); }
