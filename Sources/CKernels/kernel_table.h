// kernel_table.h — the tables of kernels each instruction set's translation units fill
// (float_avx512.c, double_avx2.c, ...); dispatch.c picks the table for the running CPU and
// forwards the public API to it. The table types are in the public header.
#ifndef VANISH_KERNEL_TABLE_H
#define VANISH_KERNEL_TABLE_H

#include "vanish_kernels.h"

#if defined(__x86_64__)
// The instruction sets the x86 tables are compiled for; dispatch.c checks the same features.
#define VANISH_AVX512_TARGET "avx512f,avx512vl,avx512bw,avx512dq,avx2,fma"
#define VANISH_AVX2_TARGET "avx2,fma"

extern const struct vanish_float_kernels vanish_float_kernels_avx512;
extern const struct vanish_double_kernels vanish_double_kernels_avx512;
extern const struct vanish_float_kernels vanish_float_kernels_avx2;
extern const struct vanish_double_kernels vanish_double_kernels_avx2;
#endif
extern const struct vanish_float_kernels vanish_float_kernels_baseline;
extern const struct vanish_double_kernels vanish_double_kernels_baseline;

#endif
