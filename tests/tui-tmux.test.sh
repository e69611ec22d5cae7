#!/bin/sh
# tui-tmux.test.sh - the real binary on a real terminal: tmux at 80x24 drives kb with keys and
# reads the screen back (polling, never sleeping blind): search, a pasted log line, open,
# scroll, back, quit; Ctrl-C, SIGTERM and SIGHUP; a resize; OSC 52 into tmux's buffer. After
# every run the terminal must be as it was: main screen, cursor shown, no mouse reporting,
# the same stty settings, the shell's own text back on the screen.
. tests/lib.sh
RUNS=0 SOCK=kbtest$$.0
cleanup() {
	i=0
	while [ $i -le $RUNS ]; do tmux -L "kbtest$$.$i" kill-server 2>/dev/null; i=$((i + 1)); done
	rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
if ! command -v tmux >/dev/null 2>&1; then
	fail "tmux is not installed (make test-deps installs it)"
	finish
	exit 1
fi
export XDG_STATE_HOME="$TMP/state"
DB=$TMP/kb.db
NOTES=$TMP/notes.db
"$KB" build -q --db "$DB" kb || fail "building the user's notes"
"$KB" build -q --db "$NOTES" tests/tui/notes || fail "building the test notes"

T() { tmux -L "$SOCK" "$@"; }

# The pane: notes the terminal settings, runs kb (its pid in a file), then writes kb's exit
# status and the settings after it. The exit status comes from this file, never from tmux.
cat >"$TMP/pane.sh" <<EOF
trap ':' INT
stty -g >"$TMP/stty.before"
printf 'PRE-LAUNCH-MARK\n'
sh -c 'echo \$\$ >"$TMP/pid"; exec "\$0" --db "\$1" \${KBOPT:-}' "$KB" "\$1"
echo \$? >"$TMP/rc.tmp"
stty -g >"$TMP/stty.after"
mv "$TMP/rc.tmp" "$TMP/rc"
printf 'AFTER-EXIT-MARK\n'
exec sleep 600
EOF

# wait_for TEXT: polls the screen (5 s at most) until it shows TEXT.
wait_for() {
	i=0
	while [ $i -lt 50 ]; do
		T capture-pane -p >"$TMP/screen" 2>/dev/null && grep -qF -- "$1" "$TMP/screen" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
# expect DESCRIPTION TEXT: a check that the screen comes to show TEXT.
expect() {
	if wait_for "$2"; then pass; else fail "$1: no '$2' on the screen:"; sed 's/^/    | /' "$TMP/screen"; fi
}
flag() { T display -p "#{$1}"; }

# start DB [ENV...]: a new tmux server (a socket of its own) at 80x24 running kb on DB;
# waits for the first screen.
start() {
	db=$1; shift
	T kill-server 2>/dev/null
	RUNS=$((RUNS + 1)) SOCK=kbtest$$.$RUNS
	rm -f "$TMP/rc" "$TMP/pid" "$TMP/stty.before" "$TMP/stty.after"
	T -f /dev/null new-session -d -x 80 -y 24 "env $* sh $TMP/pane.sh $db"
	expect "the browser starts" "Type words"
}

# ended_plain DESCRIPTION STATUS: kb has exited with STATUS, the cursor is shown and the
# stty settings are as before (a terminal without an alternate screen keeps kb's last one).
ended_plain() {
	expect "$1: the shell is back" "AFTER-EXIT-MARK"
	i=0
	while [ ! -f "$TMP/rc" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	same "$1: exit status" "$(cat "$TMP/rc" 2>/dev/null)" "$2"
	same "$1: cursor shown" "$(flag cursor_flag)" 1
	check "$1: stty settings as before" cmp -s "$TMP/stty.before" "$TMP/stty.after"
}

# ended DESCRIPTION STATUS: that, and the terminal is as before: main screen, no mouse
# reporting, keypad normal, the shell's own text back.
ended() {
	ended_plain "$@"
	same "$1: main screen again" "$(flag alternate_on)" 0
	same "$1: no mouse reporting" "$(flag mouse_any_flag)" 0
	same "$1: keypad back to normal" "$(flag keypad_cursor_flag)$(flag keypad_flag)" 00
	contains "$1: the text from before kb is on the screen" "$TMP/screen" "PRE-LAUNCH-MARK"
	lacks "$1: nothing of kb is left on the screen" "$TMP/screen" "Search:"
}

# ---- search, paste, open, scroll, back, quit -----------------------------------------------
start "$DB"
same "kb is on the alternate screen" "$(flag alternate_on)" 1
same "no mouse reporting by default: a drag selects text" "$(flag mouse_any_flag)" 0
T send-keys '镜像'
expect "search by a Chinese word" "4 entries"
expect "the first hit, after its page" "> 记录部署过程中… › 部署一个新的镜像时"
T send-keys C-u
expect "the prompt is cleared" "11 entries"
T set-buffer 'Could not connect to Redis at [2001:db8::5]:6379: Connection refused'
T paste-buffer -p
expect "a pasted log line" "read as a log line: 1 entry"
expect "the pasted line finds #5" "paas/deployment-issues.md#5"
T send-keys C-u
T set-buffer "$(printf 'kb: first line\nConnection refused')"
T paste-buffer -p
expect "a newline in a bracketed paste is not Enter" "Search: kb: first line Connection refused"
T send-keys C-u '蓝图' Enter
expect "Enter opens the reader, where the entry is in its note first" "7/11 in deployment issues  paas/deployment-issues.md#7"
T send-keys q
expect "q goes back to the results" "3 entries   Enter: read  Esc: edit"
same "the cursor is hidden out of the prompt" "$(flag cursor_flag)" 0
T send-keys q
expect "q in the results list is text" "Search: 蓝图q"
T send-keys C-c
ended "q, q, Ctrl-C" 0

start "$NOTES"
T send-keys ENOSPC
expect "search the test notes" "1 entry"
T send-keys Enter
expect "open" "Disk full on the log volume"
expect "the window shows the top" "Top"
T send-keys Space
expect "Space scrolls a page" "## Afterwards"
T send-keys j j G
expect "G scrolls to the bottom" "Bot"
T send-keys g
expect "g back to the top" "# Disk full"
T send-keys Tab
expect "Tab selects the code block" "code block 1 of 1 (sh): y copies it"
T send-keys 3
expect "3: the Symptoms screen" "error signatures"
T send-keys 1
expect "1: back to the search's reader" "ops/disk.md:4  [ops]"
T send-keys m
expect "m turns the wheel on" "mouse wheel on"
same "mouse reporting after m" "$(flag mouse_any_flag)" 1
T send-keys m
expect "m turns it off" "mouse off"
same "no mouse reporting after m m" "$(flag mouse_any_flag)" 0
T send-keys q C-c
ended "q from the reader, Ctrl-C from the list" 0

# ---- Home and End whatever the terminal sends, under TERM=xterm-256color inside tmux ---------
start "$NOTES" TERM=xterm-256color
T send-keys ENOSPC Enter
expect "Home/End: the reader" "Disk full on the log volume"
# status_is TEXT: polls until the status line ends with TEXT.
status_is() {
	i=0
	while [ $i -lt 50 ]; do
		T capture-pane -p | sed '/^$/d' | tail -n 1 | grep -q "$1 *\$" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
for k in "1b 5b 34 7e:Bot:ESC [ 4 ~" "1b 5b 31 7e:Top:ESC [ 1 ~" "1b 5b 46:Bot:ESC [ F" \
	"1b 5b 48:Top:ESC [ H" "1b 4f 46:Bot:ESC O F" "1b 4f 48:Top:ESC O H" "1b 5b 38 7e:Bot:ESC [ 8 ~" \
	"1b 5b 37 7e:Top:ESC [ 7 ~"; do
	T send-keys -H ${k%%:*}
	rest=${k#*:}
	check "${rest#*:} goes to the $(echo "${rest%%:*}" | tr TB tb)" status_is "${rest%%:*}"
done
T send-keys q C-c
ended "Home and End" 0
start "$DB" KBOPT=--mouse
same "kb --mouse: mouse reporting" "$(flag mouse_any_flag)" 1
T send-keys C-c
ended "kb --mouse" 0

# ---- Ctrl-C, SIGTERM and SIGHUP leave the terminal as it was --------------------------------
start "$DB"
T send-keys redis
expect "typing" "Search: redis"
T send-keys C-c
ended "Ctrl-C" 0

start "$DB"
T send-keys Tab Enter
expect "the entries of a component" "Component blueprint"
kill -TERM "$(cat "$TMP/pid")"
ended "SIGTERM" 143

start "$DB"
kill -HUP "$(cat "$TMP/pid")"
ended "SIGHUP" 129

# ---- the terminal goes away with no SIGHUP for kb: it ends, it does not spin ------------------
# make as the session's leader (as in `make run`) dies of the hangup without passing SIGHUP
# on; kb then finds its terminal hung up: reads that return at once with nothing.
cat >"$TMP/hup.mk" <<EOF
run:
	sh -c 'echo \$\$\$\$ >"$TMP/hpid"; exec "\$\$0" --db "\$\$1"' "$KB" "$DB"
EOF
T kill-server 2>/dev/null
RUNS=$((RUNS + 1)) SOCK=kbtest$$.$RUNS
rm -f "$TMP/hpid"
T -f /dev/null new-session -d -x 80 -y 24 "make -s -f $TMP/hup.mk"
expect "the browser starts under make" "Type words"
hpid=$(cat "$TMP/hpid" 2>/dev/null)
T kill-server
i=0
while [ -n "$hpid" ] && kill -0 "$hpid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
if [ -n "$hpid" ] && ! kill -0 "$hpid" 2>/dev/null; then
	pass
else
	fail "kb still runs after its terminal went away: $(ps -o stat=,pcpu= -p "${hpid:-0}" 2>/dev/null)"
	[ -n "$hpid" ] && kill -KILL "$hpid" 2>/dev/null
fi

# ---- a resize lays the screen out again ------------------------------------------------------
start "$DB"
T send-keys '镜像'
expect "search" "4 entries"
T resize-window -x 40 -y 12
expect "narrow: the bar without its name" "$(printf ' 1 Search  2 Components  3 Symptoms\n')"
expect "narrow: titles cut" "> 部署一个新的镜像时，注…"
T resize-window -x 30 -y 8
expect "too small" "too small: 30x8"
T resize-window -x 80 -y 24
expect "wide again" "    部署一个新的镜像时，注意是将镜像导出，而非容器，使用命令 docker save [OPTIO…"
T send-keys C-c
ended "after resizes" 0

# ---- OSC 52 reaches tmux's buffer (set-clipboard on: no DCS passthrough needed) ----------------
start "$DB"
T set -g set-clipboard on
T send-keys 'get status of common resource'
expect "search" "› 在升级应用的时候"
T send-keys Enter y
expect "copy" "copied code block 1 of 1"
T show-buffer >"$TMP/buffer" 2>/dev/null
same "the buffer holds the code block's first line" "$(head -1 "$TMP/buffer")" "get status of common resource,"
same "and its last" "$(tail -1 "$TMP/buffer")" "<p>The requested URL was not found on the server. If you entered the URL manually please check your speeling and try again.</p>"
T send-keys q C-c
ended "after a copy" 0

# ---- a terminal type the host has no description of: kb draws as its family and says so -------
start "$DB" TERM=xterm-kitty
expect "an unknown xterm: the note" "TERM=xterm-kitty is not described on this host: drawing as xterm-256color"
T send-keys '镜像'
expect "an unknown xterm: searching" "4 entries"
T send-keys C-c
ended "an unknown xterm" 0
start "$DB" TERM=nosuchterminal
expect "an unknown terminal: VT100" "drawing as vt100"
T send-keys C-c
ended_plain "an unknown terminal" 0 # VT100 has no alternate screen, as in the vt100 run below

# ---- a monochrome terminal without an alternate screen ----------------------------------------
start "$DB" TERM=vt100 LC_ALL=C
T send-keys '镜像' Enter
expect "vt100, C locale: the reader" "docker save"
T send-keys q C-c
ended_plain "vt100" 0
finish
