	.section .ksyms, "a"
	.balign 8
	.globl ksyms_count, ksyms_table, ksyms_names
ksyms_count:
	.quad 359
ksyms_table:
	.quad 0x0000000004000000
	.long 0, 0
	.quad 0x0000000004000010
	.long 11, 0
	.quad 0x000000000400001c
	.long 28, 0
	.quad 0x0000000004000028
	.long 49, 0
	.quad 0x0000000004000028
	.long 60, 0
	.quad 0x0000000004000048
	.long 75, 0
	.quad 0x0000000004000117
	.long 84, 0
	.quad 0x0000000004000138
	.long 97, 0
	.quad 0x0000000004000175
	.long 105, 0
	.quad 0x0000000004000196
	.long 118, 0
	.quad 0x00000000040001b0
	.long 130, 0
	.quad 0x0000000004000397
	.long 136, 0
	.quad 0x00000000040003b8
	.long 141, 0
	.quad 0x00000000040005e1
	.long 151, 0
	.quad 0x00000000040006db
	.long 165, 0
	.quad 0x00000000040006de
	.long 170, 0
	.quad 0x00000000040006fb
	.long 175, 0
	.quad 0x0000000004000713
	.long 180, 0
	.quad 0x0000000004000805
	.long 190, 0
	.quad 0x0000000004000860
	.long 205, 0
	.quad 0x00000000040008e1
	.long 221, 0
	.quad 0x0000000004000978
	.long 236, 0
	.quad 0x0000000004000a8b
	.long 249, 0
	.quad 0x0000000004000f18
	.long 260, 0
	.quad 0x0000000004000f45
	.long 268, 0
	.quad 0x0000000004000f98
	.long 285, 0
	.quad 0x00000000040011a9
	.long 299, 0
	.quad 0x00000000040011c8
	.long 308, 0
	.quad 0x0000000004001214
	.long 321, 0
	.quad 0x000000000400126b
	.long 335, 0
	.quad 0x0000000004001285
	.long 349, 0
	.quad 0x00000000040012b7
	.long 362, 0
	.quad 0x00000000040012c2
	.long 375, 0
	.quad 0x00000000040012ca
	.long 393, 0
	.quad 0x00000000040012e3
	.long 411, 0
	.quad 0x00000000040012ea
	.long 427, 0
	.quad 0x00000000040012f5
	.long 439, 0
	.quad 0x0000000004001330
	.long 456, 0
	.quad 0x000000000400145c
	.long 465, 0
	.quad 0x0000000004001476
	.long 469, 0
	.quad 0x0000000004001520
	.long 480, 0
	.quad 0x00000000040015bc
	.long 494, 0
	.quad 0x000000000400199c
	.long 505, 0
	.quad 0x00000000040019d2
	.long 515, 0
	.quad 0x0000000004001aaf
	.long 524, 0
	.quad 0x0000000004001b04
	.long 533, 0
	.quad 0x0000000004001b61
	.long 542, 0
	.quad 0x0000000004001b98
	.long 554, 0
	.quad 0x0000000004001bf0
	.long 564, 0
	.quad 0x0000000004001c19
	.long 573, 0
	.quad 0x0000000004001c46
	.long 583, 0
	.quad 0x0000000004001cc9
	.long 594, 0
	.quad 0x0000000004001cd0
	.long 607, 0
	.quad 0x0000000004001cec
	.long 616, 0
	.quad 0x0000000004001d80
	.long 631, 0
	.quad 0x0000000004001d92
	.long 641, 0
	.quad 0x0000000004001da4
	.long 655, 0
	.quad 0x0000000004001dab
	.long 675, 0
	.quad 0x0000000004001db6
	.long 699, 0
	.quad 0x0000000004001dd6
	.long 721, 0
	.quad 0x0000000004001de1
	.long 736, 0
	.quad 0x0000000004001e3d
	.long 753, 0
	.quad 0x0000000004001f3e
	.long 765, 0
	.quad 0x0000000004001f80
	.long 776, 0
	.quad 0x0000000004001fa0
	.long 786, 0
	.quad 0x0000000004002019
	.long 798, 0
	.quad 0x0000000004002034
	.long 814, 0
	.quad 0x0000000004002064
	.long 835, 0
	.quad 0x0000000004002079
	.long 849, 0
	.quad 0x000000000400209d
	.long 865, 0
	.quad 0x0000000004002144
	.long 885, 0
	.quad 0x0000000004002190
	.long 904, 0
	.quad 0x0000000004002217
	.long 915, 0
	.quad 0x0000000004002284
	.long 933, 0
	.quad 0x000000000400233b
	.long 947, 0
	.quad 0x0000000004002497
	.long 963, 0
	.quad 0x0000000004002724
	.long 975, 0
	.quad 0x0000000004002c57
	.long 987, 0
	.quad 0x0000000004002ca8
	.long 999, 0
	.quad 0x0000000004002d82
	.long 1015, 0
	.quad 0x0000000004002e59
	.long 1024, 0
	.quad 0x0000000004002f54
	.long 1037, 0
	.quad 0x0000000004003059
	.long 1047, 0
	.quad 0x00000000040031e7
	.long 1056, 0
	.quad 0x00000000040032a8
	.long 1066, 0
	.quad 0x0000000004003347
	.long 1075, 0
	.quad 0x0000000004003397
	.long 1088, 0
	.quad 0x000000000400349c
	.long 1103, 0
	.quad 0x00000000040034c3
	.long 1127, 0
	.quad 0x00000000040034ca
	.long 1144, 0
	.quad 0x00000000040034d5
	.long 1162, 0
	.quad 0x00000000040034e9
	.long 1170, 0
	.quad 0x0000000004003523
	.long 1177, 0
	.quad 0x0000000004003534
	.long 1192, 0
	.quad 0x000000000400353f
	.long 1212, 0
	.quad 0x0000000004003573
	.long 1227, 0
	.quad 0x0000000004003617
	.long 1240, 0
	.quad 0x000000000400367a
	.long 1249, 0
	.quad 0x00000000040036c6
	.long 1259, 0
	.quad 0x00000000040036e6
	.long 1281, 0
	.quad 0x000000000400371e
	.long 1293, 0
	.quad 0x0000000004003725
	.long 1307, 0
	.quad 0x000000000400373a
	.long 1315, 0
	.quad 0x0000000004003a2b
	.long 1324, 0
	.quad 0x0000000004003abd
	.long 1337, 0
	.quad 0x0000000004003b3a
	.long 1349, 0
	.quad 0x0000000004003b91
	.long 1358, 0
	.quad 0x0000000004003bd4
	.long 1371, 0
	.quad 0x0000000004003c8d
	.long 1387, 0
	.quad 0x0000000004003c98
	.long 1394, 0
	.quad 0x0000000004003ca1
	.long 1401, 0
	.quad 0x0000000004003cca
	.long 1409, 0
	.quad 0x0000000004003cd8
	.long 1416, 0
	.quad 0x0000000004003e46
	.long 1426, 0
	.quad 0x0000000004003e4e
	.long 1433, 0
	.quad 0x0000000004003e88
	.long 1449, 0
	.quad 0x0000000004003eaa
	.long 1458, 0
	.quad 0x000000000400402f
	.long 1471, 0
	.quad 0x0000000004004215
	.long 1486, 0
	.quad 0x0000000004004270
	.long 1503, 0
	.quad 0x0000000004004280
	.long 1515, 0
	.quad 0x0000000004004290
	.long 1527, 0
	.quad 0x00000000040042a0
	.long 1539, 0
	.quad 0x00000000040042b0
	.long 1551, 0
	.quad 0x00000000040042c0
	.long 1563, 0
	.quad 0x00000000040042d0
	.long 1575, 0
	.quad 0x00000000040042e0
	.long 1587, 0
	.quad 0x00000000040042f0
	.long 1599, 0
	.quad 0x0000000004004300
	.long 1611, 0
	.quad 0x0000000004004310
	.long 1623, 0
	.quad 0x0000000004004320
	.long 1636, 0
	.quad 0x0000000004004330
	.long 1649, 0
	.quad 0x0000000004004340
	.long 1662, 0
	.quad 0x0000000004004350
	.long 1675, 0
	.quad 0x0000000004004360
	.long 1688, 0
	.quad 0x0000000004004370
	.long 1701, 0
	.quad 0x0000000004004380
	.long 1714, 0
	.quad 0x0000000004004390
	.long 1727, 0
	.quad 0x00000000040043a0
	.long 1740, 0
	.quad 0x00000000040043b0
	.long 1753, 0
	.quad 0x00000000040043c0
	.long 1766, 0
	.quad 0x00000000040043d0
	.long 1779, 0
	.quad 0x00000000040043e0
	.long 1792, 0
	.quad 0x00000000040043f0
	.long 1805, 0
	.quad 0x0000000004004400
	.long 1818, 0
	.quad 0x0000000004004410
	.long 1831, 0
	.quad 0x0000000004004420
	.long 1844, 0
	.quad 0x0000000004004430
	.long 1857, 0
	.quad 0x0000000004004440
	.long 1870, 0
	.quad 0x0000000004004450
	.long 1883, 0
	.quad 0x0000000004004460
	.long 1896, 0
	.quad 0x0000000004004466
	.long 1909, 0
	.quad 0x00000000040044a3
	.long 1921, 0
	.quad 0x00000000040044c5
	.long 1936, 0
	.quad 0x00000000040044c7
	.long 1951, 0
	.quad 0x00000000040044d7
	.long 1960, 0
	.quad 0x00000000040044f3
	.long 1970, 0
	.quad 0x0000000004004523
	.long 1979, 0
	.quad 0x000000000400457b
	.long 1994, 0
	.quad 0x00000000040045bb
	.long 2005, 0
	.quad 0x000000000400479c
	.long 2010, 0
	.quad 0x0000000004004858
	.long 2020, 0
	.quad 0x0000000004004869
	.long 2032, 0
	.quad 0x000000000400487e
	.long 2048, 0
	.quad 0x000000000400490f
	.long 2070, 0
	.quad 0x0000000004004961
	.long 2078, 0
	.quad 0x0000000004004a1a
	.long 2086, 0
	.quad 0x0000000004004b1d
	.long 2104, 0
	.quad 0x0000000004004b5d
	.long 2130, 0
	.quad 0x00000000040050e7
	.long 2141, 0
	.quad 0x00000000040053ee
	.long 2162, 0
	.quad 0x00000000040054a5
	.long 2182, 0
	.quad 0x00000000040054f4
	.long 2204, 0
	.quad 0x0000000004005534
	.long 2224, 0
	.quad 0x0000000004005558
	.long 2231, 0
	.quad 0x00000000040055b6
	.long 2247, 0
	.quad 0x00000000040055d2
	.long 2263, 0
	.quad 0x00000000040056de
	.long 2280, 0
	.quad 0x00000000040056f6
	.long 2304, 0
	.quad 0x000000000400572f
	.long 2318, 0
	.quad 0x000000000400579c
	.long 2340, 0
	.quad 0x00000000040058de
	.long 2351, 0
	.quad 0x0000000004005be2
	.long 2364, 0
	.quad 0x0000000004005c01
	.long 2385, 0
	.quad 0x0000000004005c20
	.long 2412, 0
	.quad 0x0000000004005c38
	.long 2430, 0
	.quad 0x0000000004005c6d
	.long 2447, 0
	.quad 0x0000000004005cd6
	.long 2457, 0
	.quad 0x0000000004005d4c
	.long 2467, 0
	.quad 0x0000000004005d5e
	.long 2480, 0
	.quad 0x0000000004005da8
	.long 2494, 0
	.quad 0x0000000004005de6
	.long 2505, 0
	.quad 0x0000000004005dea
	.long 2517, 0
	.quad 0x0000000004005df5
	.long 2530, 0
	.quad 0x0000000004005e72
	.long 2537, 0
	.quad 0x0000000004005eef
	.long 2545, 0
	.quad 0x0000000004005f60
	.long 2556, 0
	.quad 0x0000000004005ff0
	.long 2579, 0
	.quad 0x0000000004006010
	.long 2599, 0
	.quad 0x0000000004006050
	.long 2621, 0
	.quad 0x0000000004006070
	.long 2640, 0
	.quad 0x0000000004006160
	.long 2651, 0
	.quad 0x0000000004006230
	.long 2668, 0
	.quad 0x0000000004006360
	.long 2680, 0
	.quad 0x0000000004006400
	.long 2691, 0
	.quad 0x0000000004006470
	.long 2704, 0
	.quad 0x0000000004006610
	.long 2714, 0
	.quad 0x0000000004006990
	.long 2729, 0
	.quad 0x0000000004006a60
	.long 2744, 0
	.quad 0x0000000004006ad0
	.long 2759, 0
	.quad 0x0000000004006bf0
	.long 2785, 0
	.quad 0x0000000004006c30
	.long 2807, 0
	.quad 0x0000000004006c50
	.long 2824, 0
	.quad 0x0000000004006d30
	.long 2843, 0
	.quad 0x0000000004006d70
	.long 2862, 0
	.quad 0x0000000004006e60
	.long 2871, 0
	.quad 0x0000000004006eb0
	.long 2893, 0
	.quad 0x0000000004006ef0
	.long 2909, 0
	.quad 0x0000000004006f70
	.long 2933, 0
	.quad 0x0000000004007010
	.long 2952, 0
	.quad 0x0000000004007040
	.long 2962, 0
	.quad 0x00000000040070b0
	.long 2972, 0
	.quad 0x00000000040070d0
	.long 2990, 0
	.quad 0x00000000040070e0
	.long 3012, 0
	.quad 0x0000000004007230
	.long 3027, 0
	.quad 0x0000000004007240
	.long 3037, 0
	.quad 0x00000000040072a0
	.long 3052, 0
	.quad 0x0000000004007310
	.long 3063, 0
	.quad 0x0000000004007b00
	.long 3077, 0
	.quad 0x0000000004007bd0
	.long 3085, 0
	.quad 0x0000000004007dc0
	.long 3098, 0
	.quad 0x0000000004007e60
	.long 3118, 0
	.quad 0x0000000004007f00
	.long 3129, 0
	.quad 0x0000000004008120
	.long 3140, 0
	.quad 0x0000000004008140
	.long 3161, 0
	.quad 0x0000000004008210
	.long 3173, 0
	.quad 0x00000000040082f0
	.long 3180, 0
	.quad 0x0000000004008460
	.long 3187, 0
	.quad 0x00000000040086d0
	.long 3198, 0
	.quad 0x00000000040087b0
	.long 3209, 0
	.quad 0x00000000040088f0
	.long 3221, 0
	.quad 0x0000000004008bb0
	.long 3235, 0
	.quad 0x0000000004008c30
	.long 3245, 0
	.quad 0x0000000004008c50
	.long 3254, 0
	.quad 0x0000000004008c70
	.long 3266, 0
	.quad 0x0000000004008ca0
	.long 3280, 0
	.quad 0x0000000004008d30
	.long 3303, 0
	.quad 0x00000000040090c0
	.long 3313, 0
	.quad 0x00000000040090d0
	.long 3321, 0
	.quad 0x00000000040091b0
	.long 3335, 0
	.quad 0x00000000040091e0
	.long 3344, 0
	.quad 0x00000000040092b0
	.long 3357, 0
	.quad 0x0000000004009320
	.long 3379, 0
	.quad 0x0000000004009380
	.long 3403, 0
	.quad 0x0000000004009d10
	.long 3412, 0
	.quad 0x0000000004009d60
	.long 3423, 0
	.quad 0x0000000004009e40
	.long 3434, 0
	.quad 0x0000000004009e80
	.long 3450, 0
	.quad 0x0000000004009e90
	.long 3462, 0
	.quad 0x0000000004009eb0
	.long 3477, 0
	.quad 0x0000000004009f50
	.long 3492, 0
	.quad 0x0000000004009f60
	.long 3500, 0
	.quad 0x0000000004009f70
	.long 3509, 0
	.quad 0x000000000400a010
	.long 3525, 0
	.quad 0x000000000400a060
	.long 3544, 0
	.quad 0x000000000400a090
	.long 3554, 0
	.quad 0x000000000400a0c0
	.long 3563, 0
	.quad 0x000000000400a150
	.long 3583, 0
	.quad 0x000000000400a1c0
	.long 3594, 0
	.quad 0x000000000400a280
	.long 3608, 0
	.quad 0x000000000400a290
	.long 3619, 0
	.quad 0x000000000400a4f0
	.long 3630, 0
	.quad 0x000000000400a580
	.long 3648, 0
	.quad 0x000000000400a5f0
	.long 3668, 0
	.quad 0x000000000400a6b0
	.long 3678, 0
	.quad 0x000000000400a708
	.long 3695, 0
	.quad 0x000000000400a76a
	.long 3703, 0
	.quad 0x000000000400a7f3
	.long 3724, 0
	.quad 0x000000000400ab15
	.long 3735, 0
	.quad 0x000000000400ab9a
	.long 3741, 0
	.quad 0x000000000400af3f
	.long 3756, 0
	.quad 0x000000000400b08c
	.long 3773, 0
	.quad 0x000000000400b16a
	.long 3792, 0
	.quad 0x000000000400b17f
	.long 3809, 0
	.quad 0x000000000400b1f9
	.long 3819, 0
	.quad 0x000000000400b223
	.long 3827, 0
	.quad 0x000000000400b53e
	.long 3844, 0
	.quad 0x000000000400b541
	.long 3849, 0
	.quad 0x000000000400b575
	.long 3853, 0
	.quad 0x000000000400b90a
	.long 3869, 0
	.quad 0x000000000400ba1d
	.long 3880, 0
	.quad 0x000000000400bbe5
	.long 3895, 0
	.quad 0x000000000400bbe9
	.long 3904, 0
	.quad 0x000000000400bbf0
	.long 3916, 0
	.quad 0x000000000400bbf6
	.long 3929, 0
	.quad 0x000000000400bc06
	.long 3939, 0
	.quad 0x000000000400be4e
	.long 3949, 0
	.quad 0x000000000400bf05
	.long 3964, 0
	.quad 0x000000000400bf83
	.long 3974, 0
	.quad 0x000000000400bfe5
	.long 3991, 0
	.quad 0x000000000400c057
	.long 4001, 0
	.quad 0x000000000400c0b0
	.long 4009, 0
	.quad 0x000000000400c0c0
	.long 4028, 0
	.quad 0x000000000400c0f0
	.long 4048, 0
	.quad 0x000000000400c120
	.long 4067, 0
	.quad 0x000000000400c2c0
	.long 4085, 0
	.quad 0x000000000400c330
	.long 4105, 0
	.quad 0x000000000400c3a0
	.long 4116, 0
	.quad 0x000000000400c3c0
	.long 4136, 0
	.quad 0x000000000400c4e0
	.long 4151, 0
	.quad 0x000000000400c500
	.long 4169, 0
	.quad 0x000000000400c550
	.long 4180, 0
	.quad 0x000000000400c740
	.long 4189, 0
	.quad 0x000000000400c920
	.long 4199, 0
	.quad 0x000000000400c9e0
	.long 4212, 0
	.quad 0x000000000400ca40
	.long 4223, 0
	.quad 0x000000000400ca90
	.long 4232, 0
	.quad 0x000000000400cb30
	.long 4239, 0
	.quad 0x000000000400cb50
	.long 4259, 0
	.quad 0x000000000400ce50
	.long 4273, 0
	.quad 0x000000000400cea0
	.long 4282, 0
	.quad 0x000000000400cf70
	.long 4301, 0
	.quad 0x000000000400cf90
	.long 4321, 0
	.quad 0x000000000400d050
	.long 4339, 0
	.quad 0x000000000400d070
	.long 4358, 0
	.quad 0x000000000400d0e0
	.long 4375, 0
	.quad 0x000000000400d150
	.long 4393, 0
	.quad 0x000000000400d1f0
	.long 4405, 0
	.quad 0x000000000400d2d0
	.long 4413, 0
	.quad 0x000000000400d420
	.long 4422, 0
	.quad 0x000000000400d5d0
	.long 4433, 0
	.quad 0x000000000400d690
	.long 4442, 0
	.quad 0x000000000400d740
	.long 4453, 0
	.quad 0x000000000400d840
	.long 4471, 0
	.quad 0x000000000400da40
	.long 4486, 0
	.quad 0x000000000400db90
	.long 4497, 0
	.quad 0x000000000400dc90
	.long 4506, 0
	.quad 0x000000000400de60
	.long 4518, 0
	.quad 0x000000000400def0
	.long 4531, 0
	.quad 0x000000000400e180
	.long 4549, 0
	.quad 0x000000000400e2d0
	.long 4569, 0
	.quad 0x000000000400e320
	.long 4584, 0
	.quad 0x000000000400e360
	.long 4595, 0
	.quad 0x000000000400e590
	.long 4610, 0
	.quad 0x000000000400e5e0
	.long 4622, 0
	.quad 0x000000000400e6b0
	.long 4635, 0
	.quad 0x000000000400e6e0
	.long 4652, 0
	.quad 0x000000000400e720
	.long 4669, 0
	.quad 0x000000000400e7a0
	.long 4685, 0
	.quad 0x000000000400e850
	.long 4701, 0
	.quad 0x000000000400e8c0
	.long 4712, 0
	.quad 0x000000000400e960
	.long 4720, 0
	.quad 0x000000000400e9d0
	.long 4729, 0
	.quad 0x000000000400ea30
	.long 4743, 0
	.quad 0x000000000400eaa0
	.long 4753, 0
	.quad 0x000000000400eec0
	.long 4766, 0
	.quad 0x000000000400f280
	.long 4780, 0
	.quad 0x000000000400f3b0
	.long 4792, 0
	.quad 0x000000000400f4d0
	.long 4805, 0
ksyms_names:
	.asciz "mb2_header"
	.asciz "mb2_info_request"
	.asciz "mb2_info_request_end"
	.asciz "mb1_header"
	.asciz "mb2_header_end"
	.asciz "_start32"
	.asciz "no_long_mode"
	.asciz "start64"
	.asciz "identity_map"
	.asciz "warn_option"
	.asciz "kmain"
	.asciz "phys"
	.asciz "acpi_init"
	.asciz "acpi_poweroff"
	.asciz "rd32"
	.asciz "rd64"
	.asciz "same"
	.asciz "map_table"
	.asciz "add_cpu.part.0"
	.asciz "acpi_rsdp_valid"
	.asciz "acpi_scan_rsdp"
	.asciz "acpi_find_s5"
	.asciz "acpi_parse"
	.asciz "word_is"
	.asciz "exit_action_name"
	.asciz "options_parse"
	.asciz "wait_lsr"
	.asciz "console_init"
	.asciz "console_write"
	.asciz "console_flush"
	.asciz "console_peek"
	.asciz "console_getc"
	.asciz "cpu_set_stop_hook"
	.asciz "cpu_run_stop_hook"
	.asciz "exit_set_action"
	.asciz "exit_resets"
	.asciz "exit_status_name"
	.asciz "run_exit"
	.asciz "put"
	.asciz "put_padded"
	.asciz "format_number"
	.asciz "kvsnprintf"
	.asciz "ksnprintf"
	.asciz "gdt_load"
	.asciz "set_gate"
	.asciz "idt_load"
	.asciz "ksym_lookup"
	.asciz "ksym_find"
	.asciz "reg_read"
	.asciz "reg_write"
	.asciz "lapic_init"
	.asciz "lapic_x2apic"
	.asciz "lapic_id"
	.asciz "lapic_send_ipi"
	.asciz "lapic_eoi"
	.asciz "lapic_reclaim"
	.asciz "legacy_pic_mask_all"
	.asciz "spin_unlock.constprop.0"
	.asciz "spin_lock.constprop.0"
	.asciz "hv_image_range"
	.asciz "memory_print_map"
	.asciz "memory_init"
	.asciz "page_alloc"
	.asciz "page_free"
	.asciz "memory_seal"
	.asciz "memory_free_kib"
	.asciz "memory_text_checksum"
	.asciz "mem_type_name"
	.asciz "mb_copy_bounded"
	.asciz "mb_copy_phys_string"
	.asciz "mb_drop_image_name"
	.asciz "mb_add_mem"
	.asciz "mb_add_mem_merged"
	.asciz "mb_add_module"
	.asciz "boot_info_parse"
	.asciz "mb_parse_v1"
	.asciz "mb_parse_v2"
	.asciz "print_frame"
	.asciz "print_backtrace"
	.asciz "panic_at"
	.asciz "remove_range"
	.asciz "add_range"
	.asciz "pmm_init"
	.asciz "pmm_alloc"
	.asciz "pmm_free"
	.asciz "pmm_restrict"
	.asciz "vprintk.part.0"
	.asciz "printk_release_if_owner"
	.asciz "printk_set_level"
	.asciz "printk_break_lock"
	.asciz "vprintk"
	.asciz "printk"
	.asciz "selftest_fault"
	.asciz "selftest_fault_call"
	.asciz "selftest_panic"
	.asciz "selftest_run"
	.asciz "ap_entry"
	.asciz "wait_call"
	.asciz "spin_lock.constprop.0"
	.asciz "wait_online"
	.asciz "smp_cpu_count"
	.asciz "smp_cpu"
	.asciz "smp_init"
	.asciz "smp_call_all"
	.asciz "smp_call_on"
	.asciz "smp_post"
	.asciz "smp_nmi_stop"
	.asciz "smp_stop_others"
	.asciz "memset"
	.asciz "memcpy"
	.asciz "memmove"
	.asciz "strlen"
	.asciz "time_init"
	.asciz "tsc_hz"
	.asciz "tsc_deadline_us"
	.asciz "delay_us"
	.asciz "trap_handler"
	.asciz "wallclock_init"
	.asciz "wallclock_now_ns"
	.asciz "trap_stub_0"
	.asciz "trap_stub_1"
	.asciz "trap_stub_2"
	.asciz "trap_stub_3"
	.asciz "trap_stub_4"
	.asciz "trap_stub_5"
	.asciz "trap_stub_6"
	.asciz "trap_stub_7"
	.asciz "trap_stub_8"
	.asciz "trap_stub_9"
	.asciz "trap_stub_10"
	.asciz "trap_stub_11"
	.asciz "trap_stub_12"
	.asciz "trap_stub_13"
	.asciz "trap_stub_14"
	.asciz "trap_stub_15"
	.asciz "trap_stub_16"
	.asciz "trap_stub_17"
	.asciz "trap_stub_18"
	.asciz "trap_stub_19"
	.asciz "trap_stub_20"
	.asciz "trap_stub_21"
	.asciz "trap_stub_22"
	.asciz "trap_stub_23"
	.asciz "trap_stub_24"
	.asciz "trap_stub_25"
	.asciz "trap_stub_26"
	.asciz "trap_stub_27"
	.asciz "trap_stub_28"
	.asciz "trap_stub_29"
	.asciz "trap_stub_30"
	.asciz "trap_stub_31"
	.asciz "trap_common"
	.asciz "wake_ipi_entry"
	.asciz "spurious_entry"
	.asciz "table_at"
	.asciz "new_table"
	.asciz "pages_of"
	.asciz "kind_at.part.0"
	.asciz "changes_at"
	.asciz "fill"
	.asciz "ept_build"
	.asciz "ept_pointer"
	.asciz "ept_status_name"
	.asciz "vmcs_single_step_owed"
	.asciz "segment"
	.asciz "control"
	.asciz "control_registers"
	.asciz "data_segments.constprop.0"
	.asciz "vmcs_setup"
	.asciz "vmcs_set_guest_start"
	.asciz "vmcs_set_guest_init"
	.asciz "vmcs_set_guest_parked"
	.asciz "vmcs_set_guest_sipi"
	.asciz "append"
	.asciz "vmx_ctl_cap_msr"
	.asciz "vmx_ctl_compute"
	.asciz "vmx_ctl_describe"
	.asciz "vmx_cr0_fixed_for_guest"
	.asciz "vmx_stop_hook"
	.asciz "probe_cpu.constprop.0"
	.asciz "vmx_cpu_on"
	.asciz "vmx_init_all"
	.asciz "vmx_exit_reason_name"
	.asciz "vmx_instruction_error_name"
	.asciz "vmx_ctl_word_name"
	.asciz "vmx_ctl_bit_name"
	.asciz "vmcs_dump"
	.asciz "vmx_enter"
	.asciz "entry_failed"
	.asciz "vmx_exit_stub"
	.asciz "save_guest"
	.asciz "to_run_loop"
	.asciz "restore_host"
	.asciz "fast_c"
	.asciz "fast_io"
	.asciz "fast_cpuid"
	.asciz "events_raise_exception"
	.asciz "events_raise_vector"
	.asciz "events_highest_vector"
	.asciz "events_take_vector"
	.asciz "exit_cpuid"
	.asciz "update_long_mode"
	.asciz "read_pdptes"
	.asciz "pdptes_for"
	.asciz "write_pdptes"
	.asciz "write_cr0"
	.asciz "exit_cr_access"
	.asciz "exit_decode_io"
	.asciz "exit_decode_cr"
	.asciz "exit_decode_ept_violation"
	.asciz "exit_decode_intr_info"
	.asciz "intr_info_encode"
	.asciz "exit_ept_violation"
	.asciz "exit_ept_misconfig"
	.asciz "exit_hlt"
	.asciz "exit_interrupt_window"
	.asciz "exit_nmi_window"
	.asciz "exit_external_interrupt"
	.asciz "exit_exception_nmi"
	.asciz "exit_init"
	.asciz "exit_sipi"
	.asciz "exit_triple_fault"
	.asciz "exit_preemption_timer"
	.asciz "vcpu_fast_exit"
	.asciz "exit_invd"
	.asciz "read_guest_ram"
	.asciz "mark_entry"
	.asciz "exit_io_other"
	.asciz "exit_io"
	.asciz "vcpu_fast_io"
	.asciz "msr_intercepts_init"
	.asciz "exit_rdmsr"
	.asciz "exit_wrmsr"
	.asciz "exit_vmx_instruction"
	.asciz "exit_xsetbv"
	.asciz "finish"
	.asciz "walk64"
	.asciz "guest_walk"
	.asciz "exit_stats"
	.asciz "exit_vmcall"
	.asciz "ipi_icr_write"
	.asciz "vcpu_kick"
	.asciz "try_read"
	.asciz "print_field"
	.asciz "vmcs_dump_all"
	.asciz "vmx_instruction_failed"
	.asciz "vcpu_stop"
	.asciz "tsc_now"
	.asciz "inject.isra.0"
	.asciz "vcpu_gpr"
	.asciz "vcpu_set_gpr"
	.asciz "vcpu_inject_exception"
	.asciz "vcpu_set_window_exiting"
	.asciz "vcpu_run"
	.asciz "vtimer_add"
	.asciz "vtimer_run"
	.asciz "vm_console_emit"
	.asciz "pic_pending"
	.asciz "pic_int_raised"
	.asciz "rtc_timer_fire"
	.asciz "set_irq"
	.asciz "pic_inta"
	.asciz "uart_timer_fire"
	.asciz "rtc_deadline_check"
	.asciz "rtc_write"
	.asciz "rtc_read"
	.asciz "uart_deadline_check"
	.asciz "uart_write"
	.asciz "vm_guest_exit"
	.asciz "debug_exit"
	.asciz "board_init"
	.asciz "board_attach_vcpu"
	.asciz "board_console_input"
	.asciz "uart_read"
	.asciz "input_timer_fire"
	.asciz "ap_vcpu"
	.asciz "wait_aps.constprop.0"
	.asciz "guest_boot"
	.asciz "place"
	.asciz "load_multiboot"
	.asciz "guest_image_load"
	.asciz "guest_memory_check"
	.asciz "gpa_refusal_name"
	.asciz "parse_hex"
	.asciz "word_eq"
	.asciz "image_spec_parse"
	.asciz "rd32"
	.asciz "put"
	.asciz "mb1_image_parse"
	.asciz "guest_mmap"
	.asciz "mb1_info_build"
	.asciz "ept_virt"
	.asciz "physical_in"
	.asciz "physical_out"
	.asciz "ept_alloc"
	.asciz "vm_create"
	.asciz "vm_create_vcpu"
	.asciz "vm_add_io"
	.asciz "vm_intercept_msr"
	.asciz "guest_ptr"
	.asciz "vm_stop"
	.asciz "debug_exit_io_read"
	.asciz "debug_exit_io_write"
	.asciz "guest_console_init"
	.asciz "guest_console_put"
	.asciz "guest_console_flush"
	.asciz "iobus_init"
	.asciz "iobus_set_unclaimed"
	.asciz "iobus_register"
	.asciz "iobus_status_name"
	.asciz "iobus_find"
	.asciz "iobus_in"
	.asciz "iobus_out"
	.asciz "chip_pending"
	.asciz "chip_input"
	.asciz "chip_ack"
	.asciz "finish"
	.asciz "chip_io_read.part.0"
	.asciz "chip_io_write"
	.asciz "pic_init"
	.asciz "pic_master_io_read"
	.asciz "pic_master_io_write"
	.asciz "pic_slave_io_read"
	.asciz "pic_slave_io_write"
	.asciz "pic_elcr_io_read"
	.asciz "pic_elcr_io_write"
	.asciz "pic_set_irq"
	.asciz "pic_ack"
	.asciz "time_set"
	.asciz "next_alarm"
	.asciz "time_get"
	.asciz "next_event"
	.asciz "catch_up_periodic"
	.asciz "advance.part.0"
	.asciz "data_write"
	.asciz "rtc_init"
	.asciz "rtc_io_read"
	.asciz "rtc_io_write"
	.asciz "rtc_next_deadline"
	.asciz "rtc_days_from_civil"
	.asciz "rtc_tm_to_secs"
	.asciz "rtc_day_of"
	.asciz "rtc_secs_to_tm"
	.asciz "rtc_weekday"
	.asciz "rtc_tm_valid"
	.asciz "rtc_field_decode"
	.asciz "rtc_field_encode"
	.asciz "rtc_hour_decode"
	.asciz "rtc_hour_encode"
	.asciz "timeout_ns"
	.asciz "receive"
	.asciz "tx_shift"
	.asciz "advance_clock"
	.asciz "uart_init"
	.asciz "uart_io_read"
	.asciz "uart_io_write"
	.asciz "uart_tx_pop"
	.asciz "uart_rx_push"
	.asciz "uart_next_deadline"
