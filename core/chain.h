/*
 * chain.h: the event log's hash chain (issue 12).
 *
 * Each event row carries the BLAKE2b-256 hash of the row before it
 * chained with its own content: hash = BLAKE2b(prev || row), where row is
 * every field of the event, each written as an 8-byte length (all ones
 * for NULL) and its bytes, in a fixed order. A row changed in the file
 * (by someone who removed the append-only triggers), removed or put in
 * between no longer matches the hash its successor was made with. Rows
 * written before the chain existed (schema step 10) have no hash; the
 * first hashed row chains to 32 zero bytes.
 *
 * Pure: no SQL here; the store computes a row's hash at insert
 * (store-case.c) and `gridline audit verify` recomputes the chain.
 */
#ifndef GL_CHAIN_H
#define GL_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#define CHAIN_HASH_BYTES	32

/* The fields of one event row as the chain reads them; NULL is NULL,
 * blobs with their lengths. */
struct chain_row {
	int64_t		 case_id, version, at;
	const char	*actor, *action, *from, *to, *agency, *code, *reason;
	const char	*detail;
	const unsigned char *signer_key;	/* 32 bytes or NULL */
	const unsigned char *sig;		/* 64 bytes or NULL */
	const char	*request;		/* the signed JSON, or NULL */
	size_t		 request_len;
};

/* hash = BLAKE2b-256(prev || row); prev NULL: 32 zero bytes. 0, or -1
 * when libsodium cannot start. */
int	chain_hash(const unsigned char *prev, const struct chain_row *r,
	    unsigned char hash[CHAIN_HASH_BYTES]);

#endif
