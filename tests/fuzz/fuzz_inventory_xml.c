/* fuzz_inventory_xml: FusionInventory / GLPI Agent XML (libxml2 SAX). */
#include "fuzz.h"
#include "inventory.h"
#include "util.h"

static int
on_identity(void *arg, const struct inventory_identity *id)
{
	(void)arg;
	(void)id;
	return 0;
}

static int
on_observe(void *arg, const struct observation *o)
{
	(void)arg;
	(void)o;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inventory_sink sink = { NULL, on_identity, on_observe };
	struct inventory_stats st;
	char err[ERRLEN];

	(void)inventory_xml_parse(data, size, NULL, &sink, &st, err,
	    sizeof(err));
	return 0;
}
