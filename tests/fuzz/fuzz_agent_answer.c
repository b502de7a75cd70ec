/*
 * fuzz_agent_answer: an inventory agent's answer as libcurl hands it over
 * -- header lines, then the body in pieces -- through the bounded,
 * inflating receiver (agent_proto.c).  Input: header lines up to the first
 * empty line ("\r\n\r\n" or "\n\n"), then the body, fed in chunks whose
 * sizes come from the first byte.
 */
#include <string.h>

#include "agent.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agent_resp r;
	const uint8_t *p, *end = data + size, *nl;
	size_t chunk, n;
	char line[512];

	if (size < 1)
		return 0;
	memset(&r, 0, sizeof(r));
	agent_resp_reset(&r, 1u << 20, data[0] & 1);
	chunk = (size_t)(data[0] >> 1) + 1;
	for (p = data + 1; p < end;) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) + 1 : (size_t)(end - p);
		if (n > sizeof(line))
			n = sizeof(line);
		memcpy(line, p, n);
		p += n;
		if (agent_resp_header(line, 1, n, &r) != n)
			goto out;
		if (n <= 2 && (line[0] == '\n' || line[0] == '\r'))
			break;
	}
	while (p < end) {
		n = (size_t)(end - p) < chunk ? (size_t)(end - p) : chunk;
		if (agent_resp_write((char *)(uintptr_t)p, 1, n, &r) != n)
			break;
		p += n;
	}
out:
	agent_resp_free(&r);
	return 0;
}
