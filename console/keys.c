/*
 * keys.c: the key table (see keys.h).
 */
#include <stdio.h>
#include <string.h>

#include <curses.h>

#include "keys.h"

static const char *const keys_default[] = {
	/* moving, in every view */
	"bind j down", "bind Down down", "bind k up", "bind Up up",
	"bind PageDown page-down", "bind PageUp page-up", "bind g top",
	"bind Home top", "bind G bottom", "bind End bottom",
	"bind Enter view", "bind l view", "bind Right view",
	/* backing out: the view on top closes; only q leaves, and asks */
	"bind Escape back", "bind h back", "bind Left back", "bind BSpace back",
	"bind q quit",
	/* views and finding */
	"bind ? help", "bind F1 help", "bind : prompt", "bind / search",
	"bind n next", "bind N prev", "bind s sort", "bind f prompt filter ",
	"bind b board", "bind P report", "bind F finished", "bind M messages",
	"bind C-l prompt case ",
	/* the lifecycle, one key each */
	"bind r register", "bind d dispatch", "bind D dispatch --pick",
	"bind a acknowledge", "bind t start", "bind o feedback",
	"bind v verify", "bind w rework", "bind c close", "bind x return",
	"bind e escalate", "bind p press", "bind X void", "bind m merge",
	"bind u unmerge", "bind z park", "bind Z unpark", "bind E extend",
	"bind + extend_grant", "bind - extend_refuse", "bind R reopen",
};

struct keyname {
	const char	*name;
	int		 code;
	int		 is_keycode;
};

static const struct keyname keynames[] = {
	{ "Up", KEY_UP, 1 }, { "Down", KEY_DOWN, 1 },
	{ "Left", KEY_LEFT, 1 }, { "Right", KEY_RIGHT, 1 },
	{ "PageUp", KEY_PPAGE, 1 }, { "PageDown", KEY_NPAGE, 1 },
	{ "Home", KEY_HOME, 1 }, { "End", KEY_END, 1 },
	{ "BSpace", KEY_BACKSPACE, 1 }, { "DC", KEY_DC, 1 },
	{ "IC", KEY_IC, 1 }, { "BTab", KEY_BTAB, 1 },
	{ "F1", KEY_F(1), 1 }, { "F2", KEY_F(2), 1 }, { "F3", KEY_F(3), 1 },
	{ "F4", KEY_F(4), 1 }, { "F5", KEY_F(5), 1 }, { "F6", KEY_F(6), 1 },
	{ "F7", KEY_F(7), 1 }, { "F8", KEY_F(8), 1 }, { "F9", KEY_F(9), 1 },
	{ "F10", KEY_F(10), 1 }, { "F11", KEY_F(11), 1 },
	{ "F12", KEY_F(12), 1 },
	{ "Enter", '\r', 0 }, { "Escape", 27, 0 }, { "Tab", '\t', 0 },
	{ "Space", ' ', 0 },
};

/* The code of a key name: a listed name, or one ASCII character. */
static int
keys_parse(const char *name, int *code, int *is_keycode)
{
	size_t	i;

	for (i = 0; i < sizeof keynames / sizeof keynames[0]; i++)
		if (strcmp(name, keynames[i].name) == 0) {
			*code = keynames[i].code;
			*is_keycode = keynames[i].is_keycode;
			return 0;
		}
	/* C-x: the control character of a letter (C-m is Enter, C-i Tab) */
	if (strncmp(name, "C-", 2) == 0 && name[2] != '\0' && name[3] == '\0' &&
	    ((name[2] >= 'a' && name[2] <= 'z') || (name[2] >= 'A' &&
	    name[2] <= 'Z'))) {
		*code = (name[2] | 0x20) - 'a' + 1;
		*is_keycode = 0;
		return 0;
	}
	if (name[0] != '\0' && name[1] == '\0' && (unsigned char)name[0] > 32 &&
	    (unsigned char)name[0] < 127) {
		*code = (unsigned char)name[0];
		*is_keycode = 0;
		return 0;
	}
	return -1;
}

static struct key_binding *
keys_find(struct keymap *km, int code, int is_keycode)
{
	size_t	i;

	for (i = 0; i < km->n; i++)
		if (km->b[i].code == code && km->b[i].is_keycode == is_keycode)
			return &km->b[i];
	return NULL;
}

int
keys_line(struct keymap *km, const char *line, char *err, size_t errlen)
{
	char			 verb[16], name[32], cmd[128] = "";
	struct key_binding	*b;
	int			 code, kc, n;

	n = sscanf(line, "%15s %31s %127[^\n]", verb, name, cmd);
	if (n < 2 || (strcmp(verb, "bind") == 0 && n < 3) ||
	    (strcmp(verb, "bind") != 0 && strcmp(verb, "unbind") != 0)) {
		snprintf(err, errlen, "expected 'bind KEY COMMAND' or "
		    "'unbind KEY'");
		return -1;
	}
	if (keys_parse(name, &code, &kc) != 0) {
		snprintf(err, errlen, "unknown key '%s'", name);
		return -1;
	}
	b = keys_find(km, code, kc);
	if (strcmp(verb, "unbind") == 0) {
		if (b != NULL)
			*b = km->b[--km->n];
		return 0;
	}
	if (b == NULL) {
		if (km->n == KEYS_MAX) {
			snprintf(err, errlen, "too many key bindings");
			return -1;
		}
		b = &km->b[km->n++];
	}
	b->code = code;
	b->is_keycode = kc;
	snprintf(b->name, sizeof b->name, "%s", name);
	snprintf(b->cmd, sizeof b->cmd, "%s", cmd);
	return 0;
}

void
keys_init(struct keymap *km)
{
	char	err[128];
	size_t	i;

	km->n = 0;
	for (i = 0; i < sizeof keys_default / sizeof keys_default[0]; i++)
		keys_line(km, keys_default[i], err, sizeof err);
}

const char *
keys_lookup(const struct keymap *km, wint_t key, int is_keycode)
{
	size_t	i;

	if (!is_keycode && key == '\n')
		key = '\r';		/* Enter arrives as either */
	if (!is_keycode && (key == 127 || key == 8)) {
		key = KEY_BACKSPACE;	/* and Backspace as any of three */
		is_keycode = 1;
	}
	for (i = 0; i < km->n; i++)
		if (km->b[i].code == (int)key &&
		    km->b[i].is_keycode == is_keycode)
			return km->b[i].cmd;
	return NULL;
}
