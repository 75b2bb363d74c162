# set: -e and its exceptions, -u, -x, -f, -C, --.

#### set -e exits on failure
set -e
echo before
false
echo never

#### set -e status of failing command
set -e
(exit 7)
echo never

#### set -e not in if condition
set -e
if false; then echo no; fi
echo survived

#### set -e not in while condition
set -e
while false; do :; done
echo survived

#### set -e not in and list left
set -e
false && echo no
echo survived

#### set -e or list
set -e
false || echo rescued
echo survived

#### set -e last in and list exits
set -e
true && false
echo never

#### set -e negated command
set -e
! true
echo survived

#### set -e in function called normally
set -e
f() { echo in-f; false; echo never-f; }
f
echo never

#### set -e ignored in function called in condition
set -e
f() { false; echo continued-in-f; }
if f; then echo f-true; fi
echo survived

#### set -e function in and list
set -e
f() { false; echo still; }
f && echo and-ok
echo survived

#### set -e subshell failure exits parent
set -e
(false)
echo never

#### set -e inside subshell only
(set -e; false; echo no)
echo "parent continues $?"

#### set -e command substitution in assignment
set -e
x=$(false)
echo never

#### set -e command subst as argument does not exit
set -e
echo "arg $(false)"
echo survived

#### set -e pipeline last matters
set -e
false | true
echo survived

#### set -e pipefail bash
## bash-only
set -e -o pipefail
false | true
echo never

#### set +e disables
set -e
set +e
false
echo survived

#### set -o errexit long form
set -o errexit
false
echo never

#### set -e in until and case
set -e
until true; do :; done
case x in x) false || true;; esac
echo survived

#### set -e brace group last command
set -e
{ false; echo no; }
echo never

#### set -e and-or inside brace ignored
set -e
{ false && true; }
echo survived

#### set -u default form ok and unset fails
set -u
echo ${undefined_xyz:-ok}
( echo $undefined_xyz; echo never ) 2>/dev/null
[ $? -ne 0 ] && echo failed

#### set -u in subshell status
set -u
( echo $nope_xyz ) 2>/dev/null
[ $? -ne 0 ] && echo failed

#### set -u allows dollar at empty
set -u
set --
echo "args: $@ $#"

#### set -u set var ok
set -u
v=1
echo $v

#### set -o nounset status bash
## bash-only
set -o nounset
echo $nope_xyz
echo never

#### set -x output to stderr stdout clean
set -x
echo traced
set +x
echo untraced

#### set -x trace format bash
## bash-only
## stderr
set -x
x=1
echo "a b" $x
set +x

#### set -x trace in subst bash
## bash-only
## stderr
set -x
y=$(echo inner)
set +x

#### set -f noglob
touch a1
set -f
echo a*

#### set -o noglob long
touch a1
set -o noglob
echo a*

#### set -- reset positional
set -- x y z
echo $#
set -- "$2"
echo "$# $1"

#### set dash dash empty
set -- a
set --
echo $#

#### set with args no dashdash
set a b c
echo $2

#### set -C noclobber
echo 1 > f
set -C
(echo 2 > f) 2>/dev/null || echo blocked
cat f

#### set -o shows option state bash
## bash-only
set -o errexit
set -o | grep errexit | tr -s ' \t' ' '

#### set -e with exit trap runs
set -e
trap 'echo trap-ran' EXIT
false
echo never

#### set -e in function with return status
set -e
f() { return 3; }
f || echo "f failed $?"
echo survived

#### set -e command not found exits
set -e
no_such_cmd_xyz 2>/dev/null
echo never

#### set -e loop status after and-list exits after loop
set -e
for i in 1 2; do
  echo $i
  [ $i = 2 ] && false
done
echo not-reached-because-last-status

#### set -e while body exit
set -e
i=0
while true; do
  i=$((i+1))
  [ $i -lt 3 ] || false
  echo $i
done
echo never
