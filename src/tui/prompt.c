/* prompt.c - the one-line editor of the search prompt and the reader's find prompt: UTF-8
 * text, a cursor, the usual editing keys and a history to step through. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kb/width.h"
#include "tui_priv.h"

static bool is_cont(char c)
{
	return ((unsigned char)c & 0xC0) == 0x80;
}

static size_t prev_cp(const struct kb_buf *b, size_t at)
{
	while (at > 0 && is_cont(b->s[--at]))
		;
	return at;
}

static size_t next_cp(const struct kb_buf *b, size_t at)
{
	if (at >= b->len)
		return b->len;
	for (at++; at < b->len && is_cont(b->s[at]); at++)
		;
	return at;
}

/* Removes bytes [from, to) of the text. */
static void cut(struct kb_tui_prompt *p, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(p->text.s + from, p->text.s + to, p->text.len - to + 1);
	p->text.len -= to - from;
	if (p->cur > to)
		p->cur -= to - from;
	else if (p->cur > from)
		p->cur = from;
}

static bool insert(struct kb_tui_prompt *p, int key)
{
	char enc[4];
	int n;
	if (key >= KB_TUI_FKEY)
		return false;
	if (p->paste && (key == '\n' || key == '\r' || key == '\t'))
		key = ' ';
	if (kb_width_cp((uint32_t)key) < 0)
		return false;
	n = kb_utf8_encode((uint32_t)key, enc);
	kb_buf_put(&p->text, enc, (size_t)n); /* grow, then move the tail up */
	memmove(p->text.s + p->cur + n, p->text.s + p->cur, p->text.len - (size_t)n - p->cur);
	memcpy(p->text.s + p->cur, enc, (size_t)n);
	p->cur += (size_t)n;
	return true;
}

static size_t word_start(const struct kb_tui_prompt *p)
{
	size_t at = p->cur;
	while (at > 0 && p->text.s[at - 1] == ' ')
		at--;
	while (at > 0 && p->text.s[at - 1] != ' ')
		at--;
	return at;
}

void kb_tui_prompt_set(struct kb_tui_prompt *p, const char *s)
{
	kb_buf_reset(&p->text);
	kb_buf_puts(&p->text, s);
	kb_buf_str(&p->text);
	p->cur = p->text.len;
}

/* Up and Down: older and newer entries of hist, then back to what was typed. */
static bool history(struct kb_tui_prompt *p, int act, const struct kb_strv *hist)
{
	if (!hist || hist->n == 0)
		return false;
	if (act == KB_TUI_A_HIST_PREV) {
		if (p->hist == SIZE_MAX) {
			free(p->saved);
			p->saved = kb_xstrdup(kb_buf_str(&p->text));
			p->hist = hist->n;
		}
		if (p->hist == 0)
			return false;
		kb_tui_prompt_set(p, hist->v[--p->hist]);
		return true;
	}
	if (p->hist == SIZE_MAX)
		return false;
	if (++p->hist >= hist->n) {
		kb_tui_prompt_set(p, p->saved ? p->saved : "");
		p->hist = SIZE_MAX;
	} else {
		kb_tui_prompt_set(p, hist->v[p->hist]);
	}
	return true;
}

bool kb_tui_prompt_takes(int act)
{
	switch (act) {
	case KB_TUI_A_INSERT: case KB_TUI_A_DEL_BACK: case KB_TUI_A_DEL_FWD: case KB_TUI_A_DEL_WORD:
	case KB_TUI_A_KILL_START: case KB_TUI_A_KILL_END: case KB_TUI_A_CUR_LEFT:
	case KB_TUI_A_CUR_RIGHT: case KB_TUI_A_CUR_HOME: case KB_TUI_A_CUR_END:
	case KB_TUI_A_HIST_PREV: case KB_TUI_A_HIST_NEXT: case KB_TUI_A_PASTE_BEGIN:
	case KB_TUI_A_PASTE_END:
		return true;
	default:
		return false;
	}
}

bool kb_tui_prompt_act(struct kb_tui_prompt *p, int act, const struct kb_tui_event *ev,
                       const struct kb_strv *hist)
{
	size_t len = p->text.len;
	kb_buf_str(&p->text);
	if (act == KB_TUI_A_HIST_PREV || act == KB_TUI_A_HIST_NEXT)
		return history(p, act, hist);
	switch (act) {
	case KB_TUI_A_INSERT:
		if (!insert(p, ev->key))
			return false;
		p->hist = SIZE_MAX;
		return true;
	case KB_TUI_A_DEL_BACK: cut(p, prev_cp(&p->text, p->cur), p->cur); break;
	case KB_TUI_A_DEL_FWD: cut(p, p->cur, next_cp(&p->text, p->cur)); break;
	case KB_TUI_A_DEL_WORD: cut(p, word_start(p), p->cur); break;
	case KB_TUI_A_KILL_START: cut(p, 0, p->cur); break;
	case KB_TUI_A_KILL_END: cut(p, p->cur, p->text.len); break;
	case KB_TUI_A_CUR_LEFT: p->cur = prev_cp(&p->text, p->cur); break;
	case KB_TUI_A_CUR_RIGHT: p->cur = next_cp(&p->text, p->cur); break;
	case KB_TUI_A_CUR_HOME: p->cur = 0; break;
	case KB_TUI_A_CUR_END: p->cur = p->text.len; break;
	case KB_TUI_A_PASTE_BEGIN: p->paste = true; break;
	case KB_TUI_A_PASTE_END: p->paste = false; break;
	default: break;
	}
	if (p->text.len != len)
		p->hist = SIZE_MAX;
	return p->text.len != len;
}

void kb_tui_prompt_draw(const struct kb_tui_prompt *p, int y, int cols, const char *label)
{
	int lw = kb_tui_put(y, 0, cols, label, strlen(label), KB_TUI_UI_PROMPT, 0);
	int room = cols - lw - 1;
	const char *s = kb_buf_str(&p->text);
	size_t start = p->cur, w = 0;
	if (room < 1)
		return;
	/* Scroll the text sideways so that the cursor stays in view: the view starts as far back
	 * from the cursor as fits, found from the cursor back (measuring from the start of the
	 * text at every step cost the square of its length: a pasted log froze the browser). */
	while (start > 0) {
		size_t prev = prev_cp(&p->text, start), cw = kb_width_str(s + prev, start - prev);
		if (w + cw > (size_t)room - 1)
			break;
		w += cw;
		start = prev;
	}
	kb_tui_put(y, lw, room, s + start, p->text.len - start, KB_TUI_UI_TEXT, 0);
	kb_tui_cursor(y, lw + (int)kb_width_str(s + start, p->cur - start));
}

void kb_tui_prompt_free(struct kb_tui_prompt *p)
{
	kb_buf_free(&p->text);
	free(p->saved);
	p->saved = NULL;
}
