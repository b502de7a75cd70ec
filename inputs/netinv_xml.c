/*
 * netinv_xml: a NETDISCOVERY / SNMPQUERY document into a jansson tree
 * through libxml2's SAX2 interface, so that netinv.c reads the XML and
 * the GLPI JSON of a network inventory with one walker.  Tag names become
 * lower-case keys (as GLPI's converter does), a repeated element an
 * array, an element without children its text (cut to max_value), one
 * with children an object (its own text dropped).  No DTD, no entities,
 * libxml2's limits, and the element and depth limits of the caller.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "inventory_int.h"
#include "netinv.h"
#include "util.h"
#include "xmlsax.h"

#define MAX_TAG	64

struct frame {
	char		 key[MAX_TAG];
	json_t		*obj;		/* children, or NULL */
	struct strbuf	 text;
};

struct tstate {
	struct xmlsax			 x;	/* first: the handlers' data */
	const struct inventory_limits	*lim;
	struct frame			*fr;	/* lim->max_depth + 1 */
	unsigned			 depth;
	size_t				 elements;
	size_t				 truncated;
	json_t				*root;
};

static void tfail(struct tstate *, const char *, ...) PRINTF_LIKE(2, 3);

static void
tfail(struct tstate *ts, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	xmlsax_vfail(&ts->x, fmt, ap);
	va_end(ap);
}

static void
on_start(void *arg, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri, int nns, const xmlChar **ns, int nattr,
    int ndefaulted, const xmlChar **attrs)
{
	struct tstate *ts = arg;
	const char *name = (const char *)localname;
	struct frame *f;
	size_t i, n = strlen(name);

	(void)prefix;
	(void)uri;
	(void)nns;
	(void)ns;
	(void)nattr;
	(void)ndefaulted;
	(void)attrs;
	if (ts->x.failed)
		return;
	if (++ts->elements > ts->lim->max_elements) {
		tfail(ts, "more than %zu elements", ts->lim->max_elements);
		return;
	}
	if (ts->depth + 1 > ts->lim->max_depth) {
		tfail(ts, "elements nested deeper than %u", ts->lim->max_depth);
		return;
	}
	if (ts->depth == 0 && strcmp(name, "REQUEST") != 0) {
		tfail(ts, "not a network inventory: root element <%.40s>",
		    name);
		return;
	}
	if (n >= MAX_TAG) {
		tfail(ts, "element name longer than %d bytes", MAX_TAG - 1);
		return;
	}
	f = &ts->fr[++ts->depth];
	for (i = 0; i <= n; i++)
		f->key[i] = (char)tolower((unsigned char)name[i]);
	f->obj = NULL;
	strbuf_reset(&f->text);
	f->text.truncated = 0;
}

static void
on_text(void *arg, const xmlChar *s, int n)
{
	struct tstate *ts = arg;
	struct frame *f;

	if (ts->x.failed || ts->depth == 0 || n <= 0)
		return;
	f = &ts->fr[ts->depth];
	if (f->obj != NULL)
		return;		/* mixed content: the text is dropped */
	if (strbuf_add(&f->text, (const char *)s, (size_t)n) != 0 &&
	    f->text.oom)
		tfail(ts, "out of memory");
}

/* Adds v (reference stolen) under key to obj: a second one makes an array. */
static int
add_member(json_t *obj, const char *key, json_t *v)
{
	json_t *old = json_object_get(obj, key), *arr;

	if (old == NULL)
		return json_object_set_new(obj, key, v);
	if (json_is_array(old))
		return json_array_append_new(old, v);
	arr = json_array();
	if (arr == NULL || json_array_append(arr, old) != 0 ||
	    json_array_append_new(arr, v) != 0) {
		json_decref(arr);
		json_decref(v);
		return -1;
	}
	return json_object_set_new(obj, key, arr);
}

static void
on_end(void *arg, const xmlChar *localname, const xmlChar *prefix,
    const xmlChar *uri)
{
	struct tstate *ts = arg;
	struct frame *f, *up;
	json_t *v;

	(void)localname;
	(void)prefix;
	(void)uri;
	if (ts->x.failed || ts->depth == 0)
		return;
	f = &ts->fr[ts->depth];
	if (f->obj != NULL) {
		v = f->obj;
		f->obj = NULL;
	} else {
		inventory_utf8_cut(&f->text);
		if (f->text.truncated)
			ts->truncated++;
		v = json_stringn(f->text.len > 0 ? f->text.s : "",
		    f->text.len);
	}
	if (v == NULL) {
		tfail(ts, "out of memory");
		return;
	}
	ts->depth--;
	if (ts->depth == 0) {
		json_decref(ts->root);
		ts->root = v;
		return;
	}
	up = &ts->fr[ts->depth];
	if (up->obj == NULL) {
		up->obj = json_object();
		if (up->obj == NULL) {
			json_decref(v);
			tfail(ts, "out of memory");
			return;
		}
	}
	if (add_member(up->obj, f->key, v) != 0)
		tfail(ts, "out of memory");
}

static void
tstate_clear(struct tstate *ts)
{
	unsigned i;

	for (i = 0; i <= ts->lim->max_depth; i++) {
		json_decref(ts->fr[i].obj);
		ts->fr[i].obj = NULL;
		strbuf_free(&ts->fr[i].text);
	}
	free(ts->fr);
	ts->fr = NULL;
	json_decref(ts->root);
	ts->root = NULL;
}

static int
tstate_init(struct tstate *ts, const struct inventory_limits *lim)
{
	unsigned i;

	memset(ts, 0, sizeof(*ts));
	ts->lim = lim;
	ts->fr = calloc((size_t)lim->max_depth + 1, sizeof(*ts->fr));
	if (ts->fr == NULL)
		return -1;
	for (i = 0; i <= lim->max_depth; i++)
		ts->fr[i].text = (struct strbuf)STRBUF_INIT(lim->max_value);
	return 0;
}

static int
parse_once(struct tstate *ts, const void *buf, size_t len, int latin1)
{
	static const struct xmlsax_handlers hd = {
		on_start, on_end, on_text
	};

	if (xmlsax_parse(&ts->x, ts, buf, len, latin1, &hd) != 0)
		return -1;
	if (ts->root == NULL || !json_is_object(ts->root)) {
		errf(ts->x.err, sizeof(ts->x.err), "not a network inventory: "
		    "an empty REQUEST");
		ts->x.failed = 1;
		return -1;
	}
	return 0;
}

int
netinv_xml_tree(const void *buf, size_t len,
    const struct inventory_limits *lim, json_t **root, size_t *truncated,
    int *latin1, char *err, size_t errlen)
{
	struct tstate ts;
	int code;

	*root = NULL;
	*truncated = 0;
	*latin1 = 0;
	if (len > (size_t)INT32_MAX)
		return errf(err, errlen, "inventory too large");
	if (tstate_init(&ts, lim) != 0) {
		free(ts.fr);
		return errf(err, errlen, "out of memory");
	}
	if (parse_once(&ts, buf, len, 0) != 0) {
		code = ts.x.xml_code;
		if (code != XML_ERR_INVALID_CHAR &&
		    code != XML_ERR_INVALID_ENCODING) {
			errf(err, errlen, "%s", ts.x.err);
			tstate_clear(&ts);
			return -1;
		}
		/* Not UTF-8: read it again as ISO-8859-1 (inventory.h). */
		errf(err, errlen, "%s", ts.x.err);
		tstate_clear(&ts);
		if (tstate_init(&ts, lim) != 0) {
			free(ts.fr);
			return errf(err, errlen, "out of memory");
		}
		if (parse_once(&ts, buf, len, 1) != 0) {
			tstate_clear(&ts);
			return -1;	/* the first error */
		}
		*latin1 = 1;
	}
	*root = ts.root;
	ts.root = NULL;
	*truncated = ts.truncated;
	tstate_clear(&ts);
	return 0;
}
