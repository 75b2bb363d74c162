# Pipelines, negation, pipefail, |&.

#### simple pipe
echo hello | tr a-z A-Z

#### three stage pipe
printf 'b\na\nc\n' | sort | head -2

#### pipeline status is last
false | true
echo $?

#### pipeline status last fails
true | false
echo $?

#### negated pipeline true
! true
echo $?

#### negated pipeline false
! false
echo $?

#### negated multi stage
! echo x | grep -q y
echo $?

#### negation in if
if ! grep -q z <<EOF
abc
EOF
then echo not-found; fi

#### pipeline status ignores earlier failure
false | true
echo $?

#### pipefail on
## bash-only
set -o pipefail
false | true
echo $?

#### pipefail rightmost failure
## bash-only
set -o pipefail
(exit 3) | (exit 4) | true
echo $?

#### pipefail all succeed
## bash-only
set -o pipefail
true | true
echo $?

#### pipefail with negation
## bash-only
set -o pipefail
! false | true
echo $?

#### pipefail with grep no match
## bash-only
set -o pipefail
echo a | grep b | cat
echo $?

#### pipe stderr bash
## bash-only
{ echo out; echo err >&2; } |& sort

#### pipe stderr to wc
## bash-only
ls no_such_xyz |& wc -l

#### stderr not piped by default
{ echo out; echo err >&2; } 2>/dev/null | cat

#### pipeline subshell variable not leaked
x=1
echo 2 | read x
echo $x

#### pipeline last elem runs in subshell
x=1
echo 2 | { read x; echo "in $x"; }
echo "out $x"

#### pipeline into while loop
printf '1\n2\n3\n' | while read n; do echo "got $n"; done

#### pipeline while count not leaked
c=0
printf 'a\nb\n' | while read l; do c=$((c+1)); done
echo $c

#### pipeline with brace group
{ echo b; echo a; } | sort

#### pipeline with subshell
(echo x; echo y) | wc -l | tr -d ' '

#### pipeline exit code of exit in stage
echo | (exit 7)
echo $?

#### pipe across newline after bar
echo abc |
  tr a-c x-z

#### head closes pipe early
yes | head -3

#### pipeline with and-or
echo a | grep -q a && echo yes || echo no

#### negation with and list
! false && echo ok

#### pipe into cat number lines
printf 'x\ny\n' | cat -n | tr -s ' \t' ' '

#### pipeline of builtins
echo builtin | read v; echo "${v-unset}"
