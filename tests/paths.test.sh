#!/bin/sh
# paths.test.sh - hostile paths: kb build reads nothing outside the notes directory (symbolic
# links out of it, /proc, devices, FIFOs, hidden files), skips what is no note with a word and
# never hangs, writes its index only over an index (empty or SQLite) or nothing, and a tree it cannot
# read in part (as an unprivileged user: root reads through chmod 000) keeps its entries.
. tests/lib.sh
chmod 755 "$TMP" # the unprivileged user must reach what is in it
N=$TMP/notes O=$TMP/outside
mkdir -p "$N/sub" "$O/dir" "$N/.git" "$N/dir.md"
note() { printf '## %s\n\n%s\n' "$2" "$3" >"$N/$1"; }
note good.md Good goodword
note sub/inner.md Inner innerword
note dir.md/in.md "In a dir.md" dirmdword
printf '## Outside\n\noutsideword\n' >"$O/note.md"
printf '## Outdir\n\noutdirword\n' >"$O/dir/deep.md"
printf 'outside file\n' >"$O/file.txt"

# ---- links and linked files that lead out of the notes -----------------------------------
ln -s /proc/self/environ "$N/env.txt"
ln -s "$O/file.txt" "$N/out.txt"
ln -s .git/config "$N/gitlink.txt"
ln -s "$O/note.md" "$N/outnote.md"
ln -s "$O/dir" "$N/outdir"
ln -s sub "$N/insub"          # inside: followed
ln -s sub/inner.md "$N/in.md" # inside: followed
ln -s .git/config "$N/gitnote.md" # inside, but hidden: ignored as the walk ignores .git
ln -s ../.env "$N/sub/envnote.md"
ln -s .git "$N/gitdir"
printf '[remote "origin"]\n\turl = https://user:TOKEN123@example.com/x.git\n' >"$N/.git/config"
printf 'SECRET_ENV=envsecret\n' >"$N/.env"
printf '#!/bin/sh\necho fine script\n' >"$N/ok.sh"
printf 'bin\000ary\n' >"$N/bin.dat"
printf 'caf\351 latin-1\n' >"$N/latin1.txt"
head -c 1100000 /dev/zero | tr '\0' 'x' >"$N/big.txt"
mkfifo "$N/fifo.txt"
cat >"$N/links.md" <<'EOF'
## Links

linksword [e](env.txt) [o](out.txt) [g](.git/config) [gl](gitlink.txt) [v](.env)
[ok](ok.sh) [b](bin.dat) [l](latin1.txt) [big](big.txt) [f](fifo.txt) [z](zero.txt)
[c](chr.txt) [d](sub/)
EOF
# ---- what is no note: FIFOs, devices, /dev/zero, a directory named like a note ----------------
mkfifo "$N/fifo.md"
ln -s /dev/zero "$N/zero.md"
ln -s /dev/zero "$N/zero.txt"
if mknod "$N/chr.md" c 1 3 2>/dev/null && mknod "$N/chr.txt" c 1 3 2>/dev/null; then
	CHR=1
else
	CHR=
	echo "note: cannot make a character device here (not root?): devices in the notes not tested"
fi
DB=$TMP/kb.db
SECRET_BUILD=hunter2 timeout 60 "$KB" build --db "$DB" "$N" >"$TMP/out" 2>"$TMP/berr"
same "hostile paths: kb build ends, exit 1 (notes it would not read)" "$?" 1
for w in goodword innerword linksword dirmdword; do status 0 "$KB" search --db "$DB" "$w"; done
same "a link to a note inside is followed" "$(first_id innerword | sort | head -1)" "in.md"
same "a link to a directory inside is followed" "$("$KB" search --db "$DB" -n 0 innerword | cut -f1 | sort | tr '\n' ' ')" "in.md insub/inner.md sub/inner.md "
status 1 "$KB" search --db "$DB" outsideword
status 1 "$KB" search --db "$DB" outdirword
contains "a note linked from outside is named" "$TMP/berr" "kb: outnote.md: error: a symbolic link out of the notes directory; not indexed"
contains "a directory linked from outside is named" "$TMP/berr" "kb: outdir: error: a symbolic link out of the notes directory; not indexed"
contains "a note linked to .git/config is named" "$TMP/berr" "kb: gitnote.md: error: a symbolic link to a hidden name (one starting with '.'); not indexed"
contains "a note linked to .env is named" "$TMP/berr" "kb: sub/envnote.md: error: a symbolic link to a hidden name"
contains "a directory linked to .git is named" "$TMP/berr" "kb: gitdir: error: a symbolic link to a hidden name (one starting with '.'); not indexed"
for f in hunter2 envsecret TOKEN123 "outside file"; do
	check "the index holds no '$f'" sh -c "! grep -qaF '$f' '$DB'"
done
for f in env.txt .git/config .env out.txt gitlink.txt fifo.txt zero.txt gitnote.md sub/envnote.md; do status 1 "$KB" show --db "$DB" "$f"; done
status 0 "$KB" show --db "$DB" ok.sh
contains "a linked text file inside is stored" "$TMP/out" "echo fine script"
contains "/proc through a link: refused" "$TMP/berr" "kb: env.txt: warning: a symbolic link out of the notes directory; a linked file, not stored"
contains "a file outside through a link: refused" "$TMP/berr" "kb: out.txt: warning: a symbolic link out of the notes directory"
contains ".git: refused" "$TMP/berr" "kb: .git/config: warning: a hidden file"
contains ".env: refused" "$TMP/berr" "kb: .env: warning: a hidden file"
contains "a link to .git: refused" "$TMP/berr" "kb: gitlink.txt: warning: a hidden file (a name starting with '.') or a link to one; a linked file, not stored"
contains "a linked FIFO: refused" "$TMP/berr" "kb: fifo.txt: warning: not a regular file; a linked file, not stored: a FIFO"
contains "a link to /dev/zero: refused" "$TMP/berr" "kb: zero.txt: warning: a symbolic link out of the notes directory"
lacks "a linked directory is no news" "$TMP/berr" "kb: sub:"
"$KB" build --full -v --db "$TMP/v.db" "$N" >/dev/null 2>"$TMP/verr"
contains "a binary linked file: not stored, said with -v" "$TMP/verr" "kb: bin.dat: note: binary (a NUL byte); a linked file, not stored"
contains "a linked file not UTF-8: not stored" "$TMP/verr" "kb: latin1.txt: note: not valid UTF-8; a linked file, not stored"
contains "a linked file over 1 MiB: not stored" "$TMP/verr" "kb: big.txt: note: larger than 1 MiB"
status 1 "$KB" show --db "$DB" bin.dat
contains "a FIFO named like a note: named" "$TMP/berr" "kb: fifo.md: error: not a regular file; skipped: a FIFO"
contains "a link to /dev/zero named like a note: named" "$TMP/berr" "kb: zero.md: error: a symbolic link out of the notes directory; not indexed"
contains "a directory named like a note: named, and its notes read" "$TMP/berr" "kb: dir.md: warning: a directory, not a note; the notes in it are read"
if [ -n "$CHR" ]; then
	contains "a device named like a note: named" "$TMP/berr" "kb: chr.md: error: not a regular file; skipped: a character device"
	contains "a linked device: refused" "$TMP/berr" "kb: chr.txt: warning: not a regular file; a linked file, not stored: a character device"
fi
timeout 60 "$KB" check "$N" fifo.md >/dev/null 2>"$TMP/err"
same "kb check of a FIFO: exit 1, no hang" "$?" 1
contains "kb check names the FIFO" "$TMP/err" "kb: fifo.md: error: not a regular file; skipped: a FIFO"
timeout 60 "$KB" check "$N" outnote.md >/dev/null 2>"$TMP/err"
contains "kb check refuses a note linked from outside" "$TMP/err" "kb: outnote.md: error: a symbolic link out of the notes directory"
"$KB" check "$N" outdir/deep.md >"$TMP/out" 2>"$TMP/err"
contains "kb check refuses a note through a directory linked from outside" "$TMP/err" "kb: outdir/deep.md: error: a symbolic link out of the notes directory"
lacks "and does not read it" "$TMP/out" "Outdir"
# the components file is read only from inside the notes too
mkdir "$TMP/comp"
note2() { printf '## %s\n\n%s\n' "$2" "$3" >"$TMP/comp/$1"; }
note2 a.md A aword
printf 'outsidecomp: [aword]\n' >"$O/components.yaml"
ln -s "$O/components.yaml" "$TMP/comp/components.yaml"
"$KB" build --db "$TMP/comp.db" "$TMP/comp" >/dev/null 2>"$TMP/err"
contains "a components file linked from outside is refused" "$TMP/err" "components.yaml: error: the components file cannot be used; components come from directory names: a symbolic link out of the notes directory"
"$KB" components --db "$TMP/comp.db" >"$TMP/c"
lacks "and none of its names is used" "$TMP/c" "outsidecomp"

# ---- a note replaced by a link out while the build runs: what is opened is checked --------
# The walk sees z.md as a file; once the build has begun writing (its temporary index is
# there), z.md becomes a link to a note outside, before the worker, busy with the 3000 notes
# sorted before it, reads it. A try where the swap came too late (z.md read as it was) is
# tried again.
R=$TMP/race
mkdir "$R" "$R/n"
awk -v d="$R/n" 'BEGIN { for (i = 0; i < 3000; i++) { f = sprintf("%s/a%04d.md", d, i)
	printf "## Note %d\n\n", i >f; for (j = 0; j < 30; j++) printf "filler line %d of note %d\n", j, i >f; close(f) } }'
printf '## Raced\n\nracedsecret\n' >"$O/raced.md"
tries=0 raced=
while [ $tries -lt 5 ] && [ -z "$raced" ]; do
	tries=$((tries + 1))
	rm -f "$R/kb.db" "$R/n/z.md" "$R/n/z.tmp"
	printf '## Z\n\nzword\n' >"$R/n/z.md"
	(i=0; while ! ls "$R"/kb.db.tmp-* >/dev/null 2>&1 && [ $i -lt 20000 ]; do i=$((i + 1)); done
	 ln -s "$O/raced.md" "$R/n/z.tmp" && mv -T "$R/n/z.tmp" "$R/n/z.md") &
	"$KB" build --db "$R/kb.db" "$R/n" >/dev/null 2>"$R/err"
	wait
	"$KB" search --db "$R/kb.db" zword >/dev/null 2>&1 || raced=1
done
if [ -n "$raced" ]; then
	check "a note swapped for a link out mid-build: not read" sh -c "! grep -qaF racedsecret '$R/kb.db'"
	contains "and named" "$R/err" "kb: z.md: error: a symbolic link out of the notes directory; not indexed"
else
	echo "note: the swap never came before z.md was read ($tries tries): the race is not tested"
fi

# ---- kb build --db PATH: only over an index or nothing ------------------------------------
S=$TMP/small
mkdir "$S" && printf '## S\n\nsmallword\n' >"$S/s.md"
mkfifo "$TMP/fifo.db"
status 2 timeout 20 "$KB" build --db "$TMP/fifo.db" "$S"
check "--db FIFO: still a FIFO" test -p "$TMP/fifo.db"
contains "--db FIFO: says why" "$TMP/err" "a FIFO, not an index file; nothing written"
mkdir "$TMP/dir.db"
status 2 "$KB" build --db "$TMP/dir.db" "$S"
check "--db directory: still an empty directory" test -d "$TMP/dir.db" -a -z "$(ls -A "$TMP/dir.db")"
if mknod "$TMP/null.db" c 1 3 2>/dev/null; then
	status 2 "$KB" build --db "$TMP/null.db" "$S"
	check "--db character device: still one" test -c "$TMP/null.db"
	contains "--db character device: says why" "$TMP/err" "a character device, not an index file"
	ln -s "$TMP/null.db" "$TMP/tonull.db"
	status 2 "$KB" build --db "$TMP/tonull.db" "$S"
	check "--db link to a device: the device stays" test -c "$TMP/null.db" -a -L "$TMP/tonull.db"
fi
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$TMP/sock.db"
	status 2 "$KB" build --db "$TMP/sock.db" "$S"
	check "--db socket: still a socket" test -S "$TMP/sock.db"
fi
ln -s "$TMP/fifo.db" "$TMP/tofifo.db"
status 2 timeout 20 "$KB" build --db "$TMP/tofifo.db" "$S"
check "--db link to a FIFO: both stay" test -p "$TMP/fifo.db" -a -L "$TMP/tofifo.db"
ln -s "$TMP/nowhere/x.db" "$TMP/dangling.db"
status 2 "$KB" build --db "$TMP/dangling.db" "$S"
check "--db link to nothing: the link stays, nothing made" test -L "$TMP/dangling.db" -a ! -e "$TMP/nowhere"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$TMP/passwd.db"
cp "$TMP/passwd.db" "$TMP/passwd.before"
status 2 "$KB" build --db "$TMP/passwd.db" "$S"
check "--db a file that is no index: left as it was" cmp -s "$TMP/passwd.db" "$TMP/passwd.before"
contains "--db a file that is no index: says why" "$TMP/err" "passwd.db: a file that is no SQLite database, not an index file; nothing written"
status 2 "$KB" build --db "$S/s.md" "$S"
check "--db a note by mistake: the note stays" grep -q smallword "$S/s.md"
ln -s passwd.db "$TMP/topasswd.db"
status 2 "$KB" build --db "$TMP/topasswd.db" "$S"
check "--db link to a file that is no index: both stay" cmp -s "$TMP/passwd.db" "$TMP/passwd.before"
: >"$TMP/empty.db"
status 0 "$KB" build --db "$TMP/empty.db" "$S"
status 0 "$KB" search --db "$TMP/empty.db" smallword
mkdir "$TMP/real"
"$KB" build -q --db "$TMP/real/kb.db" "$TMP/comp" 2>/dev/null
ln -s real/kb.db "$TMP/link.db"
status 0 "$KB" build --db "$TMP/link.db" "$S"
check "--db link to an index: still a link" test -L "$TMP/link.db"
check "--db link to an index: its target is a regular file" test -f "$TMP/real/kb.db" -a ! -L "$TMP/real/kb.db"
status 0 "$KB" search --db "$TMP/real/kb.db" smallword
check "--db link: no temporary file left beside either" test -z "$(find "$TMP" -name '*.tmp*')"
# The new index is written to "<db>.tmp-PID" and opened by SQLite by that name: in a directory
# others may write, a link planted there would send the index where it leads. (sh -c and exec:
# the PID is the shell's.) A directory reached through a link is fine.
planted() { # TARGET DB: kb build of $S into DB with a link DB.tmp-PID -> TARGET
	sh -c 'ln -s "$1" "$2.tmp-$$"; exec "$3" build -q --db "$2" "$4"' sh "$1" "$2" "$KB" "$S"
}
printf 'precious\n' >"$TMP/precious"
"$KB" build -q --db "$TMP/real/p.db" "$S" 2>/dev/null
cp "$TMP/real/p.db" "$TMP/p.before"
echo "## Changed" >>"$S/s.md"
planted "$TMP/precious" "$TMP/real/p.db" >"$TMP/out" 2>"$TMP/err"
same "a link at the new index's name: refused" "$?" 2
contains "and said" "$TMP/err" "a symbolic link where kb writes the new index; nothing written"
same "the link's target is untouched" "$(cat "$TMP/precious")" precious
check "the old index is untouched" cmp -s "$TMP/real/p.db" "$TMP/p.before"
rm -f "$TMP"/real/p.db.tmp-*
ln -s real "$TMP/linkdir"
status 0 "$KB" build -q --db "$TMP/linkdir/p.db" "$S"
status 0 "$KB" search --db "$TMP/real/p.db" smallword
check "through a linked directory: no temporary file left" test -z "$(find "$TMP/real" -name '*.tmp*')"

# ---- a hard link is the file itself (kb.5): nothing tells it from its other names, and users
# hard-link trees (cp -al, backups), so it is read like any other file, by the rule kb.5 states
H=$TMP/hard
mkdir -p "$H"
printf '## Hard\n\nhardword\n' >"$O/hard.md"
printf 'hard linked text\n' >"$O/hard.txt"
ln "$O/hard.md" "$H/hard.md"
ln "$O/hard.txt" "$H/hard.txt"
printf '## Links\n\n[h](hard.txt)\n' >"$H/l.md"
status 0 "$KB" build -q --db "$TMP/hard.db" "$H"
status 0 "$KB" search --db "$TMP/hard.db" hardword
status 0 "$KB" show --db "$TMP/hard.db" hard.txt
contains "a hard-linked file a note links to is stored as itself" "$TMP/out" "hard linked text"

if ! command -v setpriv >/dev/null 2>&1 || [ "$(id -u)" -ne 0 ]; then
	echo "note: not root or no setpriv: unreadable trees not tested"
	finish
	exit
fi
nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
U=$TMP/u W=$TMP/w
mkdir -p "$U/locked" "$U/open" "$W"
chmod 777 "$W"
printf '## Kept\n\nlockedword\n' >"$U/locked/kept.md"
printf '## Open\n\nopenword\n' >"$U/open/open.md"
printf '## Secret\n\nsecretword\n' >"$U/secret.md"
chmod -R a+rX "$U"
"$KB" build -q --db "$W/kb.db" "$U"
touch -d '2001-01-01' "$U/secret.md" # changed since: the build must read it again
chmod 000 "$U/locked" "$U/secret.md"
nobody "$KB" build --db "$W/kb.db" "$U" >"$TMP/out" 2>"$TMP/err"
same "an unreadable directory and note: exit 1" "$?" 1
contains "the unreadable directory is named" "$TMP/err" "kb: locked: error: cannot be read; the index keeps what it had from it: Permission denied"
contains "the unreadable note is named" "$TMP/err" "kb: secret.md: error: cannot be read; the index keeps what it had from it: Permission denied"
contains "the summary counts the notes kept unread" "$TMP/err" "0 removed, 2 kept unread)"
for w in lockedword secretword openword; do status 0 "$KB" search --db "$W/kb.db" "$w"; done
nobody "$KB" build --full --db "$W/kb.db" "$U" >"$TMP/out" 2>"$TMP/err"
same "a full build that cannot read part: exit 1" "$?" 1
for w in lockedword secretword openword; do status 0 "$KB" search --db "$W/kb.db" "$w"; done
status 0 "$KB" show --db "$W/kb.db" locked/kept.md
contains "a full build keeps the entry whole" "$TMP/out" "lockedword"
status 0 "$KB" debug verify --db "$W/kb.db"
chmod 755 "$U/locked" && chmod 644 "$U/secret.md"
status 0 "$KB" build --db "$W/kb.db" "$U"
for w in lockedword secretword openword; do status 0 "$KB" search --db "$W/kb.db" "$w"; done
# nothing readable: exit 2, the index as it was
cp "$W/kb.db" "$TMP/before.db"
chmod 000 "$U"
nobody "$KB" build --db "$W/kb.db" "$U" >"$TMP/out" 2>"$TMP/err"
same "an unreadable notes directory: exit 2" "$?" 2
contains "and says the index is left" "$TMP/err" "nothing could be read; the index is left as it was"
check "the index is untouched" cmp -s "$W/kb.db" "$TMP/before.db"
chmod 755 "$U"
touch -d '2002-01-01' "$U/secret.md" # changed: to be read
chmod 000 "$U/locked" "$U/open" "$U/secret.md"
nobody "$KB" build --db "$W/kb.db" "$U" >"$TMP/out" 2>"$TMP/err"
same "no note readable anywhere: exit 2" "$?" 2
check "the index is untouched" cmp -s "$W/kb.db" "$TMP/before.db"
chmod 755 "$U/locked" "$U/open" && chmod 644 "$U/secret.md"

# an over-long path: the notes under it are kept when the same tree is named by a longer path
L=$TMP/long
mkdir "$L" && printf '## Top\n\ntopword\n' >"$L/top.md"
seg=$(printf '%0200d' 0)
(cd "$L" && for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19; do mkdir "$seg$i" && cd "$seg$i"; done &&
	printf '## Deep\n\ndeepword\n' >deep.md)
(cd "$TMP" && "$KB" build -q --db "$W/long.db" long)
status 0 "$KB" search --db "$W/long.db" deepword
pad=$TMP
i=0
while [ $i -lt 150 ]; do pad=$pad/.; i=$((i + 1)); done
"$KB" build --db "$W/long.db" "$pad/long" >"$TMP/out" 2>"$TMP/err"
same "a path too long to read: exit 1" "$?" 1
contains "the path too long is named" "$TMP/err" "cannot be read; the index keeps what it had from it: File name too long"
status 0 "$KB" search --db "$W/long.db" deepword
status 0 "$KB" search --db "$W/long.db" topword
finish
