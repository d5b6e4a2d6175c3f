/* SPDX-License-Identifier: BSD-2-Clause */
/* Fixed-width types and small helpers shared by the hypervisor and its host unit tests. */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int64_t i64;
typedef int64_t s64;

#define BIT(n)          (1ULL << (n))
#define ARRAY_SIZE(a)   (sizeof(a) / sizeof((a)[0]))
/* The structure that holds `ptr` as its `member`. */
#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))
#define ALIGN_UP(x, a)  (((x) + (a) - 1) & ~((u64)(a) - 1))
#define ALIGN_DOWN(x, a) ((x) & ~((u64)(a) - 1))
/* Each argument is evaluated once (a function call in MIN() must not run twice). */
#define MIN(a, b)       ({ __typeof__((a) + (b)) a_ = (a), b_ = (b); a_ < b_ ? a_ : b_; })
#define MAX(a, b)       ({ __typeof__((a) + (b)) a_ = (a), b_ = (b); a_ > b_ ? a_ : b_; })

#define KiB 1024ULL
#define MiB (1024ULL * KiB)
#define GiB (1024ULL * MiB)
#define PAGE_SIZE 4096ULL

#define NORETURN __attribute__((noreturn))
#define PRINTF(f, a) __attribute__((format(printf, f, a)))
#define PACKED __attribute__((packed))

/* A half-open physical range [start, end). */
struct range {
    u64 start, end;
};

static inline bool ranges_overlap(struct range a, struct range b)
{
    return a.start < b.end && b.start < a.end;
}

#endif
