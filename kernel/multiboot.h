/* SPDX-License-Identifier: BSD-2-Clause */
/* Boot information from a multiboot1 or multiboot2 loader, parsed once into plain structs. */
#ifndef KERNEL_MULTIBOOT_H
#define KERNEL_MULTIBOOT_H

#include "kernel/types.h"

#define BOOT_MAX_MMAP       128
#define BOOT_MAX_MODULES    16
#define BOOT_CMDLINE_MAX    512
#define BOOT_MODLINE_MAX    256
#define BOOT_LOADER_MAX     64

enum boot_protocol { BOOT_MULTIBOOT1 = 1, BOOT_MULTIBOOT2 = 2 };

/* Memory types as in the BIOS E820 map, which both multiboot versions reuse. */
enum mem_type { MEM_USABLE = 1, MEM_RESERVED = 2, MEM_ACPI = 3, MEM_NVS = 4, MEM_BAD = 5 };

/* Where the memory map came from: multiboot1, the multiboot2 mmap tag (6) or its EFI memory map tag (17). */
enum mmap_source { MMAP_MB1 = 1, MMAP_MB2 = 2, MMAP_EFI = 3 };

struct mem_entry {
    u64 base, length;
    u32 type;
};

struct boot_module {
    struct range range;
    char cmdline[BOOT_MODLINE_MAX];
};

struct boot_info {
    enum boot_protocol protocol;
    char cmdline[BOOT_CMDLINE_MAX];
    char loader[BOOT_LOADER_MAX];
    enum mmap_source mmap_source;
    u32 mmap_count;
    struct mem_entry mmap[BOOT_MAX_MMAP];
    u32 module_count;
    struct boot_module modules[BOOT_MAX_MODULES];
    /* ACPI RSDP copies from the multiboot2 tags: v1 (20 bytes) and v2+ (36 bytes). */
    bool has_rsdp_v1, has_rsdp_v2;
    u8 rsdp_v1[20], rsdp_v2[36];
};

/*
 * Returns a pointer through which [addr, addr + len) of physical memory can be read, or NULL when that
 * range is not accessible. The kernel passes its identity map; unit tests pass a buffer.
 */
typedef const void *(*phys_map_fn)(void *ctx, u64 addr, u64 len);

/*
 * Parses the info block handed over with the given magic. `hv` is the hypervisor's own memory, which no
 * module may overlap. Returns true on success; on failure writes a one-line reason to err.
 */
bool boot_info_parse(u32 magic, u64 info_addr, phys_map_fn map, void *ctx, struct range hv,
                     struct boot_info *out, char *err, size_t errlen);

const char *mem_type_name(u32 type);

#endif
