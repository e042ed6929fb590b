/*
 * keys.h: the key table: keys bound to command strings.
 *
 * As in tmux, the defaults are the same `bind KEY COMMAND` lines a user
 * writes in gridline.conf, so there is one way to bind a key and the help
 * screen is generated from the table.
 */
#ifndef GL_KEYS_H
#define GL_KEYS_H

#include <stddef.h>
#include <wchar.h>

#define KEYS_MAX	128

struct key_binding {
	int	code;		/* character or curses KEY_ code */
	int	is_keycode;
	char	name[32];	/* as written: "d", "Enter", "PageDown" */
	char	cmd[128];
};

struct keymap {
	struct key_binding	b[KEYS_MAX];
	size_t			n;
};

/* The defaults. */
void	keys_init(struct keymap *km);
/* "bind KEY COMMAND" or "unbind KEY"; 0, or -1 with a message in err. */
int	keys_line(struct keymap *km, const char *line, char *err,
	    size_t errlen);
/* The command bound to a key, or NULL. */
const char *keys_lookup(const struct keymap *km, wint_t key, int is_keycode);

#endif
