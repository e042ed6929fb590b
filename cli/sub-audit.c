/*
 * sub-audit.c: `gridline audit verify|export [--db FILE]`, the event log
 * checked without the server (issue 12).
 *
 * verify walks the log in seq order: each row's hash must be the chain
 * of the row before it and its own content (core/chain.h), and each row a
 * signed request left must carry a signature that verifies, by the key it
 * names, over the request it keeps (net/proto/sign.h), that request being
 * the action the row records. Rows from before the chain began (before
 * schema step 10) are counted, not checked; once signed rows have begun,
 * an action without a signature is a failure: someone wrote it by hand.
 * The first broken or unsigned link is reported with its seq (exit 1);
 * else the count and the head of the chain, which an auditor keeps
 * elsewhere: removing the newest rows leaves a shorter chain that is
 * whole, and only a head recorded before shows it.
 *
 * export writes the log as JSON Lines, each row with its chain fields,
 * then one line with the operators' public keys and the head: what an
 * outside auditor needs, and no reporter's name or number (the log has
 * none).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "chain.h"
#include "cli.h"
#include "key.h"
#include "rundir.h"
#include "sign.h"
#include "store.h"

struct audit {
	unsigned char	 prev[CHAIN_HASH_BYTES];
	int		 chained;	/* a hashed row was seen */
	int		 signing;	/* a signed row was seen */
	long		 before, checked, signed_rows;
	int64_t		 bad_seq;	/* the first broken link, 0: none */
	char		 why[512];
	int		 export;	/* print the rows as they go */
};

/* Does the row's signature verify, over a request that is this action? */
static int
audit_sig(const struct store_audit_row *a, char *why, size_t len)
{
	struct sign_parts	 p;
	json_t			*req;
	const char		*op;
	int			 ok;

	memset(&p, 0, sizeof p);
	p.name = a->row.actor;
	p.namelen = strlen(a->row.actor);
	p.json = a->row.request;
	p.jsonlen = a->row.request_len;
	memcpy(p.sig, a->row.sig, SIGN_BYTES);
	if (sign_verify(a->row.signer_key, &p) != 0) {
		snprintf(why, len, "its signature does not verify over the "
		    "request it keeps (the request, the actor or the key was "
		    "changed)");
		return -1;
	}
	req = json_loadb(a->row.request, a->row.request_len, 0, NULL);
	op = json_string_value(json_object_get(req, "op"));
	ok = op != NULL && strcmp(op, a->row.action) == 0;
	json_decref(req);
	if (!ok)
		snprintf(why, len, "the signed request is not a %s",
		    a->row.action);
	return ok ? 0 : -1;
}

static void
audit_hex(const unsigned char *b, size_t n, char *out)
{
	sodium_bin2hex(out, n * 2 + 1, b, n);
}

static void
audit_export_row(const struct store_audit_row *a)
{
	char	hash[CHAIN_HASH_BYTES * 2 + 1] = "", pk[KEY_PUBLIC_B64] = "";
	char	sig[sodium_base64_ENCODED_LEN(64,
		    sodium_base64_VARIANT_ORIGINAL)] = "";
	json_t	*o;
	char	*t;

	if (a->hash != NULL && a->hash_len == CHAIN_HASH_BYTES)
		audit_hex(a->hash, CHAIN_HASH_BYTES, hash);
	if (a->row.signer_key != NULL)
		key_public_b64(a->row.signer_key, pk);
	if (a->row.sig != NULL)
		sodium_bin2base64(sig, sizeof sig, a->row.sig, 64,
		    sodium_base64_VARIANT_ORIGINAL);
	o = json_pack("{s:I,s:I,s:I,s:I,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,s:s?,"
	    "s:s?}", "seq", (json_int_t)a->seq, "case_id",
	    (json_int_t)a->row.case_id, "version", (json_int_t)a->row.version,
	    "at", (json_int_t)a->row.at, "actor", a->row.actor, "action",
	    a->row.action, "from", a->row.from, "to", a->row.to, "agency",
	    a->row.agency, "reason_code", a->row.code, "reason", a->row.reason,
	    "detail", a->row.detail);
	if (a->row.request != NULL)
		json_object_set_new(o, "request", json_stringn(a->row.request,
		    a->row.request_len));
	if (pk[0] != '\0')
		json_object_set_new(o, "signer_key", json_string(pk));
	if (sig[0] != '\0')
		json_object_set_new(o, "sig", json_string(sig));
	json_object_set_new(o, "hash", hash[0] ? json_string(hash) :
	    json_null());
	if ((t = json_dumps(o, JSON_COMPACT | JSON_ENSURE_ASCII)) != NULL) {
		puts(t);
		free(t);
	}
	json_decref(o);
}

static int
audit_row(void *arg, const struct store_audit_row *a)
{
	struct audit	*au = arg;
	unsigned char	 h[CHAIN_HASH_BYTES];

	if (au->export)
		audit_export_row(a);
	if (a->hash == NULL) {
		if (au->chained) {
			au->bad_seq = a->seq;
			snprintf(au->why, sizeof au->why, "it has no hash, "
			    "after the chain began (a row put in by hand)");
			return 1;
		}
		au->before++;
		return 0;
	}
	if (a->hash_len != CHAIN_HASH_BYTES || chain_hash(au->chained ?
	    au->prev : NULL, &a->row, h) != 0 ||
	    memcmp(h, a->hash, CHAIN_HASH_BYTES) != 0) {
		au->bad_seq = a->seq;
		snprintf(au->why, sizeof au->why, "it does not match its hash: "
		    "this row was changed, or one before it changed, removed "
		    "or put in");
		return 1;
	}
	memcpy(au->prev, a->hash, CHAIN_HASH_BYTES);
	au->chained = 1;
	if (a->row.sig != NULL && a->row.signer_key != NULL &&
	    a->row.request != NULL && a->row.actor != NULL) {
		if (audit_sig(a, au->why, sizeof au->why) != 0) {
			au->bad_seq = a->seq;
			return 1;
		}
		au->signing = 1;
		au->signed_rows++;
	} else if (au->signing && a->row.action != NULL &&
	    strcmp(a->row.action, "report") != 0) {
		au->bad_seq = a->seq;
		snprintf(au->why, sizeof au->why, "an action without a "
		    "signature, after signed actions began");
		return 1;
	}
	au->checked++;
	return 0;
}

static int
audit_operator(void *arg, const struct store_operator *op)
{
	char	pk[KEY_PUBLIC_B64];

	key_public_b64(op->pubkey, pk);
	json_array_append_new(arg, json_pack("{s:s,s:s,s:s,s:b}", "name",
	    op->name, "role", op->role, "pubkey", pk, "disabled",
	    op->disabled));
	return 0;
}

static const struct option audit_longopts[] = {
	{ "db",	required_argument, NULL, 'd' },
	{ NULL, 0, NULL, 0 }
};

static int
audit_exec(struct gridline *gl, int argc, char **argv)
{
	struct audit	 au;
	struct store	*st;
	const char	*db = NULL;
	char		 path[4096], err[1024], head[CHAIN_HASH_BYTES * 2 + 1];
	char		*t;
	json_t		*ops, *tail;
	int		 c, export, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "", audit_longopts, NULL)) != -1)
		switch (c) {
		case 'd': db = optarg; break;
		default: return cli_usage(&sub_audit);
		}
	if (optind + 1 != argc || (strcmp(argv[optind], "verify") != 0 &&
	    strcmp(argv[optind], "export") != 0))
		return cli_usage(&sub_audit);
	export = strcmp(argv[optind], "export") == 0;
	rundir_db_resolve(db, path, sizeof path);
	if (store_open_reader(path, &st, err, sizeof err) != 0) {
		fprintf(stderr, "%s audit: %s\n", gl->progname, err);
		return EXIT_FAIL;
	}
	memset(&au, 0, sizeof au);
	au.export = export;
	rc = store_audit_each(st, audit_row, &au, err, sizeof err);
	if (rc == 0 && export) {
		ops = json_array();
		store_operator_each(st, audit_operator, ops, NULL, 0);
		audit_hex(au.prev, CHAIN_HASH_BYTES, head);
		tail = json_pack("{s:o,s:s}", "operators", ops, "head", head);
		t = json_dumps(tail, JSON_COMPACT | JSON_ENSURE_ASCII);
		if (t != NULL)
			puts(t);
		free(t);
		json_decref(tail);
	}
	store_close(st);
	if (rc != 0) {
		fprintf(stderr, "%s audit: %s\n", gl->progname, err);
		return EXIT_FAIL;
	}
	if (au.bad_seq != 0) {
		fprintf(stderr, "%s audit: seq %lld: %s\n", gl->progname,
		    (long long)au.bad_seq, au.why);
		return EXIT_FAIL;
	}
	if (!export) {
		audit_hex(au.prev, CHAIN_HASH_BYTES, head);
		printf(_("%ld events verified (%ld of them signed), %ld from "
		    "before the chain began; the head of the chain: %s\n"),
		    au.checked, au.signed_rows, au.before, head);
	}
	return EXIT_OK;
}

const struct subcmd sub_audit = {
	"audit", "[--db FILE] verify | export",
	N_("check the event log's hash chain and signatures, or export it"),
	audit_exec
};
