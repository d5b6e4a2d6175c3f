/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer target for the exit decoders: any qualification and instruction information decodes within range. */
#include <string.h>

#include "fuzz_check.h"
#include "vcpu/exit_decode.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
    u64 q = 0, gpa = 0, gla = 0;
    u32 info = 0;
    if (size < 28)
        return 0;
    memcpy(&q, data, 8);
    memcpy(&gpa, data + 8, 8);
    memcpy(&gla, data + 16, 8);
    memcpy(&info, data + 24, 4);

    struct io_exit io;
    bool has_info = q & (1ULL << 63);
    if (exit_decode_io(q, info, has_info, &io)) {
        INVARIANT(io.size == 1 || io.size == 2 || io.size == 4);
        INVARIANT(io.port == (u16)(q >> 16) && io.in == !!(q & 8) && io.string == !!(q & 16));
        INVARIANT(!io.addr_known || io.addr_size == 2 || io.addr_size == 4 || io.addr_size == 8);
        INVARIANT(io.segment <= SEG_GS && (!io.in || io.segment == SEG_ES));
        INVARIANT(io.addr_known == (io.string && has_info));
    } else {
        INVARIANT((q & 7) == 2 || (q & 7) > 3 || (q & 16 && has_info));     /* only what the SDM leaves unused */
    }

    struct cr_exit cr = exit_decode_cr(q);
    INVARIANT(cr.cr == (q & 15) && cr.access <= CR_LMSW && cr.gpr < 16);

    struct ept_violation e = exit_decode_ept_violation(q, gpa, gla);
    INVARIANT(e.gpa == gpa && (e.gla_valid ? e.gla == gla : e.gla == 0));
    INVARIANT(!e.gla_translated || e.gla_valid);

    struct intr_info ii = exit_decode_intr_info(info);
    INVARIANT(ii.vector == (u8)info && ii.type <= 7);
    u32 again = intr_info_encode(ii.vector, ii.type, ii.error_code_valid);
    struct intr_info back = exit_decode_intr_info(again);
    INVARIANT(back.valid && back.vector == ii.vector && back.type == ii.type &&
              back.error_code_valid == ii.error_code_valid);

    struct exit_reason r = exit_decode_reason(info);
    INVARIANT(r.basic == (u16)info && r.entry_failure == !!(info & (1u << 31)));
    return 0;
}
