# Functions, local, return, positional parameters.

#### simple function
f() { echo in-f; }
f

#### function keyword bash
## bash-only
function g { echo in-g; }
g

#### function keyword with parens bash
## bash-only
function h() { echo in-h; }
h

#### function args
f() { echo "$1-$2"; }
f a b

#### function arg count
f() { echo $#; }
f
f a
f a "b c" d

#### function all args
f() { for a in "$@"; do echo "[$a]"; done; }
f 1 "2 3" ""

#### function positional restored after
set -- outer1 outer2
f() { echo "in $1"; }
f inner
echo "out $1 $#"

#### function return status
f() { return 3; }
f
echo $?

#### function return without arg uses last
f() { false; return; }
f
echo $?

#### function implicit status
f() { true; false; }
f
echo $?

#### return stops function
f() { echo a; return 0; echo b; }
f

#### function modifies global
x=1
f() { x=2; }
f
echo $x

#### local variable with value
x=global
f() { local x=inner; echo $x; }
f
echo $x

#### local in dash and bash
x=global
f() { local x; x=inner; echo $x; }
f
echo $x

#### local without value
## bash-only
x=g
f() { local x; echo "[${x-unset}]"; }
f

#### local dynamic scope
x=g
inner() { echo "inner sees $x"; }
outer() { local x; x=o; inner; }
outer
echo $x

#### recursion factorial
fact() {
  if [ $1 -le 1 ]; then echo 1; return; fi
  echo $(( $1 * $(fact $(($1 - 1))) ))
}
fact 5

#### recursion fibonacci
fib() {
  if [ $1 -lt 2 ]; then echo $1; return; fi
  echo $(( $(fib $(($1-1))) + $(fib $(($1-2))) ))
}
fib 10

#### recursion with local counter
count() { local n=$1; [ $n -eq 0 ] && return; echo $n; count $((n-1)); echo back$n; }
count 3

#### function redefinition
f() { echo one; }
f
f() { echo two; }
f

#### function in pipeline
f() { echo piped; }
f | tr a-z A-Z

#### function output captured
f() { echo captured; }
x=$(f)
echo "[$x]"

#### function with redirect in definition
f() { echo redirected; } > f.out
f
cat f.out

#### function shift
f() { shift; echo "$@"; }
f a b c

#### function shift 2
f() { shift 2; echo "$# $*"; }
f a b c d

#### function calling function
a() { echo a; b; }
b() { echo b; }
a

#### function exit exits script
f() { exit 4; }
f
echo never

#### function defined after use fails
g 2>/dev/null
echo $?
g() { echo late; }
g

#### function name with underscore digits
my_func2() { echo ok; }
my_func2

#### function body subshell
f() ( x=inner; echo $x )
x=outer
f
echo $x

#### function return in loop
f() { for i in 1 2 3; do [ $i = 2 ] && return $i; done; }
f
echo $?

#### unset function
f() { echo f; }
unset -f f
f 2>/dev/null
echo $?

#### function overriding command
ls() { echo fake-ls; }
ls
command ls >/dev/null && echo real-ls-ok

#### function dollar zero unchanged
f() { [ "$0" = "$outer0" ] && echo same; }
outer0=$0
f

#### return outside function in sourced file
echo 'echo in-src; return 5; echo no' > s.sh
. ./s.sh
echo $?

#### function and-or return
f() { [ "$1" = yes ]; }
f yes && echo t
f no || echo f

#### function with local and return value through echo
sum() { local s=0 i; for i in "$@"; do s=$((s+i)); done; echo $s; }
echo $(sum 1 2 3 4)

#### function multiline definition
f()
{
  echo multiline
}
f

#### function recursion depth
d() { [ $1 -ge 50 ] && { echo reached $1; return; }; d $(($1+1)); }
d 0
