# SPDX-License-Identifier: BSD-2-Clause
"""Boot-path cases (ISO under BIOS and UEFI, PXE through GRUB and iPXE): see cases.py for the format."""

CASES = []
