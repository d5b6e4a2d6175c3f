/* SPDX-License-Identifier: BSD-2-Clause */
/* Multiboot 1 (0.6.96) and Multiboot2 (2.0) constants and wire layouts, as the specifications define them. */
#ifndef KERNEL_MULTIBOOT_ABI_H
#define KERNEL_MULTIBOOT_ABI_H

#define MB1_HEADER_MAGIC      0x1BADB002
#define MB1_BOOTLOADER_MAGIC  0x2BADB002
/* Header flags: page-align modules (0), give memory info (1), a.out kludge addresses are valid (16). */
#define MB1_FLAGS             ((1 << 0) | (1 << 1) | (1 << 16))

#define MB2_HEADER_MAGIC      0xE85250D6
#define MB2_BOOTLOADER_MAGIC  0x36D76289
#define MB2_ARCH_I386         0
#define MB2_HEADER_TAG_END          0
#define MB2_HEADER_TAG_INFO_REQUEST 1

/* Multiboot2 information tag types (spec 3.6). */
#define MB2_TAG_END           0
#define MB2_TAG_CMDLINE       1
#define MB2_TAG_LOADER_NAME   2
#define MB2_TAG_MODULE        3
#define MB2_TAG_BASIC_MEMINFO 4
#define MB2_TAG_BOOTDEV       5
#define MB2_TAG_MMAP          6
#define MB2_TAG_ACPI_OLD      14
#define MB2_TAG_ACPI_NEW      15
#define MB2_TAG_EFI_MMAP      17

#ifndef __ASSEMBLY__
#include "kernel/types.h"

/* Multiboot1 info block flags (spec 3.3). */
#define MB1_INFO_MEMORY   BIT(0)
#define MB1_INFO_CMDLINE  BIT(2)
#define MB1_INFO_MODS     BIT(3)
#define MB1_INFO_MMAP     BIT(6)
#define MB1_INFO_LOADER   BIT(9)

struct mb1_info {
    u32 flags;
    u32 mem_lower, mem_upper;
    u32 boot_device;
    u32 cmdline;
    u32 mods_count, mods_addr;
    u32 syms[4];
    u32 mmap_length, mmap_addr;
    u32 drives_length, drives_addr;
    u32 config_table;
    u32 boot_loader_name;
} PACKED;

struct mb1_module {
    u32 mod_start, mod_end, cmdline, reserved;
} PACKED;

/* Each multiboot1 mmap entry is preceded by its size, which does not count itself. */
struct mb1_mmap_entry {
    u32 size;
    u64 base, length;
    u32 type;
} PACKED;

struct mb2_info_header {
    u32 total_size, reserved;
};

struct mb2_tag {
    u32 type, size;
};

struct mb2_tag_module {
    u32 type, size;
    u32 mod_start, mod_end;
    char cmdline[];
};

struct mb2_tag_mmap {
    u32 type, size;
    u32 entry_size, entry_version;
};

struct mb2_mmap_entry {
    u64 base, length;
    u32 type, reserved;
};

/* Tag type 17: the UEFI memory map as GetMemoryMap returned it when the loader exited boot services. */
struct mb2_tag_efi_mmap {
    u32 type, size;
    u32 descr_size, descr_vers;     /* descriptors are descr_size apart, which may exceed the struct below */
};

/* EFI_MEMORY_DESCRIPTOR, version 1 (UEFI spec 2.x, EFI_BOOT_SERVICES.GetMemoryMap()). */
#define EFI_MEMORY_DESCRIPTOR_VERSION 1
#define EFI_PAGE_SIZE                 4096
struct efi_memory_descriptor {
    u32 type, pad;
    u64 physical_start, virtual_start;
    u64 number_of_pages;
    u64 attribute;
};

/* EFI_MEMORY_TYPE values (UEFI spec, "Memory Type Usage before/after ExitBootServices()"). */
enum efi_memory_type {
    EFI_RESERVED_MEMORY = 0,
    EFI_LOADER_CODE = 1,
    EFI_LOADER_DATA = 2,
    EFI_BOOT_SERVICES_CODE = 3,
    EFI_BOOT_SERVICES_DATA = 4,
    EFI_RUNTIME_SERVICES_CODE = 5,
    EFI_RUNTIME_SERVICES_DATA = 6,
    EFI_CONVENTIONAL_MEMORY = 7,
    EFI_UNUSABLE_MEMORY = 8,
    EFI_ACPI_RECLAIM_MEMORY = 9,
    EFI_ACPI_MEMORY_NVS = 10,
    EFI_MEMORY_MAPPED_IO = 11,
    EFI_MEMORY_MAPPED_IO_PORT_SPACE = 12,
    EFI_PAL_CODE = 13,
    EFI_PERSISTENT_MEMORY = 14,
};
#endif

#endif
