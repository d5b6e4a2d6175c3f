	.section .ksyms, "a"
	.balign 8
	.globl ksyms_count, ksyms_table, ksyms_names
ksyms_count:
	.quad 0
ksyms_table:
ksyms_names:
