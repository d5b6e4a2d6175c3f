/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the guest page walk: no paging, 32-bit (4 KiB and 4 MiB pages), PAE, 4-level. */
#include "unit.h"
#include "vcpu/guest_walk.h"

/* 64 KiB of fake guest-physical memory at 0x10000. */
#define BASE 0x10000
static u64 mem[8192];

static bool rd(void *ctx, u64 gpa, u64 *v)
{
    (void)ctx;
    if (gpa < BASE || gpa + 8 > BASE + sizeof mem)
        return false;
    *v = mem[(gpa - BASE) / 8];
    return true;
}

static void put64(u64 gpa, u64 v) { mem[(gpa - BASE) / 8] = v; }
static void put32(u64 gpa, u32 v) { ((u32 *)mem)[(gpa - BASE) / 4] = v; }

#define CR0_PG BIT(31)
#define CR0_WP BIT(16)
#define CR4_PSE BIT(4)
#define CR4_PAE BIT(5)
#define EFER_LMA BIT(10)

TEST(walk_no_paging)
{
    struct guest_paging p = { .cr0 = 0x11 };
    u64 gpa;
    CHECK_EQ(guest_walk(&p, 0x12345678, false, rd, NULL, &gpa), WALK_OK);
    CHECK_EQ(gpa, 0x12345678);
    CHECK_EQ(guest_walk(&p, 0x1ffff0000, false, rd, NULL, &gpa), WALK_OK);
    CHECK_EQ(gpa, 0xffff0000);
}

TEST(walk_32bit)
{
    memset(mem, 0, sizeof mem);
    struct guest_paging p = { .cr0 = CR0_PG | CR0_WP | 1, .cr3 = 0x10000, .cr4 = CR4_PSE };
    put32(0x10000 + 1 * 4, 0x11000 | 0x3);          /* PDE 1 -> PT at 0x11000 */
    put32(0x11000 + 5 * 4, 0xABCDE000 | 0x1);        /* PTE 5: read-only */
    put32(0x10000 + 2 * 4, 0x00C00000 | 0x83 | (0x3 << 13));    /* PDE 2: 4 MiB page, PSE-36 bits */
    u64 gpa;
    CHECK_EQ(guest_walk(&p, 0x00405123, false, rd, NULL, &gpa), WALK_OK);
    CHECK_EQ(gpa, 0xABCDE123);
    CHECK_EQ(guest_walk(&p, 0x00405123, true, rd, NULL, &gpa), WALK_PROTECTION);
    CHECK_EQ(guest_walk(&p, 0x00406000, false, rd, NULL, &gpa), WALK_NOT_PRESENT);
    CHECK_EQ(guest_walk(&p, 0x00812345, true, rd, NULL, &gpa), WALK_OK);
    CHECK_EQ(gpa, 0x300C12345ULL);
    p.cr0 &= ~CR0_WP;                                /* supervisor writes ignore R/W without WP */
    CHECK_EQ(guest_walk(&p, 0x00405123, true, rd, NULL, &gpa), WALK_OK);
    p.cr3 = 0x90000;                                 /* page directory outside guest RAM */
    CHECK_EQ(guest_walk(&p, 0x00405123, false, rd, NULL, &gpa), WALK_BAD_TABLE);
}

TEST(walk_pae)
{
    memset(mem, 0, sizeof mem);
    struct guest_paging p = { .cr0 = CR0_PG | 1, .cr4 = CR4_PAE, .pdpte = { 0, 0, 0x12000 | 1, 0 } };
    put64(0x12000 + 3 * 8, 0x13000 | 3);             /* PD[3] -> PT */
    put64(0x13000 + 7 * 8, 0x1234567000ULL | 3);     /* PT[7] */
    put64(0x12000 + 4 * 8, 0x40000000ULL | 0x83);    /* PD[4]: 2 MiB page */
    u64 gpa;
    CHECK_EQ(guest_walk(&p, 0x80607abc, false, rd, NULL, &gpa), WALK_OK);
    CHECK_EQ(gpa, 0x1234567abcULL);
    CHECK_EQ(guest_walk(&p, 0x80812345, false, rd, NULL, &gpa), WALK_OK);
    CHECK_EQ(gpa, 0x40012345ULL);
    CHECK_EQ(guest_walk(&p, 0x00000000, false, rd, NULL, &gpa), WALK_NOT_PRESENT);   /* PDPTE 0 absent */
}

TEST(walk_4level)
{
    memset(mem, 0, sizeof mem);
    struct guest_paging p = { .cr0 = CR0_PG | CR0_WP | 1, .cr3 = 0x14000, .cr4 = CR4_PAE, .efer = EFER_LMA | BIT(8) };
    u64 lin = 0x00007f8040201abcULL;                 /* indexes 255, 1, 1, 1 */
    put64(0x14000 + 255 * 8, 0x15000 | 3);
    put64(0x15000 + 1 * 8, 0x16000 | 3);
    put64(0x16000 + 1 * 8, 0x17000 | 1);             /* PD entry read-only: the whole range is */
    put64(0x17000 + 1 * 8, 0xfeedf000ULL | 3);
    put64(0x15000 + 2 * 8, 0x80000000ULL | 0x83);    /* PDPT[2]: 1 GiB page */
    u64 gpa;
    CHECK_EQ(guest_walk(&p, lin, false, rd, NULL, &gpa), WALK_OK);
    CHECK_EQ(gpa, 0xfeedfabcULL);
    CHECK_EQ(guest_walk(&p, lin, true, rd, NULL, &gpa), WALK_PROTECTION);
    CHECK_EQ(guest_walk(&p, 0x00007f80a0000123ULL, true, rd, NULL, &gpa), WALK_OK);
    CHECK_EQ(gpa, 0xa0000123ULL);
    CHECK_EQ(guest_walk(&p, 0x1000, false, rd, NULL, &gpa), WALK_NOT_PRESENT);
    p.cr4 |= BIT(12);
    CHECK_EQ(guest_walk(&p, lin, false, rd, NULL, &gpa), WALK_BAD_TABLE);
}

static u64 marked_at[8], marked_bits[8];
static int marks;

static void mark(void *ctx, u64 gpa, bool entry32, u64 bits)
{
    (void)ctx;
    (void)entry32;
    marked_at[marks] = gpa;
    marked_bits[marks++] = bits;
}

TEST(walk_user_supervisor_and_accessed_dirty)
{
    memset(mem, 0, sizeof mem);
    struct guest_paging p = { .cr0 = CR0_PG | 1, .cr3 = 0x14000, .cr4 = CR4_PAE, .efer = EFER_LMA | BIT(8),
                              .mark = mark };
    u64 lin = 0x00007f8040201abcULL;                 /* indexes 255, 1, 1, 1 */
    put64(0x14000 + 255 * 8, 0x15000 | 7);           /* present, writable, user */
    put64(0x15000 + 1 * 8, 0x16000 | 7);
    put64(0x16000 + 1 * 8, 0x17000 | 3);             /* supervisor-only from here */
    put64(0x17000 + 1 * 8, 0xfeedf000ULL | 7);
    u64 gpa;
    marks = 0;
    CHECK_EQ(guest_walk(&p, lin, true, rd, NULL, &gpa), WALK_OK);       /* supervisor write, WP = 0 */
    CHECK_EQ(marks, 4);
    CHECK_EQ(marked_at[0], 0x14000 + 255 * 8);
    CHECK_EQ(marked_bits[0], BIT(5));                /* accessed */
    CHECK_EQ(marked_at[3], 0x17000 + 1 * 8);
    CHECK_EQ(marked_bits[3], BIT(5) | BIT(6));       /* accessed and dirty on the leaf of a write */
    p.user = true;
    marks = 0;
    CHECK_EQ(guest_walk(&p, lin, false, rd, NULL, &gpa), WALK_PROTECTION);   /* CPL 3, supervisor page */
    CHECK_EQ(marks, 0);                              /* a refused access marks nothing */
    put64(0x16000 + 1 * 8, 0x17000 | 5);             /* user, read-only */
    CHECK_EQ(guest_walk(&p, lin, false, rd, NULL, &gpa), WALK_OK);
    CHECK_EQ(guest_walk(&p, lin, true, rd, NULL, &gpa), WALK_PROTECTION);    /* CPL 3 write ignores WP = 0 */
    p.user = false;
    CHECK_EQ(guest_walk(&p, lin, true, rd, NULL, &gpa), WALK_OK);            /* CPL 0 with WP = 0 may */
}

/* Entries already accessed (and a dirty leaf) need no write; only what is missing is marked. */
TEST(walk_marks_only_what_is_not_set)
{
    memset(mem, 0, sizeof mem);
    struct guest_paging p = { .cr0 = CR0_PG | 1, .cr3 = 0x14000, .cr4 = CR4_PAE, .efer = EFER_LMA | BIT(8),
                              .mark = mark };
    u64 lin = 0x00007f8040201abcULL;                 /* indexes 255, 1, 1, 1 */
    put64(0x14000 + 255 * 8, 0x15000 | 0x27);        /* present, writable, user, accessed */
    put64(0x15000 + 1 * 8, 0x16000 | 0x27);
    put64(0x16000 + 1 * 8, 0x17000 | 0x07);          /* not accessed yet */
    put64(0x17000 + 1 * 8, 0xfeedf000ULL | 0x27);    /* accessed, not dirty */
    u64 gpa;
    marks = 0;
    CHECK_EQ(guest_walk(&p, lin, false, rd, NULL, &gpa), WALK_OK);
    CHECK_EQ(marks, 1);
    CHECK_EQ(marked_at[0], 0x16000 + 1 * 8);
    CHECK_EQ(marked_bits[0], BIT(5));
    put64(0x16000 + 1 * 8, 0x17000 | 0x27);
    marks = 0;
    CHECK_EQ(guest_walk(&p, lin, false, rd, NULL, &gpa), WALK_OK);
    CHECK_EQ(marks, 0);                              /* a read through accessed entries writes nothing */
    CHECK_EQ(guest_walk(&p, lin, true, rd, NULL, &gpa), WALK_OK);
    CHECK_EQ(marks, 1);                              /* a write still owes the leaf its dirty flag */
    CHECK_EQ(marked_at[0], 0x17000 + 1 * 8);
    CHECK_EQ(marked_bits[0], BIT(5) | BIT(6));
    put64(0x17000 + 1 * 8, 0xfeedf000ULL | 0x67);
    marks = 0;
    CHECK_EQ(guest_walk(&p, lin, true, rd, NULL, &gpa), WALK_OK);
    CHECK_EQ(marks, 0);
    /* 32-bit paging: the same rule on 4-byte entries. */
    struct guest_paging p32 = { .cr0 = CR0_PG | 1, .cr3 = 0x18000, .mark = mark };
    put32(0x18000, 0x19000 | 0x27);                  /* PDE 0, accessed */
    put32(0x19000, 0x5000 | 0x07);                   /* PTE 0, not accessed */
    marks = 0;
    CHECK_EQ(guest_walk(&p32, 0x123, false, rd, NULL, &gpa), WALK_OK);
    CHECK_EQ(gpa, 0x5123);
    CHECK_EQ(marks, 1);
    CHECK_EQ(marked_at[0], 0x19000);
}

static int full_reads, rereads;

static bool rd_counted(void *ctx, u64 gpa, u64 *v)
{
    full_reads++;
    return rd(ctx, gpa, v);
}

static bool reread_counted(void *ctx, u64 gpa, u64 *v)
{
    rereads++;
    return rd(ctx, gpa, v);
}

/* The walk memo: a hit re-reads the remembered entries and nothing else; any change to the paging state, the
 * page, the access or one entry on the path is a miss with a full walk, which gives the new translation. */
TEST(walk_memo_hits_only_while_everything_it_read_is_the_same)
{
    memset(mem, 0, sizeof mem);
    struct guest_paging p = { .cr0 = CR0_PG | 1, .cr3 = 0x14000, .cr4 = CR4_PAE, .efer = EFER_LMA | BIT(8) };
    struct walk_memo m = { 0 };
    u64 lin = 0x00007f8040201abcULL;                 /* indexes 255, 1, 1, 1 */
    put64(0x14000 + 255 * 8, 0x15000 | 0x27);
    put64(0x15000 + 1 * 8, 0x16000 | 0x27);
    put64(0x16000 + 1 * 8, 0x17000 | 0x27);
    put64(0x17000 + 1 * 8, 0xfeedf000ULL | 0x27);
    u64 gpa;
    full_reads = rereads = 0;
    CHECK_EQ(guest_walk_memo(&m, &p, lin, false, rd_counted, reread_counted, NULL, &gpa), WALK_OK);
    CHECK_EQ(gpa, 0xfeedfabcULL);
    CHECK_EQ(full_reads, 4);
    CHECK_EQ(guest_walk_memo(&m, &p, lin + 0x10, false, rd_counted, reread_counted, NULL, &gpa), WALK_OK);
    CHECK_EQ(gpa, 0xfeedfaccULL);                    /* same page: a hit */
    CHECK_EQ(full_reads, 4);
    CHECK_EQ(rereads, 4);
    /* The guest remaps the page without telling anyone: the re-read sees it. */
    put64(0x17000 + 1 * 8, 0xbeef0000ULL | 0x27);
    CHECK_EQ(guest_walk_memo(&m, &p, lin, false, rd_counted, reread_counted, NULL, &gpa), WALK_OK);
    CHECK_EQ(gpa, 0xbeef0abcULL);
    CHECK_EQ(full_reads, 8);
    /* A changed upper level (a new page table) as well. */
    put64(0x18000 + 1 * 8, 0xcafe0000ULL | 0x27);
    put64(0x16000 + 1 * 8, 0x18000 | 0x27);
    CHECK_EQ(guest_walk_memo(&m, &p, lin, false, rd_counted, reread_counted, NULL, &gpa), WALK_OK);
    CHECK_EQ(gpa, 0xcafe0abcULL);
    /* An entry gone: not present, and the memo forgets. */
    put64(0x18000 + 1 * 8, 0);
    CHECK_EQ(guest_walk_memo(&m, &p, lin, false, rd_counted, reread_counted, NULL, &gpa), WALK_NOT_PRESENT);
    CHECK(!m.valid);
    put64(0x18000 + 1 * 8, 0xcafe0000ULL | 0x27);
    CHECK_EQ(guest_walk_memo(&m, &p, lin, false, rd_counted, reread_counted, NULL, &gpa), WALK_OK);
    /* Another page, another CR3, CPL 3, a write: each a full walk. */
    int before = full_reads;
    CHECK_EQ(guest_walk_memo(&m, &p, lin + 0x1000, false, rd_counted, reread_counted, NULL, &gpa), WALK_NOT_PRESENT);
    CHECK_EQ(full_reads, before + 4);
    CHECK_EQ(guest_walk_memo(&m, &p, lin, false, rd_counted, reread_counted, NULL, &gpa), WALK_OK);
    before = full_reads;
    p.user = true;
    CHECK_EQ(guest_walk_memo(&m, &p, lin, false, rd_counted, reread_counted, NULL, &gpa), WALK_OK);
    CHECK_EQ(full_reads, before + 4);
    CHECK_EQ(guest_walk_memo(&m, &p, lin, true, rd_counted, reread_counted, NULL, &gpa), WALK_OK);
    CHECK_EQ(full_reads, before + 8);
    p.cr3 = 0x10000;                                 /* an empty PML4: not present */
    CHECK_EQ(guest_walk_memo(&m, &p, lin, true, rd_counted, reread_counted, NULL, &gpa), WALK_NOT_PRESENT);
    /* A supervisor-only page seen from CPL 3 through a memo made at CPL 0: the key holds CPL, so #PF. */
    p.cr3 = 0x14000;
    p.user = false;
    put64(0x16000 + 1 * 8, 0x18000 | 0x23);         /* supervisor from here */
    CHECK_EQ(guest_walk_memo(&m, &p, lin, false, rd_counted, reread_counted, NULL, &gpa), WALK_OK);
    p.user = true;
    CHECK_EQ(guest_walk_memo(&m, &p, lin, false, rd_counted, reread_counted, NULL, &gpa), WALK_PROTECTION);
}

/* 32-bit paging: 4-byte entries re-read as 4 bytes. */
TEST(walk_memo_32bit_entries)
{
    memset(mem, 0, sizeof mem);
    struct guest_paging p = { .cr0 = CR0_PG | 1, .cr3 = 0x18000 };
    struct walk_memo m = { 0 };
    put32(0x18000, 0x19000 | 0x27);
    put32(0x18004, 0x1A000 | 0x27);                  /* the neighbour: its change must not matter */
    put32(0x19000, 0x5000 | 0x27);
    u64 gpa;
    full_reads = rereads = 0;
    CHECK_EQ(guest_walk_memo(&m, &p, 0x123, false, rd_counted, reread_counted, NULL, &gpa), WALK_OK);
    CHECK_EQ(gpa, 0x5123);
    put32(0x18004, 0x1B000 | 0x27);
    CHECK_EQ(guest_walk_memo(&m, &p, 0x456, false, rd_counted, reread_counted, NULL, &gpa), WALK_OK);
    CHECK_EQ(gpa, 0x5456);
    CHECK_EQ(full_reads, 2);
    put32(0x19000, 0x6000 | 0x27);
    CHECK_EQ(guest_walk_memo(&m, &p, 0x456, false, rd_counted, reread_counted, NULL, &gpa), WALK_OK);
    CHECK_EQ(gpa, 0x6456);
    CHECK_EQ(full_reads, 4);
}
