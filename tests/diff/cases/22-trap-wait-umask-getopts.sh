# trap, wait, kill, umask, getopts, local.

#### trap exit runs at end
trap 'echo bye' EXIT
echo body

#### trap exit runs on explicit exit keeps status
trap 'echo cleanup' EXIT
exit 3

#### trap exit sees exit status
trap 'echo "status=$?"' EXIT
(exit 5)
exit

#### trap exit status change in handler
trap 'exit 9' EXIT
exit 2

#### trap exit in subshell
(trap 'echo sub-bye' EXIT; echo sub-body)
echo main

#### trap exit not inherited by subshell
trap 'echo main-bye' EXIT
(echo in-sub)
echo main-body

#### trap reset with dash
trap 'echo never' EXIT
trap - EXIT
echo done

#### trap 0 numeric exit
trap 'echo zero' 0
echo body

#### trap term via kill self
trap 'echo got-term' TERM
kill -TERM $$
echo after-term

#### trap int via kill self
trap 'echo got-int' INT
kill -INT $$
echo after-int

#### trap ignore term
trap '' TERM
kill -TERM $$
echo survived

#### kill self without trap status
echo before
kill -TERM $$
echo never

#### trap handler with exit
trap 'echo handling; exit 4' TERM
kill -TERM $$
echo never

#### trap usr1
trap 'echo usr1' USR1
kill -USR1 $$
echo done

#### trap in function persists
f() { trap 'echo from-f' EXIT; }
f
echo body

#### trap exit with set -e failure
set -e
trap 'echo "exit handler $?"' EXIT
false

#### trap signal names with SIG prefix
## bash-only
trap 'echo sigterm' SIGTERM
kill -TERM $$
echo after

#### trap listing
trap 'echo x' EXIT
trap

#### trap double quoted expands at set time
v=early
trap "echo $v" EXIT
v=late

#### trap single quoted expands at run time
v=early
trap 'echo $v' EXIT
v=late

#### kill 9 background status 137
sleep 5 &
kill -9 $!
wait $!
echo $?

#### kill term background status 143
sleep 5 &
kill -TERM $!
wait $!
echo $?

#### wait background exit code
(exit 42) &
wait $!
echo $?

#### wait all returns zero
(exit 3) &
wait
echo $?

#### wait for unknown pid
## bash-only
wait 99999999 2>/dev/null
echo $?

#### background output captured
(echo bgout) &
wait

#### background job in loop
for i in 1 2 3; do (echo $i > out$i) & done
wait
cat out1 out2 out3

#### umask set and print
umask 022
umask

#### umask octal 077 file perms
umask 077
touch f
ls -l f | cut -c1-10

#### umask 022 dir perms
umask 022
mkdir d
ls -ld d | cut -c1-10

#### umask in subshell not leaked
umask 022
(umask 077)
umask

#### umask symbolic print
umask 027
umask -S

#### getopts basic loop
set -- -a -b val file
while getopts ab: opt; do
  case $opt in
    a) echo "flag a";;
    b) echo "b=$OPTARG";;
  esac
done
shift $((OPTIND - 1))
echo "rest: $*"

#### getopts combined flags
set -- -xy -z arg
while getopts xyz: o; do echo "$o ${OPTARG-}"; done

#### getopts attached argument
set -- -ovalue
while getopts o: o; do echo "$o=$OPTARG"; done

#### getopts unknown option silent
set -- -q
while getopts :a o; do
  case $o in \?) echo "unknown $OPTARG";; esac
done

#### getopts missing arg silent
set -- -b
while getopts :b: o; do
  case $o in :) echo "missing for $OPTARG";; esac
done

#### getopts unknown option verbose
set -- -q
while getopts a o 2>/dev/null; do echo "opt=$o"; done

#### getopts stops at double dash
set -- -a -- -b
while getopts ab o; do echo $o; done
shift $((OPTIND-1))
echo "$@"

#### getopts stops at nonoption
set -- -a file -b
while getopts ab o; do echo $o; done
echo "OPTIND=$OPTIND"

#### getopts end status
set --
getopts a o
echo "$? $o"

#### getopts in function with args
f() {
  local OPTIND
  while getopts n: o "$@"; do echo "n=$OPTARG"; done
}
f -n 1
f -n 2

#### getopts explicit args list
while getopts pq o -p -q; do echo $o; done

#### local shadows and restores
x=1
f() { local x=2; g; echo "f $x"; }
g() { echo "g $x"; x=3; }
f
echo "main $x"

#### local multiple vars
f() { local a=1 b=2; echo $a$b; }
f
echo "[${a-}${b-}]"

#### local in nested function does not leak
f() { local v; v=inner; }
v=outer
f
echo $v

#### local variable visible to callee modifications
f() { local c=0; inc; inc; echo $c; }
inc() { c=$((c+1)); }
f
echo "${c-unset}"

#### local outside function error bash
## bash-only
local x=1 2>/dev/null
echo $?
