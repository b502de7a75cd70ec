/* fuzz_oui: a user's MAC registry (IEEE CSV or Wireshark manuf). */
#include "fuzz.h"
#include "oui.h"
#include "util.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oui_registry *reg = NULL;
	const unsigned char mac[6] = { 0x28, 0x57, 0xbe, 0xaa, 0x01, 0x01 };
	char err[ERRLEN];
	const char *org;
	const char *path = fuzz_file(data, size);
	int bits;

	if (path == NULL || oui_open(&reg, err, sizeof(err)) != 0)
		return 0;
	if (oui_load_file(reg, path, err, sizeof(err)) == 0)
		(void)oui_lookup(reg, mac, &org, &bits);
	oui_close(reg);
	return 0;
}
