/*
 * sub-feeder.c: `gridline feeder ...`, who may send incidents on tcp
 * (issue 12).
 *
 *   feeder add NAME --key-out FILE
 *   feeder list | disable NAME | enable NAME
 *   feeder seal --key FILE < BODY > ENVELOPE
 *
 * A feeder's key is a shared secret made here, written to FILE (0600) and
 * given to the server by an admin's signed request; the feeder puts a MAC
 * under it on every request (net/proto/mac.h). `seal` makes that envelope
 * for a body read from standard input, for scripts and nanocat; the
 * feeds of issue 13 will do it themselves.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "cli.h"
#include "mac.h"

struct fd_args {
	const char	*run_dir, *key, *key_out;
	int		 nostart;
};

static const struct option fd_longopts[] = {
	{ "run-dir",	required_argument, NULL, 'r' },
	{ "key",	required_argument, NULL, 'k' },
	{ "key-out",	required_argument, NULL, 'o' },
	{ "no-start",	no_argument,	   NULL, 'n' },
	{ NULL, 0, NULL, 0 }
};

static int
fd_add(struct gridline *gl, const struct fd_args *a, const char *name)
{
	unsigned char	 key[MAC_KEY_BYTES];
	char		 b64[sodium_base64_ENCODED_LEN(MAC_KEY_BYTES,
			    sodium_base64_VARIANT_ORIGINAL)], err[1024];
	json_t		*req, *rep;
	int		 rc;

	if (a->key_out == NULL) {
		fprintf(stderr, "%s feeder: %s\n", gl->progname, _("add needs "
		    "--key-out FILE, where the feeder's key is written"));
		return EXIT_USAGE;
	}
	if (sodium_init() < 0)
		return EXIT_FAIL;
	randombytes_buf(key, sizeof key);
	if (mac_key_write(a->key_out, name, key, err, sizeof err) != 0) {
		fprintf(stderr, "%s feeder: %s\n", gl->progname, err);
		return EXIT_FAIL;
	}
	sodium_bin2base64(b64, sizeof b64, key, sizeof key,
	    sodium_base64_VARIANT_ORIGINAL);
	req = json_pack("{s:s,s:s,s:s}", "op", "feeder_add", "name", name,
	    "key", b64);
	rc = cli_admin_ask(gl, a->run_dir, a->key, !a->nostart, NULL, req,
	    &rep);
	json_decref(req);
	sodium_memzero(b64, sizeof b64);
	sodium_memzero(key, sizeof key);
	if (rc == EXIT_OK)
		printf(_("%s: a feeder; its key in %s\n"), name, a->key_out);
	else
		remove(a->key_out);	/* not registered: no use */
	json_decref(rep);
	return rc;
}

static int
fd_listing(struct gridline *gl, const struct fd_args *a)
{
	json_t	*req = json_pack("{s:s}", "op", "feeders"), *rep, *f;
	size_t	 i;
	int	 rc;

	rc = cli_admin_ask(gl, a->run_dir, a->key, !a->nostart, NULL, req,
	    &rep);
	json_decref(req);
	if (rc != EXIT_OK)
		return rc;
	json_array_foreach(json_object_get(rep, "feeders"), i, f) {
		cli_vis_put(stdout, json_string_value(json_object_get(f,
		    "name")), VIS_TAB);
		printf("\t%s\t%" JSON_INTEGER_FORMAT "\t%" JSON_INTEGER_FORMAT
		    "\t%" JSON_INTEGER_FORMAT "\n", json_is_true(
		    json_object_get(f, "disabled")) ? "disabled" : "enabled",
		    json_integer_value(json_object_get(f, "accepted")),
		    json_integer_value(json_object_get(f, "refused")),
		    json_integer_value(json_object_get(f, "rate_limited")));
	}
	json_decref(rep);
	return EXIT_OK;
}

static int
fd_state(struct gridline *gl, const struct fd_args *a, const char *name,
    int disabled)
{
	json_t	*req = json_pack("{s:s,s:s,s:b}", "op", "feeder_set", "name",
		    name, "disabled", disabled), *rep;
	int	 rc;

	rc = cli_admin_ask(gl, a->run_dir, a->key, !a->nostart, NULL, req,
	    &rep);
	json_decref(req);
	if (rc == EXIT_OK)
		printf("%s: %s\n", name, disabled ? "disabled" : "enabled");
	json_decref(rep);
	return rc;
}

/* The envelope of standard input, exactly, to standard output. */
static int
fd_seal(struct gridline *gl, const struct fd_args *a)
{
	unsigned char	 key[MAC_KEY_BYTES];
	char		 name[257], err[1024], *body = NULL, *env;
	size_t		 len = 0, cap = 0, n, elen;
	int		 rc;

	if (a->key == NULL) {
		fprintf(stderr, "%s feeder: %s\n", gl->progname, _("seal needs "
		    "--key FILE, the feeder's key"));
		return EXIT_USAGE;
	}
	if (sodium_init() < 0 || mac_key_read(a->key, name, sizeof name, key,
	    err, sizeof err) != 0) {
		fprintf(stderr, "%s feeder: %s\n", gl->progname, err);
		return EXIT_FAIL;
	}
	for (;;) {
		if (len == cap && (body = realloc(body, cap = cap ? cap * 2 :
		    65536)) == NULL)
			return EXIT_FAIL;
		if ((n = fread(body + len, 1, cap - len, stdin)) == 0)
			break;
		len += n;
	}
	rc = mac_request(key, name, body != NULL ? body : "", len, &env, &elen);
	sodium_memzero(key, sizeof key);
	free(body);
	if (rc != 0)
		return EXIT_FAIL;
	fwrite(env, 1, elen, stdout);
	free(env);
	return EXIT_OK;
}

static int
feeder_exec(struct gridline *gl, int argc, char **argv)
{
	struct fd_args	 a;
	int		 c;

	memset(&a, 0, sizeof a);
	optind = 1;
	while ((c = getopt_long(argc, argv, "", fd_longopts, NULL)) != -1)
		switch (c) {
		case 'r': a.run_dir = optarg; break;
		case 'k': a.key = optarg; break;
		case 'o': a.key_out = optarg; break;
		case 'n': a.nostart = 1; break;
		default: return cli_usage(&sub_feeder);
		}
	argc -= optind;
	argv += optind;
	if (argc == 2 && strcmp(argv[0], "add") == 0)
		return fd_add(gl, &a, argv[1]);
	if (argc == 1 && strcmp(argv[0], "list") == 0)
		return fd_listing(gl, &a);
	if (argc == 2 && strcmp(argv[0], "disable") == 0)
		return fd_state(gl, &a, argv[1], 1);
	if (argc == 2 && strcmp(argv[0], "enable") == 0)
		return fd_state(gl, &a, argv[1], 0);
	if (argc == 1 && strcmp(argv[0], "seal") == 0)
		return fd_seal(gl, &a);
	return cli_usage(&sub_feeder);
}

const struct subcmd sub_feeder = {
	"feeder", "[--run-dir DIR] [--key FILE] add NAME --key-out FILE | "
	"list | disable NAME | enable NAME | seal --key FILE",
	N_("feeders: who may send incidents on tcp, with which key"),
	feeder_exec
};
