/* SPDX-License-Identifier: BSD-2-Clause */
/* Unit tests for the guest image command-line parser. */
#include "unit.h"
#include "vm/image_spec.h"

static char err[160];

TEST(image_spec_defaults_and_options)
{
    struct image_spec s;
    CHECK(image_spec_parse("flat", &s, err, sizeof err));
    CHECK_EQ(s.kind, IMAGE_FLAT);
    CHECK_EQ(s.load, 0x7c00);
    CHECK_EQ(s.cs, 0);
    CHECK_EQ(s.ip, 0x7c00);
    CHECK_STR(s.name, "guest");
    CHECK(image_spec_parse("  flat load=0x100000 start=f000:FFF0 name=vcpu-test ", &s, err, sizeof err));
    CHECK_EQ(s.load, 0x100000);
    CHECK_EQ(s.cs, 0xf000);
    CHECK_EQ(s.ip, 0xfff0);
    CHECK_STR(s.name, "vcpu-test");
    CHECK(image_spec_parse("flat load=8000 start=0800:0", &s, err, sizeof err));
    CHECK_EQ(s.load, 0x8000);
    CHECK_EQ(s.cs, 0x800);
    CHECK_EQ(s.ip, 0);
}

TEST(image_spec_errors)
{
    struct image_spec s;
    CHECK(!image_spec_parse("elf", &s, err, sizeof err));
    CHECK_STR(err, "unknown image kind 'elf' (expected: flat, multiboot, linux, initrd, module)");
    CHECK(!image_spec_parse("", &s, err, sizeof err));
    CHECK_STR(err, "unknown image kind '' (expected: flat, multiboot, linux, initrd, module)");
    CHECK(!image_spec_parse("flat load=0xzz", &s, err, sizeof err));
    CHECK_STR(err, "bad address in 'load=0xzz'");
    CHECK(!image_spec_parse("flat load=", &s, err, sizeof err));
    CHECK_STR(err, "bad address in 'load='");
    CHECK(!image_spec_parse("flat load=0x10000000000000000", &s, err, sizeof err));
    CHECK_STR(err, "bad address in 'load=0x10000000000000000'");
    CHECK(!image_spec_parse("flat start=7c00", &s, err, sizeof err));
    CHECK_STR(err, "bad real-mode start in 'start=7c00' (expected SEG:OFF, hexadecimal)");
    CHECK(!image_spec_parse("flat start=10000:0", &s, err, sizeof err));
    CHECK_STR(err, "bad real-mode start in 'start=10000:0' (expected SEG:OFF, hexadecimal)");
    CHECK(!image_spec_parse("flat speed=fast", &s, err, sizeof err));
    CHECK_STR(err, "unknown option 'speed=fast' for a flat image");
    CHECK(!image_spec_parse("flat verbose", &s, err, sizeof err));
    CHECK_STR(err, "option 'verbose' needs a value");
    CHECK(!image_spec_parse("flat name=", &s, err, sizeof err));
    CHECK_STR(err, "name in 'name=' must have 1 to 31 characters");
}

TEST(image_spec_multiboot_and_arguments)
{
    struct image_spec s;
    CHECK(image_spec_parse("multiboot name=selftest -- quiet  cpus=4", &s, err, sizeof err));
    CHECK_EQ(s.kind, IMAGE_MULTIBOOT);
    CHECK_STR(s.name, "selftest");
    CHECK_STR(s.args, "quiet  cpus=4");
    CHECK(image_spec_parse("multiboot", &s, err, sizeof err));
    CHECK_STR(s.args, "");
    CHECK(image_spec_parse("multiboot --", &s, err, sizeof err));
    CHECK_STR(s.args, "");
    CHECK(!image_spec_parse("multiboot load=0x1000", &s, err, sizeof err));
    CHECK_STR(err, "unknown option 'load=0x1000' for a multiboot image");
    CHECK(!image_spec_parse("flat name=a -- x=1", &s, err, sizeof err));
    CHECK_STR(err, "flat images take no arguments after '--'");
    CHECK(!image_spec_parse("multiboot --x", &s, err, sizeof err));
    CHECK_STR(err, "option '--x' needs a value");
}

TEST(image_spec_linux_and_companions)
{
    struct image_spec s;
    CHECK(image_spec_parse("linux name=debian -- console=ttyS0 quiet", &s, err, sizeof err));
    CHECK_EQ(s.kind, IMAGE_LINUX);
    CHECK_STR(s.name, "debian");
    CHECK_STR(s.args, "console=ttyS0 quiet");
    CHECK_STR(image_kind_name(s.kind), "linux");
    CHECK(image_spec_parse("initrd name=busybox", &s, err, sizeof err));
    CHECK_EQ(s.kind, IMAGE_INITRD);
    CHECK(!image_spec_parse("initrd -- x", &s, err, sizeof err));
    CHECK_STR(err, "initrd images take no arguments after '--'");
    CHECK(image_spec_parse("module -- cpus=2 mem=512", &s, err, sizeof err));
    CHECK_EQ(s.kind, IMAGE_MODULE);
    CHECK_STR(s.args, "cpus=2 mem=512");
    CHECK(!image_spec_parse("linux load=100000", &s, err, sizeof err));
    CHECK_STR(err, "unknown option 'load=100000' for a linux image");
    CHECK(!image_spec_parse("linuxx", &s, err, sizeof err));
    CHECK_STR(err, "unknown image kind 'linuxx' (expected: flat, multiboot, linux, initrd, module)");
}
