/*
 * script.h: the console run from a file of ':' commands and waits
 * (gridline --script FILE; script.c says the language).
 */
#ifndef GL_SCRIPT_H
#define GL_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

struct console;
struct script;

/* Read and check the whole file: 0, or GL_EIO/GL_EINVAL with
 * "FILE:LINE: what" in err. Nothing runs until script_step. */
int	script_load(const char *path, struct script **out, char *err,
	    size_t len);
void	script_free(struct script *sc);

/* Run the lines that can run at now (console_now_ms); the milliseconds
 * until it wants to be called again, or -1 when the script has ended. */
long	script_step(struct script *sc, struct console *c, uint64_t now);

#endif
