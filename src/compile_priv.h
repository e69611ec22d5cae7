/* compile_priv.h - what the compiler's files share: front matter, symptoms, guards, site markup. */
#ifndef KB_COMPILE_PRIV_H
#define KB_COMPILE_PRIV_H

#include <stdbool.h>

#include "kb/compile.h"

struct cmark_node;

/* How a note is cut into entries (front matter `split:`). */
enum kb_split { KB_SPLIT_AUTO, KB_SPLIT_NONE, KB_SPLIT_SECTIONS, KB_SPLIT_ITEMS };

struct kb_front_matter {
	bool present;
	int first_line, last_line; /* the --- lines, 1-based */
	char *title;
	struct kb_strv components, tags, symptoms;
	enum kb_split split;
};

/* Finds front matter at the start of text (a line "---", YAML, a line "---" or "...").
 * When found, parses it (diagnostics under path; a YAML error leaves the fields empty) and
 * returns the byte offset just past the closing line; otherwise returns 0. */
size_t kb_fm_read(const char *path, const char *text, size_t len, struct kb_front_matter *fm,
                  struct kb_diags *diags);
void kb_fm_free(struct kb_front_matter *fm);

/* Adds to e the symptoms found in the blocks first..last (inclusive siblings; last may be
 * NULL for first alone): error-looking lines of code blocks, code spans and quoted strings,
 * and error messages written into Chinese prose, plus the error codes inside them. */
void kb_symptoms_find(struct kb_entry *e, struct cmark_node *first, struct cmark_node *last);

/* Makes text (a note of *len bytes) safe from the markdown that the cmark kb is built with
 * parses in quadratic time or in many times its size, adding a diagnostic under relpath for
 * each paragraph changed (compile_guard.c says which and how); no line end is added or
 * removed. Returns the text, changed in place or a new one (text freed, *len updated). */
char *kb_guard_markdown(const char *relpath, char *text, size_t *len, struct kb_diags *diags);

/* Flattens the inline text of a node (code spans included, breaks as spaces). Caller frees. */
char *kb_node_text(struct cmark_node *node);

/* A heading's text, flattened, white space collapsed, without an author-given id ("{#id}");
 * *given (when given is not NULL) gets that id or NULL. Caller frees both. */
char *kb_md_heading_text(struct cmark_node *h, char **given);
/* A heading's GitHub-style anchor: lower case, letters of any script, digits, - and _, spaces
 * as -. Caller frees. */
char *kb_md_slug(const char *s);

/* Applies the static-site template markup rule of compile_markup.c to text[0..len): each
 * shortcode becomes its readable text or nothing; line breaks stay. Returns the new text
 * (caller frees), its length in *outlen. */
char *kb_shortcodes_apply(const char *text, size_t len, size_t *outlen);

/* The best symptom to show beside a short title, or NULL. */
const struct kb_symptom *kb_symptoms_best(const struct kb_entry *e);

#endif
