# Redirections.

#### output to file
echo hi > f
cat f

#### append
echo a > f
echo b >> f
cat f

#### truncate on second write
echo long-line > f
echo x > f
cat f

#### input from file
printf 'l1\nl2\n' > f
wc -l < f

#### clobber operator
echo a > f
echo b >| f
cat f

#### noclobber refuses existing
echo a > f
set -C
if echo b > f 2>/dev/null; then echo ok; else echo refused; fi
cat f

#### noclobber refusal status bash
## bash-only
echo a > f
set -C
echo b > f 2>/dev/null
echo "status $?"


#### noclobber allows clobber operator
echo a > f
set -C
echo b >| f
cat f

#### read write open
echo hello > f
cat <> f

#### read write creates file
: <> newfile
ls newfile

#### dup stdout to stderr
echo to-err >&2
echo to-out

#### stderr to stdout
{ echo out; echo err >&2; } 2>&1

#### order 2>&1 then >f
{ echo out; echo err >&2; } 2>&1 >f
echo ---
cat f

#### order >f then 2>&1
{ echo out; echo err >&2; } >f 2>&1
echo ---
cat f

#### close stdout
{ echo hidden; } >&- 2>/dev/null
echo "status $?" | sed 's/[1-9]/N/'

#### close fd then use fails
exec 3>&-
if echo x >&3 2>/dev/null; then echo ok; else echo failed; fi

#### fd 3 open and write
exec 3>f
echo via3 >&3
exec 3>&-
cat f

#### fd input duplicate
echo data > f
exec 4<f
cat <&4
exec 4<&-

#### redirect before command word
> f echo before
cat f

#### redirect in middle of words
echo a > f b c
cat f

#### multiple redirections last wins
echo x > a > b
echo "a=[$(cat a)] b=[$(cat b)]"

#### redirect stderr to devnull
ls no_such_file_xyz 2>/dev/null
echo "status nonzero: $([ $? -ne 0 ] && echo yes)"

#### redirect to missing dir fails
echo x > nodir/f 2>/dev/null || echo failed
[ -e nodir ] || echo no-dir

#### redirect to missing dir status bash
## bash-only
echo x > nodir/f 2>/dev/null
echo $?

#### redirect failure skips command
echo x > nodir/f 2>/dev/null && echo ran
echo after

#### input from missing file
cat < missing_xyz 2>/dev/null
[ $? -ne 0 ] && echo nonzero

#### input redirect failure status bash
## bash-only
cat < missing_xyz 2>/dev/null
echo $?

#### redirect on compound while
i=0
while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done > f
cat f

#### redirect on brace group
{ echo a; echo b; } > f
cat f

#### redirect on subshell
( echo sub ) > f
cat f

#### redirect on if
if true; then echo yes; fi > f
cat f

#### redirect on for input
printf '1\n2\n' > f
for x in a; do cat; done < f

#### exec redirect persistent stdout
( exec > f; echo one; echo two )
cat f

#### exec save and restore stdout
exec 3>&1
exec > f
echo to-file
exec 1>&3 3>&-
echo to-stdout
cat f

#### fd number prefix for input
echo in > f
cat 0< f

#### redirect with variable filename
name=out.txt
echo v > "$name"
cat out.txt

#### redirect with quoted filename spaces
echo sp > "a b"
cat "a b"

#### ampersand greater bash
## bash-only
{ echo out; echo err >&2; } &> f
cat f

#### ampersand double greater bash
## bash-only
echo first > f
{ echo out; echo err >&2; } &>> f
cat f

#### greater ampersand file bash
## bash-only
{ echo out; echo err >&2; } >& f
cat f

#### devnull input read
read x < /dev/null
echo "st $? [$x]"

#### redirect builtin output
pwd > f
[ "$(cat f)" = "$PWD" ] && echo same

#### numbered fd 5 write read
echo five > f
exec 5< f
read line <&5
echo "$line"

#### append to fd via exec
exec 6>>f
echo a >&6
echo b >&6
exec 6>&-
cat f

#### pipe and redirect combined
echo piped | cat > f
cat f
