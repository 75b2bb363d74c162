# [[ ... ]] conditional command (bash).

#### dbracket string equal
## bash-only
[[ abc == abc ]] && echo eq

#### dbracket pattern match
## bash-only
[[ foo.txt == *.txt ]] && echo glob

#### dbracket quoted pattern literal
## bash-only
[[ foo.txt == "*.txt" ]] || echo literal

#### dbracket not equal pattern
## bash-only
[[ abc != a* ]] || echo matched-so-false

#### dbracket single equals
## bash-only
[[ x = x ]] && echo single

#### dbracket no word splitting
## bash-only
v="a b"
[[ $v == "a b" ]] && echo no-split

#### dbracket empty var without quotes
## bash-only
e=
[[ -z $e ]] && echo empty
[[ -n $e ]] || echo not-nonempty

#### dbracket regex status
## bash-only
[[ abc123 =~ ^[a-z]+[0-9]+$ ]] && echo re-match
[[ abc =~ ^[0-9]+$ ]] || echo re-nomatch

#### dbracket regex quoted is literal
## bash-only
[[ 'a.c' =~ "a.c" ]] && echo lit1
[[ 'abc' =~ "a.c" ]] || echo lit2

#### dbracket regex from variable
## bash-only
re='^v[0-9]+\.[0-9]+$'
[[ v1.22 =~ $re ]] && echo version

#### dbracket regex invalid status 2
## bash-only
re='('
[[ a =~ $re ]] 2>/dev/null
echo $?

#### dbracket string less greater
## bash-only
[[ apple < banana ]] && echo lt
[[ b > a ]] && echo gt

#### dbracket file tests
## bash-only
touch f
mkdir d
[[ -f f ]] && echo file
[[ -d d ]] && echo dir
[[ -e nope ]] || echo missing
[[ -f d ]] || echo not-file

#### dbracket and or
## bash-only
[[ 1 == 1 && 2 == 2 ]] && echo and
[[ 1 == 2 || 2 == 2 ]] && echo or

#### dbracket not
## bash-only
[[ ! -e nope ]] && echo negated

#### dbracket parentheses grouping
## bash-only
[[ ( 1 == 2 || 3 == 3 ) && ! 4 == 5 ]] && echo grouped

#### dbracket numeric comparisons
## bash-only
[[ 10 -gt 9 ]] && echo gt
[[ 010 -eq 8 ]] && echo octal || echo decimal

#### dbracket arithmetic in numeric op
## bash-only
x=3
[[ x+1 -eq 4 ]] && echo arith

#### dbracket status false is 1
## bash-only
[[ a == b ]]
echo $?

#### dbracket no glob expansion of operands
## bash-only
touch aa
[[ a* == a* ]] && echo pattern-vs-literal

#### dbracket pattern with variable unquoted globs
## bash-only
p='x*'
[[ xyz == $p ]] && echo unq
[[ xyz == "$p" ]] || echo q

#### dbracket short circuit
## bash-only
[[ 1 == 2 && -n $(touch side) ]]
echo $?
[ -e side ] || echo short-circuited

#### dbracket in if elif
## bash-only
v=b
if [[ $v == a ]]; then echo A; elif [[ $v == b ]]; then echo B; fi

#### dbracket -v variable set
## bash-only
x=1
[[ -v x ]] && echo set
[[ -v nope_xyz ]] || echo unset

#### dbracket string concatenation
## bash-only
a=foo b=bar
[[ $a$b == foobar ]] && echo concat

#### dbracket extglob-free bracket pattern
## bash-only
[[ b == [abc] ]] && echo cls
