/* SPDX-License-Identifier: BSD-2-Clause */
/* Control words and fixed CR bits from the VMX capability MSRs (SDM Vol. 3C Appendix A). */
/* Pure: built for the host as well, for unit tests and fuzzers (Makefile PURE_SRCS). */
#include "vcpu/vmx/vmx_controls.h"
#include "vcpu/vmx/vmx_names.h"

u32 vmx_ctl_cap_msr(enum vmx_ctl_word word, u64 basic)
{
    bool true_ctls = vmx_basic_has_true_ctls(basic);

    switch (word) {
    case VMX_CTL_PIN:
        return true_ctls ? MSR_IA32_VMX_TRUE_PINBASED_CTLS : MSR_IA32_VMX_PINBASED_CTLS;
    case VMX_CTL_PROC:
        return true_ctls ? MSR_IA32_VMX_TRUE_PROCBASED_CTLS : MSR_IA32_VMX_PROCBASED_CTLS;
    case VMX_CTL_PROC2:
        return MSR_IA32_VMX_PROCBASED_CTLS2;
    case VMX_CTL_EXIT:
        return true_ctls ? MSR_IA32_VMX_TRUE_EXIT_CTLS : MSR_IA32_VMX_EXIT_CTLS;
    case VMX_CTL_ENTRY:
        return true_ctls ? MSR_IA32_VMX_TRUE_ENTRY_CTLS : MSR_IA32_VMX_ENTRY_CTLS;
    default:
        return 0;
    }
}

bool vmx_ctl_compute(u64 cap, u32 required, u32 optional, u32 *value, u32 *missing)
{
    u32 must_be_1 = vmx_ctl_must_be_1(cap), may_be_1 = vmx_ctl_may_be_1(cap);

    *value = (required | optional | must_be_1) & may_be_1;
    *missing = (required | must_be_1) & ~may_be_1;
    return *missing == 0;
}

struct text {
    char *buf;
    size_t size, len;
};

static void append(struct text *t, const char *s)
{
    for (; *s; s++, t->len++)
        if (t->len + 1 < t->size)
            t->buf[t->len] = *s;
}

static void append_decimal(struct text *t, u32 v)
{
    char digits[11];
    int n = 0;

    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) {
        char c[2] = { digits[--n], 0 };
        append(t, c);
    }
}

size_t vmx_ctl_describe(enum vmx_ctl_word word, u32 mask, char *buf, size_t size)
{
    struct text t = { buf, size, 0 };

    for (u32 n = 0; n < 32; n++) {
        u32 bit = 1u << n;
        const char *name = vmx_ctl_bit_name(word, bit);

        if (!(mask & bit))
            continue;
        if (t.len)
            append(&t, ", ");
        if (name) {
            append(&t, name);
        } else {
            append(&t, "bit ");
            append_decimal(&t, n);
        }
    }
    if (size)
        buf[MIN(t.len, size - 1)] = 0;
    return t.len;
}

struct vmx_cr_fixed vmx_cr0_fixed_for_guest(struct vmx_cr_fixed f, bool unrestricted)
{
    if (unrestricted)
        f.fixed0 &= ~(CR0_PE | CR0_PG);
    return f;
}
