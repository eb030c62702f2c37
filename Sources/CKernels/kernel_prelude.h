// kernel_prelude.h — what every kernel translation unit includes before it switches the
// target instruction set: the system headers (they must not be compiled for that target)
// and the tables it fills.
#ifndef VANISH_KERNEL_PRELUDE_H
#define VANISH_KERNEL_PRELUDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_table.h"

#endif
