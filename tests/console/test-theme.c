/*
 * test-theme.c: the shipped themes load without a problem, each gives
 * every role a style that still differs from the others without colour
 * (so NO_COLOR loses no meaning), and themes/default.theme says what the
 * built-in default says (the console falls back to it when the theme files
 * are not installed).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf.h"

static const char *const themes[] = { "default", "light", "high-contrast",
	"monochrome" };

/* Roles whose meaning must show without colour. */
static const int meaningful[] = { ROLE_OVERDUE, ROLE_DUE_SOON, ROLE_URGENT,
	ROLE_NEW, ROLE_DISPUTED };

static void
test_themes_load(void **state)
{
	struct role_style	 st[ROLE__COUNT];
	char			*text = NULL;
	size_t			 len = 0, i, a, b;
	FILE			*errs;

	(void)state;
	for (i = 0; i < sizeof themes / sizeof themes[0]; i++) {
		errs = open_memstream(&text, &len);
		assert_non_null(errs);
		if (theme_load(themes[i], st, errs) != 0) {
			fclose(errs);
			fail_msg("theme %s: %s", themes[i], text);
		}
		fclose(errs);
		assert_int_equal(len, 0);
		free(text);
		text = NULL;
		for (a = 0; a < sizeof meaningful / sizeof meaningful[0]; a++)
			for (b = a + 1; b < sizeof meaningful /
			    sizeof meaningful[0]; b++)
				if (st[meaningful[a]].mono ==
				    st[meaningful[b]].mono)
					fail_msg("theme %s: roles %d and %d "
					    "look the same without colour",
					    themes[i], meaningful[a],
					    meaningful[b]);
	}
}

static void
test_default_matches_builtin(void **state)
{
	struct role_style	builtin[ROLE__COUNT], file[ROLE__COUNT];
	int			i;

	(void)state;
	theme_default(builtin);
	assert_int_equal(theme_load("default", file, stderr), 0);
	for (i = 0; i < ROLE__COUNT; i++) {
		assert_int_equal(builtin[i].fg, file[i].fg);
		assert_int_equal(builtin[i].bg, file[i].bg);
		assert_int_equal(builtin[i].attrs, file[i].attrs);
		assert_int_equal(builtin[i].mono, file[i].mono);
	}
}

static void
test_unknown_theme(void **state)
{
	struct role_style	st[ROLE__COUNT];
	char			*text = NULL;
	size_t			 len = 0;
	FILE			*errs = open_memstream(&text, &len);

	(void)state;
	assert_int_equal(theme_load("no-such-theme", st, errs), -1);
	fclose(errs);
	assert_non_null(strstr(text, "no-such-theme"));
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_themes_load),
		cmocka_unit_test(test_default_matches_builtin),
		cmocka_unit_test(test_unknown_theme),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
