/*
 * test-model.c: the console's case model.
 *
 * The queue is kept in order incrementally (changed cases merged back in)
 * rather than re-sorted on every event; this test drives two models with
 * the same random stream of new cases and changes, forces the second to
 * sort from scratch every time, and demands the same queue from both, in
 * every sort order and with a filter on. Also: the index of a case, seq
 * handling of stale versions, closing cases, the counts.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gltime.h"
#include "model.h"

static const char *const states[] = { "reported", "registered",
	"dispatched", "acknowledged", "in_hand", "done", "closed", "returned",
	"voided" };

static json_t *
mkcase(int n, int version, const char *state, int priority, long due)
{
	char	no[32], when[40];

	snprintf(no, sizeof no, "330203-20261124-%05d", n);
	gltime_format(1795000000 + due, GLTIME_CHINA, when, sizeof when);
	return json_pack("{s:s,s:i,s:s,s:i,s:s,s:s,s:s,s:o}", "no", no,
	    "version", version, "state", state, "priority", priority,
	    "summary", "望京路井盖缺失", "township_name", n % 2 ? "西门街道" :
	    "南门街道", "category_name", "窨井盖缺失", "due_at",
	    due != 0 ? json_string(when) : json_null());
}

static int
keep_odd(const struct mcase *c, void *arg)
{
	(void)arg;
	return strcmp(c->township_name, "西门街道") == 0;
}

static void
same_queue(struct model *a, struct model *b)
{
	size_t	i;

	assert_int_equal(model_count(a), model_count(b));
	for (i = 0; i < model_count(a); i++) {
		assert_string_equal(model_at(a, i)->no, model_at(b, i)->no);
		assert_int_equal(model_index(a, model_at(a, i)->no), (long)i);
	}
}

static void
test_incremental_equals_full(void **state)
{
	struct model	*a = model_new(), *b = model_new();
	int		 version[400] = { 0 }, round, k, n, by, filt;

	(void)state;
	srand(7);
	for (round = 0; round < 300; round++) {
		by = round / 100;		/* each order in turn */
		filt = round % 50 >= 25;	/* filter on half the time */
		for (k = 0; k < 1 + rand() % 20; k++) {
			json_t *o;

			n = rand() % 400;
			version[n]++;
			o = mkcase(n, version[n], states[rand() % 9],
			    1 + rand() % 3, rand() % 3 ? (rand() % 100000) : 0);
			model_put(a, o, 1);
			model_put(b, o, 1);
			json_decref(o);
		}
		if (round % 25 == 0)
			model_set_filter(a, filt ? keep_odd : NULL, NULL);
		model_set_filter(b, filt ? keep_odd : NULL, NULL);
		model_sort(a, (enum model_sort)by, 0);
		model_sort(b, (enum model_sort)by, 0);
		while (model_filter_more(a) || model_filter_more(b))
			;	/* a filter may run in slices */
		same_queue(a, b);
	}
	model_free(a);
	model_free(b);
}

static void
test_versions_and_close(void **state)
{
	struct model		*m = model_new();
	struct model_counts	 n;
	json_t			*o;

	(void)state;
	o = mkcase(1, 3, "dispatched", 1, 100);
	model_put(m, o, 1);
	json_decref(o);
	o = mkcase(1, 2, "registered", 1, 0);	/* older news: ignored */
	model_put(m, o, 1);
	json_decref(o);
	model_sort(m, SORT_DUE, 0);
	assert_int_equal(model_get(m, "330203-20261124-00001")->version, 3);
	o = mkcase(2, 1, "reported", 2, 0);
	model_put(m, o, 1);
	json_decref(o);
	model_sort(m, SORT_DUE, 0);
	assert_int_equal(model_count(m), 2);
	model_counts(m, 1795000000 + 200, &n);
	assert_int_equal(n.open, 2);
	assert_int_equal(n.fresh, 1);
	assert_int_equal(n.overdue, 1);		/* due at +100, now +200 */
	o = mkcase(1, 4, "closed", 1, 100);
	model_put(m, o, 1);
	json_decref(o);
	model_sort(m, SORT_DUE, 0);
	assert_int_equal(model_count(m), 1);
	assert_int_equal(model_index(m, "330203-20261124-00001"), -1);
	model_counts(m, 1795000000 + 200, &n);
	assert_int_equal(n.open, 1);
	assert_int_equal(n.overdue, 0);
	model_free(m);
}

/* A filter over more cases than one slice: the first slice comes at once
 * and in order, the rest in further slices, the end the same as whole. */
static void
test_filter_in_slices(void **state)
{
	struct model	*m = model_new();
	size_t		 first, i;
	int		 n;

	(void)state;
	for (n = 0; n < 40000; n++) {
		json_t *o = mkcase(n, 1, "dispatched", 1 + n % 3, 1000 + n);

		model_put(m, o, 0);
		json_decref(o);
	}
	model_sort(m, SORT_DUE, 0);
	assert_false(model_pending(m));
	assert_int_equal(model_count(m), 40000);
	model_set_filter(m, keep_odd, NULL);
	model_sort(m, SORT_DUE, 0);
	assert_true(model_pending(m));
	first = model_count(m);
	assert_true(first > 0 && first < 20000);
	while (model_filter_more(m))
		;
	assert_int_equal(model_count(m), 20000);
	for (i = 1; i < model_count(m); i++)	/* due order kept */
		assert_true(model_at(m, i - 1)->due_at <= model_at(m, i)->due_at);
	model_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_incremental_equals_full),
		cmocka_unit_test(test_versions_and_close),
		cmocka_unit_test(test_filter_in_slices),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
