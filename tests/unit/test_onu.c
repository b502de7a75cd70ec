/*
 * test_onu: GPON serials as OLTs write them (onu_serial()).  onu_run()
 * is driven end to end by tests/integration/t_detect.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>

#include "onu.h"
#include "util.h"

static void
expect_serial(const char *v, size_t len, const char *text, const char *vid)
{
	char t[ONU_SERIAL_MAX], d[5];

	assert_int_equal(onu_serial((const unsigned char *)v, len, t, d), 0);
	assert_string_equal(t, text);
	assert_string_equal(d, vid);
}

static void
expect_bad(const char *v, size_t len)
{
	char t[ONU_SERIAL_MAX], d[5];

	assert_int_equal(onu_serial((const unsigned char *)v, len, t, d), -1);
	assert_string_equal(t, "");
	assert_string_equal(d, "");
}

static void
test_serial_forms(void **state)
{
	(void)state;
	/* 8 octets (HUAWEI-XPON-MIB hwGponDeviceOntSn). */
	expect_serial("HWTC\xa1\xb2\xc3\xd4", 8, "HWTCA1B2C3D4", "HWTC");
	/* Their 16 hex digits, either case. */
	expect_serial("5a544547da5918ac", 16, "ZTEGDA5918AC", "ZTEG");
	/* The 12-character text form. */
	expect_serial("ZTEG12345678", 12, "ZTEG12345678", "ZTEG");
	expect_serial("FHTTc0ffee01", 12, "FHTTC0FFEE01", "FHTT");
}

static void
test_serial_bad(void **state)
{
	(void)state;
	expect_bad(NULL, 8);
	expect_bad("HWTC\xa1\xb2\xc3", 7);
	/* The vendor id is 4 upper-case letters or digits. */
	expect_bad("hwtc\xa1\xb2\xc3\xd4", 8);
	expect_bad("HW\x01" "C\xa1\xb2\xc3\xd4", 8);
	expect_bad("5a54454zda5918ac", 16);
	expect_bad("ZTEG1234567X", 12);
	expect_bad("", 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_serial_forms),
		cmocka_unit_test(test_serial_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
