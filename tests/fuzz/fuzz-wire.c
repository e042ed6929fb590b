/*
 * fuzz-wire.c: libFuzzer target for the ingest codec (net/server/wire.c).
 *
 * Every input is decoded as a request, results are filled in for the
 * accepted items the way the server would (alternately plain, duplicate and
 * replayed, so both halves of the reply are built), and the reply is parsed
 * back with jansson: it must always be JSON, an object with an "ok" member,
 * and with "results" exactly when the request as a whole was read. Any
 * other outcome aborts, which libFuzzer reports as a crash; ASan and UBSan
 * catch the rest. The clock is fixed so that runs are reproducible.
 *
 * Build and run (the corpus is copied so the fuzzer's finds stay out of the
 * tree):
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -Icore -Inet/server \
 *       -D_DEFAULT_SOURCE tests/fuzz/fuzz-wire.c net/server/wire.c core/utf8.c \
 *       core/gltime.c core/error.c -ljansson -o /tmp/fuzz-wire
 *   cp -r tests/fuzz/corpus/wire /tmp/corpus-wire
 *   /tmp/fuzz-wire -max_total_time=60 /tmp/corpus-wire
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "wire.h"

#define FUZZ_NOW	((time_t)1795000000)

/* Fill the results of accepted items as the server would. */
static void
fuzz_results(struct wire_ingest *w)
{
	struct store_created	*r;
	size_t			 i;

	for (i = 0; i < w->n; i++) {
		if (w->items[i].err.code[0] != '\0')
			continue;
		r = &w->items[i].result;
		r->id = (int64_t)i + 1;
		snprintf(r->no, sizeof r->no, "330203-20261118-%05zu", i + 1);
		if (i % 3 == 1) {
			r->duplicate_of = 1;
			snprintf(r->duplicate_no, sizeof r->duplicate_no,
			    "330203-20261118-00001");
		}
		r->replayed = i % 3 == 2;
		if (i % 5 == 4)
			wire_item_fail(&w->items[i], "unknown_grid", "grid",
			    "grid %s: unknown", w->items[i].in.grid);
	}
}

/* Abort unless reply s has the shape wire.h promises. */
static void
fuzz_check_reply(const char *s, int rc, size_t n)
{
	json_error_t	 jerr;
	json_t		*r, *res;

	if (s == NULL)
		abort();
	if ((r = json_loads(s, 0, &jerr)) == NULL) {
		fprintf(stderr, "reply is not JSON (%s): %s\n", jerr.text, s);
		abort();
	}
	res = json_object_get(r, "results");
	if (!json_is_object(r) || !json_is_boolean(json_object_get(r, "ok")))
		abort();
	if (rc == 0 && (!json_is_array(res) || json_array_size(res) != n))
		abort();
	if (rc != 0 && (res != NULL ||
	    !json_is_object(json_object_get(r, "error"))))
		abort();
	json_decref(r);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct wire_ingest	 w;
	char			*s;
	int			 rc;

	rc = wire_ingest_decode((const char *)data, size, WIRE_MAX_MESSAGE,
	    FUZZ_NOW, &w);
	if (rc == 0)
		fuzz_results(&w);
	s = wire_ingest_reply(&w);
	fuzz_check_reply(s, rc, w.n);
	free(s);
	wire_ingest_free(&w);
	return 0;
}
