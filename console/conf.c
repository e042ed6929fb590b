/*
 * conf.c: the config file and the theme files (see conf.h).
 *
 * Both are line files read with one helper. The built-in default theme is
 * the same table as themes/default.theme, so the console still has its
 * colours when the theme files are not installed; the test of the theme
 * files checks that the two agree.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "conf.h"
#include "view.h"

static const char *const role_names[ROLE__COUNT] = {
	[ROLE_NORMAL] = "normal", [ROLE_BAR] = "bar",
	[ROLE_SELECTED] = "selected", [ROLE_OVERDUE] = "overdue",
	[ROLE_DUE_SOON] = "due-soon", [ROLE_URGENT] = "urgent",
	[ROLE_NEW] = "new", [ROLE_DISPUTED] = "disputed", [ROLE_DIM] = "dim",
	[ROLE_ERROR] = "error",
};

static const struct role_style role_builtin[ROLE__COUNT] = {
	[ROLE_NORMAL] =	  { -1, -1, 0, 0 },
	[ROLE_BAR] =	  { COLOR_BLACK, COLOR_CYAN, 0, A_REVERSE },
	[ROLE_SELECTED] = { -1, -1, A_REVERSE, A_REVERSE },
	[ROLE_OVERDUE] =  { COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE },
	[ROLE_DUE_SOON] = { COLOR_YELLOW, -1, 0, A_UNDERLINE },
	[ROLE_URGENT] =	  { COLOR_RED, -1, 0, A_BOLD },
	[ROLE_NEW] =	  { COLOR_GREEN, -1, A_BOLD, A_BOLD | A_DIM },
	[ROLE_DISPUTED] = { COLOR_MAGENTA, -1, A_BOLD, A_UNDERLINE | A_DIM },
	[ROLE_DIM] =	  { -1, -1, A_DIM, A_DIM },
	[ROLE_ERROR] =	  { COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_REVERSE },
};

struct name_value {
	const char	*name;
	int		 value;
};

static const struct name_value colours[] = {
	{ "default", -1 }, { "black", COLOR_BLACK }, { "red", COLOR_RED },
	{ "green", COLOR_GREEN }, { "yellow", COLOR_YELLOW },
	{ "blue", COLOR_BLUE }, { "magenta", COLOR_MAGENTA },
	{ "cyan", COLOR_CYAN }, { "white", COLOR_WHITE },
};

static const struct name_value attrs[] = {
	{ "none", 0 }, { "bold", A_BOLD }, { "underline", A_UNDERLINE },
	{ "reverse", A_REVERSE }, { "dim", A_DIM },
};

void
theme_default(struct role_style *styles)
{
	memcpy(styles, role_builtin, sizeof role_builtin);
}

static int
lookup(const struct name_value *t, size_t n, const char *name, int *out)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strcmp(t[i].name, name) == 0) {
			*out = t[i].value;
			return 0;
		}
	return -1;
}

/* "bold,underline" into an attribute set. */
static int
parse_attrs(const char *s, attr_t *out)
{
	char	buf[128], *p, *tok;
	int	v;

	snprintf(buf, sizeof buf, "%s", s);
	*out = 0;
	for (p = buf; (tok = strsep(&p, ",")) != NULL;) {
		if (lookup(attrs, sizeof attrs / sizeof attrs[0], tok, &v) != 0)
			return -1;
		*out |= (attr_t)v;
	}
	return 0;
}

/* One theme line into styles; NULL, or what is wrong. */
static const char *
theme_line(const char *line, struct role_style *styles)
{
	char	role[32], fg[32], bg[32], a[64], mono[64] = "";
	int	n, r, f, b;
	attr_t	at, mo;

	n = sscanf(line, "%31s %31s %31s %63s %63s", role, fg, bg, a, mono);
	if (n < 4)
		return "expected ROLE FOREGROUND BACKGROUND ATTRIBUTES [MONO]";
	for (r = 0; r < ROLE__COUNT && strcmp(role, role_names[r]) != 0; r++)
		;
	if (r == ROLE__COUNT)
		return "unknown role";
	if (lookup(colours, sizeof colours / sizeof colours[0], fg, &f) != 0 ||
	    lookup(colours, sizeof colours / sizeof colours[0], bg, &b) != 0)
		return "unknown colour";
	if (parse_attrs(a, &at) != 0 || (n == 5 && parse_attrs(mono, &mo)))
		return "unknown attribute";
	styles[r].fg = (short)f;
	styles[r].bg = (short)b;
	styles[r].attrs = at;
	styles[r].mono = n == 5 ? mo : at;
	return NULL;
}

/* Read path line by line through fn; count problems to errs. */
static int
read_lines(const char *path, FILE *fp, FILE *errs, void *arg,
    const char *(*fn)(void *arg, const char *line))
{
	char		 line[1024];
	const char	*bad;
	long		 n = 0;
	int		 problems = 0;
	size_t		 len;

	while (fgets(line, sizeof line, fp) != NULL) {
		n++;
		len = strcspn(line, "\r\n");
		line[len] = '\0';
		len = strspn(line, " \t");
		if (line[len] == '\0' || line[len] == '#')
			continue;
		if ((bad = fn(arg, line + len)) != NULL) {
			fprintf(errs, "%s:%ld: %s\n", path, n, bad);
			problems++;
		}
	}
	return problems;
}

static const char *
theme_fn(void *arg, const char *line)
{
	return theme_line(line, arg);
}

int
theme_load(const char *name, struct role_style *styles, FILE *errs)
{
	static const char *const dirs[] = { GL_THEMEDIR, GL_SRCTHEMEDIR };
	struct role_style	 tmp[ROLE__COUNT];
	char			 path[4096];
	FILE			*fp = NULL;
	size_t			 i;
	int			 problems;

	for (i = 0; i < sizeof dirs / sizeof dirs[0] && fp == NULL; i++) {
		snprintf(path, sizeof path, "%s/%s.theme", dirs[i], name);
		fp = strchr(name, '/') == NULL ? fopen(path, "r") : NULL;
	}
	if (fp == NULL) {
		fprintf(errs, "gridline: no theme '%s' (looked in %s and %s)\n",
		    name, dirs[0], dirs[1]);
		return -1;
	}
	theme_default(tmp);
	problems = read_lines(path, fp, errs, tmp, theme_fn);
	fclose(fp);
	if (problems > 0)
		return -1;
	memcpy(styles, tmp, sizeof tmp);
	return 0;
}

static const char *
conf_fn(void *arg, const char *line)
{
	struct console	*c = arg;
	static char	 err[200];
	char		 opt[32], val[128], verb[16], key[32], cmd[128];

	if (strncmp(line, "bind ", 5) == 0 || strncmp(line, "unbind ", 7) == 0) {
		/* the command is checked now, not when the key is pressed */
		if (sscanf(line, "%15s %31s %127[^\n]", verb, key, cmd) == 3 &&
		    strcmp(verb, "bind") == 0 && !cmd_known(cmd)) {
			snprintf(err, sizeof err, "bind %s: unknown command "
			    "'%s'", key, cmd);
			return err;
		}
		return keys_line(&c->conf.keys, line, err, sizeof err) == 0 ?
		    NULL : err;
	}
	if (sscanf(line, "set %31s %127s", opt, val) != 2)
		return "expected bind, unbind or set";
	if (strcmp(opt, "theme") == 0) {
		snprintf(c->conf.theme, sizeof c->conf.theme, "%s", val);
		return NULL;
	}
	if (strcmp(opt, "columns") == 0)
		return view_queue_columns(&c->conf, val) == 0 ? NULL : "columns "
		    "are number, prio, state, left, township, matter, agency, "
		    "summary, separated by commas";
	if (strcmp(opt, "bell") == 0 || strcmp(opt, "mouse") == 0) {
		if (strcmp(val, "on") != 0 && strcmp(val, "off") != 0) {
			snprintf(err, sizeof err, "%s is on or off", opt);
			return err;
		}
		*(opt[0] == 'b' ? &c->conf.bell : &c->conf.mouse) =
		    strcmp(val, "on") == 0;
		return NULL;
	}
	if (strcmp(opt, "ack-timeout") == 0) {
		char	*end;
		long	 n = strtol(val, &end, 10);
		long	 s = strcmp(end, "s") == 0 ? n : n * 60;

		if ((*end != '\0' && strcmp(end, "m") != 0 &&
		    strcmp(end, "s") != 0) || s < 1 || s > 24 * 3600)
			return "ack-timeout is minutes (30m) or seconds (90s), "
			    "up to a day";
		c->conf.ack_timeout = s;
		return NULL;
	}
	return "unknown option (theme, bell, mouse, columns, ack-timeout)";
}

int
conf_load(struct console *c, FILE *errs)
{
	const char	*env = getenv("GRIDLINE_CONFIG");
	const char	*xdg = getenv("XDG_CONFIG_HOME");
	const char	*home = getenv("HOME");
	char		 path[4096];
	FILE		*fp;
	int		 problems;

	if (env != NULL && env[0] != '\0')
		snprintf(path, sizeof path, "%s", env);
	else if (xdg != NULL && xdg[0] != '\0')
		snprintf(path, sizeof path, "%s/gridline/gridline.conf", xdg);
	else
		snprintf(path, sizeof path, "%s/.config/gridline/gridline.conf",
		    home != NULL ? home : "");
	if ((fp = fopen(path, "r")) == NULL)
		return 0;
	problems = read_lines(path, fp, errs, c, conf_fn);
	fclose(fp);
	return problems;
}

void
conf_setup(struct console *c, struct role_style *styles)
{
	char		*text = NULL, *line, *p, first[512] = "";
	size_t		 len = 0, n = 0;
	FILE		*errs = open_memstream(&text, &len);
	const char	*theme;

	if (errs == NULL)
		return;
	c->conf.ack_timeout = 30 * 60;	/* set ack-timeout changes it */
	conf_load(c, errs);
	if (c->opts.bell)		/* the flag beats the config */
		c->conf.bell = 1;
	theme = c->opts.theme != NULL ? c->opts.theme : c->conf.theme[0] ?
	    c->conf.theme : NULL;
	if (theme != NULL)
		theme_load(theme, styles, errs);
	fclose(errs);
	/* every problem into the messages, for :messages */
	for (p = text; p != NULL && (line = strsep(&p, "\n")) != NULL;) {
		if (line[0] == '\0')
			continue;
		if (n++ == 0)
			snprintf(first, sizeof first, "%s", line);
		console_message(c, ROLE_ERROR, "%s", line);
	}
	free(text);
	if (n == 0)
		return;
	free(c->conf.problems);
	if (n == 1)
		c->conf.problems = strdup(first);
	else if ((c->conf.problems = malloc(sizeof first + 64)) != NULL)
		snprintf(c->conf.problems, sizeof first + 64, "%s (+%zu more: "
		    ":messages lists them)", first, n - 1);
	if (c->conf.problems != NULL)
		console_message(c, ROLE_ERROR, "%s", c->conf.problems);
}
