/*
 * view.c: what all views share (see view.h): making and freeing them, and
 * the moves of list-like views.
 */
#include <stdlib.h>
#include <string.h>

#include "view.h"

struct view *
view_new(const struct view_ops *ops, void *data)
{
	struct view	*v = calloc(1, sizeof *v);

	if (v == NULL) {
		if (ops->free != NULL && data != NULL) {
			struct view tmp = { ops, data, 0, 0 };

			ops->free(&tmp);
		}
		return NULL;
	}
	v->ops = ops;
	v->data = data;
	return v;
}

void
view_free(struct view *v)
{
	if (v == NULL)
		return;
	if (v->ops->free != NULL)
		v->ops->free(v);
	free(v);
}

enum view_move
view_move_of(const char *cmd)
{
	static const struct {
		const char	*cmd;
		enum view_move	 m;
	} moves[] = {
		{ "down", VM_DOWN }, { "up", VM_UP },
		{ "page-down", VM_PAGE_DOWN }, { "page-up", VM_PAGE_UP },
		{ "top", VM_TOP }, { "bottom", VM_BOTTOM }, { "view", VM_OPEN },
	};
	size_t	i;

	if (cmd == NULL)
		return VM_NONE;
	for (i = 0; i < sizeof moves / sizeof moves[0]; i++)
		if (strcmp(cmd, moves[i].cmd) == 0)
			return moves[i].m;
	return VM_NONE;
}

long
view_move_pos(enum view_move m, long pos, long n, long page)
{
	switch (m) {
	case VM_DOWN:		pos++; break;
	case VM_UP:		pos--; break;
	case VM_PAGE_DOWN:	pos += page > 1 ? page - 1 : 1; break;
	case VM_PAGE_UP:	pos -= page > 1 ? page - 1 : 1; break;
	case VM_TOP:		pos = 0; break;
	case VM_BOTTOM:		pos = n - 1; break;
	default:		break;
	}
	if (pos >= n)
		pos = n - 1;
	return pos < 0 ? 0 : pos;
}

int
view_is_back(const char *cmd)
{
	return cmd != NULL && (strcmp(cmd, "back") == 0 ||
	    strcmp(cmd, "quit") == 0);
}
