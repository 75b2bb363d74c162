# And-or lists, ; and &, wait, subshells, brace groups.

#### and list both
true && echo yes

#### and list short circuit
false && echo no
echo $?

#### or list
false || echo fallback

#### or list short circuit
true || echo no
echo $?

#### and or chain left assoc
false && echo a || echo b

#### and or chain 2
true || echo a && echo b

#### and or status of last
false || false
echo $?

#### long chain
true && false && echo x || echo y && echo z

#### and or across newlines
true &&
echo next ||
echo never

#### background and wait
echo bg > f &
wait
cat f

#### wait for specific pid status
(exit 5) &
wait $!
echo $?

#### wait no jobs
wait
echo $?

#### background status zero immediately
false &
echo $?
wait

#### bang pid is numeric
sleep 0 &
case $! in *[!0-9]*|'') echo bad;; *) echo numeric;; esac
wait

#### multiple background jobs wait all
(echo a > fa) &
(echo b > fb) &
wait
cat fa fb

#### subshell variable not leaked
x=1
(x=2; echo in $x)
echo out $x

#### subshell cd not leaked
mkdir d
(cd d && pwd | sed 's|.*/||')
[ "$PWD" = "$HOME" ] && echo still-home

#### exit in subshell
(exit 3)
echo $?
echo continues

#### exit in subshell stops subshell only
(echo a; exit 1; echo b)
echo c

#### subshell inherits vars
x=outer
(echo $x)

#### nested subshells
( ( (echo deep; exit 4) ); echo $? )

#### brace group shares vars
x=1
{ x=2; echo in $x; }
echo out $x

#### brace group status
{ true; false; }
echo $?

#### brace group exit exits script
{ echo a; exit 2; }
echo never

#### brace group needs semicolon
{ echo one; echo two; }

#### brace group on multiple lines
{
  echo multi
  echo line
}

#### subshell no space
(echo nospace)

#### semicolon sequence status last
false; true
echo $?

#### background job output ordering with wait
{ echo first; } > f &
wait
echo second >> f
cat f

#### subshell function definition not leaked
( f() { echo f; }; f )
command -v f >/dev/null || echo not-defined

#### subshell set -e not leaked
(set -e; false; echo no)
echo "after $?"

#### subshell trap exit
(trap 'echo sub-exit' EXIT; echo body)
echo after

#### and-or in subshell with exit
(false || exit 9) ; echo $?

#### background brace group with wait status
{ sleep 0; exit 6; } &
wait $!
echo $?

#### wait returns last waited status
(exit 2) & p1=$!
(exit 3) & p2=$!
wait $p1; echo $?
wait $p2; echo $?
