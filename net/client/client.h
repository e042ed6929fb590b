/*
 * client.h: talking to a server's control socket.
 *
 * Used by `gridline ctl` (and the console, later) to send one JSON request
 * and wait for its reply. A client finds its server by the run directory;
 * with autostart it starts one in the background when none holds the run
 * directory's lock, as tmux does: check the lock, start `gridline serve
 * --daemon`, which returns only once it serves, check again (another
 * client may have won the race; then its server is ours too).
 */
#ifndef GL_CLIENT_H
#define GL_CLIENT_H

#include <stddef.h>

#include <jansson.h>

struct client;

/* Connect to the server of run_dir. With autostart, start one (running
 * `exe serve --daemon --run-dir run_dir`) when none runs. Free with
 * client_close. 0, or GL_E* with a message. */
int	client_open(const char *run_dir, int autostart, const char *exe,
	    struct client **out, char *err, size_t errlen);
void	client_close(struct client *c);

/* Make sure a server runs on run_dir, starting `exe serve --daemon` when
 * none does (*started says whether it did, when not NULL). 0 or GL_E*
 * with a message. */
int	client_ensure_server(const char *run_dir, const char *exe,
	    int *started, char *err, size_t errlen);

/* Send req and wait up to timeout_ms for the reply (a new reference in
 * *reply). GL_EIO on a timeout (no server answered) or a bad reply. */
int	client_request(struct client *c, json_t *req, int timeout_ms,
	    json_t **reply, char *err, size_t errlen);

/* Sign every request from now on as id (borrowed); NULL: unsigned. */
struct sign_id;
void	client_set_identity(struct client *c, const struct sign_id *id);

#endif
