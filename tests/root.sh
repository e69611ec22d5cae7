# root.sh - helpers for the jump-host tests (sourced after lib.sh): running a program in an
# empty root, and a tmux pane to run it on a real terminal.
#
# The root is a plain directory entered with chroot(2): as root (CI) directly, otherwise in a
# user namespace (unshare -r). Nothing is mounted in it: no /proc, /dev, /tmp, /etc or /usr.
# The environment is emptied (env -i): no LANG, no TERM unless given.
CHROOT=$(command -v chroot || echo /usr/sbin/chroot)
if [ "$(id -u)" -eq 0 ]; then
	ROOT_ENTER=$CHROOT
else
	ROOT_ENTER="$(command -v unshare || echo unshare) -r $CHROOT"
fi

# root_cmd DIR [VAR=VALUE...]: the command line prefix that runs a program in DIR as its root.
root_cmd() {
	_r=$1; shift
	echo "env -i $* $ROOT_ENTER $_r"
}

# in_root DIR PROGRAM [ARG...]: runs PROGRAM (a path inside DIR) in the empty root DIR.
in_root() {
	_r=$1; shift
	env -i $ROOT_ENTER "$_r" "$@"
}

# A detached tmux server of this suite's own for each pane (a new socket each time: a server
# being killed can still hold the old one), one 80x30 pane at a time.
PANE_N=0
PANE_SOCK=kbtest$$-0
pane_start() {
	PANE_N=$((PANE_N + 1))
	PANE_SOCK=kbtest$$-$PANE_N
	tmux -L "$PANE_SOCK" -f /dev/null new-session -d -x 80 -y 30 "$1"
}
pane_capture() { tmux -L "$PANE_SOCK" capture-pane -p >"$TMP/pane" 2>/dev/null; }
pane_keys() { tmux -L "$PANE_SOCK" send-keys "$@"; }
pane_stop() { tmux -L "$PANE_SOCK" kill-server 2>/dev/null; }
# pane_wait TEXT: polls the pane (up to 10 s) until it shows TEXT; the screen is in $TMP/pane.
pane_wait() {
	_i=0
	while [ $_i -lt 100 ]; do
		pane_capture
		grep -qF -- "$1" "$TMP/pane" && return 0
		sleep 0.1
		_i=$((_i + 1))
	done
	return 1
}
trap 'pane_stop; rm -rf "$TMP"' EXIT
