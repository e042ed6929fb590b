/*
 * paced.c: paced incidents on one REQ socket, each acknowledgement's round
 * trip written out (for test-flood.sh).
 *
 *   paced URL COUNT RATE ID-PREFIX < TEMPLATE > LATENCIES
 *
 * Sends COUNT incidents at RATE a second to URL, one at a time on one
 * connected socket, as a handset or a feeder does: the incident is the
 * template read from stdin with every "@ID@" replaced by ID-PREFIX and a
 * sequence number. Writes one line per incident, its round trip in
 * microseconds, or "-1" when no acknowledgement ("ok":true) came within
 * 5 s. A round trip measured here holds the server's time and nanomsg's,
 * not a process start (nanocat's, one a send, added several milliseconds
 * and most of the jitter on a loaded machine). Late sends are not
 * skipped: each is sent at its own time or, when late, at once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <nanomsg/nn.h>
#include <nanomsg/reqrep.h>

static long long
now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int
main(int argc, char **argv)
{
	char		 tmpl[65536], body[70000], id[64], *at, *rep;
	size_t		 n;
	long		 count, i;
	double		 rate;
	long long	 t0, next, t;
	int		 s, tmo = 5000, len;

	if (argc != 5 || (count = atol(argv[2])) <= 0 ||
	    (rate = atof(argv[3])) <= 0) {
		fprintf(stderr, "usage: paced URL COUNT RATE ID-PREFIX\n");
		return 2;
	}
	n = fread(tmpl, 1, sizeof tmpl - 1, stdin);
	tmpl[n] = '\0';
	if ((at = strstr(tmpl, "@ID@")) == NULL) {
		fprintf(stderr, "paced: the template has no @ID@\n");
		return 2;
	}
	if ((s = nn_socket(AF_SP, NN_REQ)) < 0 ||
	    nn_setsockopt(s, NN_SOL_SOCKET, NN_RCVTIMEO, &tmo,
	    sizeof tmo) < 0 || nn_connect(s, argv[1]) < 0) {
		fprintf(stderr, "paced: %s\n", nn_strerror(nn_errno()));
		return 1;
	}
	usleep(100000);			/* the connection is made */
	t0 = next = now_us();
	for (i = 0; i < count; i++) {
		while ((t = now_us()) < next)
			usleep((useconds_t)(next - t));
		next = t0 + (long long)((i + 1) * 1e6 / rate);
		snprintf(id, sizeof id, "%s-%ld", argv[4], i);
		len = snprintf(body, sizeof body, "%.*s%s%s",
		    (int)(at - tmpl), tmpl, id, at + 4);
		t = now_us();
		if (nn_send(s, body, (size_t)len, 0) < 0 ||
		    nn_recv(s, &rep, NN_MSG, 0) < 0) {
			printf("-1\n");
			continue;
		}
		printf("%lld\n", strncmp(rep, "{\"ok\":true", 10) == 0 ?
		    now_us() - t : -1LL);
		nn_freemsg(rep);
	}
	nn_close(s);
	return 0;
}
