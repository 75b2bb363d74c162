# Special parameters.

#### dollar hash no args
echo $#

#### set -- sets positionals
set -- a b c
echo $# $1 $2 $3

#### dollar at unquoted splits
set -- "a b" c
for x in $@; do echo "[$x]"; done

#### dollar star unquoted splits
set -- "a b" c
for x in $*; do echo "[$x]"; done

#### quoted dollar at preserves
set -- "a b" "" c
for x in "$@"; do echo "[$x]"; done

#### quoted dollar star joins with space
set -- "a b" c
for x in "$*"; do echo "[$x]"; done

#### quoted dollar star with IFS first char
set -- a b c
IFS=:
echo "$*"

#### quoted dollar star empty IFS
set -- a b c
IFS=
echo "$*"

#### quoted dollar at with no args is nothing
set --
set -- "$@"
echo $#

#### quoted dollar at with prefix suffix
set -- a b
for x in "x$@y"; do echo "[$x]"; done

#### dollar question after success and failure
true; echo $?
false; echo $?

#### dollar question after command not found
no_such_cmd_xyz 2>/dev/null
echo $?

#### dollar dollar positive
[ $$ -gt 0 ] && echo positive

#### dollar dollar same in subshell
a=$$
b=$(echo $$)
[ "$a" = "$b" ] && echo same

#### dollar bang after background
sleep 0 &
[ "$!" -gt 0 ] && echo has-pid
wait

#### dollar bang empty before background
echo "[${!:-none}]"

#### shift default one
set -- a b c
shift
echo "$@"

#### shift n
set -- a b c d
shift 3
echo "$# $1"

#### shift too many fails
## bash-only
set -- a
shift 2
echo "st $? $#"

#### shift zero args status
## bash-only
set --
shift
echo $?

#### set -- clears
set -- a b
set --
echo $#

#### set -- with dash args
set -- -x -y
echo "$1 $2"

#### positional in dollar star with IFS unset
set -- a b
unset IFS
echo "$*"

#### dollar at in assignment
set -- a b c
x="$@"
echo "$x"

#### dollar hash after function call restored
set -- 1 2 3
f() { echo "f $#"; }
f x
echo "main $#"

#### dollar at empty elements unquoted dropped
set -- "" a ""
for x in $@; do echo "[$x]"; done
echo count $#

#### dollar zero not empty
[ -n "$0" ] && echo has-zero
