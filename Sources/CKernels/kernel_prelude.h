// kernel_prelude.h — what every kernel translation unit includes before it switches the
// target instruction set: the system headers (they must not be compiled for that target)
// and the tables it fills, and the rule that makes every instruction set compute the same bits:
// the compiler never fuses a multiply and an add on its own. It would on the AVX targets and
// could not on the baseline, so the results would differ; the kernels fuse explicitly
// (vec_fma in simd.h) where every path must.
#ifndef VANISH_KERNEL_PRELUDE_H
#define VANISH_KERNEL_PRELUDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kernel_table.h"

#pragma STDC FP_CONTRACT OFF

#endif
