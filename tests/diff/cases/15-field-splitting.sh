# Field splitting and IFS.

#### default splitting spaces tabs newlines
x="a  b	c
d"
set -- $x
echo $#

#### leading trailing whitespace ignored
x="   a b   "
set -- $x
echo "$#:$1:$2"

#### custom IFS colon
x=a:b:c
IFS=:
set -- $x
echo "$# $2"

#### custom IFS empty fields kept
x=a::b
IFS=:
set -- $x
echo $#
for f in "$@"; do echo "[$f]"; done

#### custom IFS trailing delimiter no extra field
x=a:b:
IFS=:
set -- $x
echo $#

#### custom IFS leading delimiter empty field
x=:a
IFS=:
set -- $x
echo "$# [$1]"

#### IFS whitespace plus nonwhitespace
x="a : b"
IFS=' :'
set -- $x
echo "$# [$1] [$2]"

#### empty IFS no splitting
x="a b c"
IFS=
set -- $x
echo $#

#### unset IFS default splitting
x="a b	c"
unset IFS
set -- $x
echo $#

#### IFS affects only expansions not literals
IFS=:
echo a:b c

#### splitting of command substitution
IFS=,
set -- $(echo 1,2,3)
echo $#

#### quoted expansion not split
x="a b c"
set -- "$x"
echo $#

#### dollar at unquoted with custom IFS
set -- "a b" c
IFS=:
set -- $@
echo $#

#### dollar star quoted custom IFS join
set -- a b c
IFS=-
echo "$*"

#### dollar star unquoted custom IFS
set -- "a-b" c
IFS=-
for x in $*; do echo "[$x]"; done

#### IFS restored after subshell
x="a:b"
(IFS=:; set -- $x; echo $#)
set -- $x
echo $#

#### splitting empty var yields no fields
e=
set -- $e $e
echo $#

#### splitting whitespace only var
w="   "
set -- $w
echo $#

#### IFS newline only
x="a b
c d"
IFS='
'
for l in $x; do echo "[$l]"; done

#### read uses IFS
IFS=: read a b <<EOF
x:y:z
EOF
echo "$a|$b"

#### splitting arithmetic result
IFS=1
x=$((515))
set -- $x
echo $#

#### no splitting in assignment
v="a  b"
w=$v
echo "$w"

#### no splitting in case word
v="a b"
case $v in "a b") echo whole;; esac

#### splitting with glob chars in field
touch f1 f2
x="f*  z"
set -- $x
echo $#

#### IFS with backslash-free tab
x="a	b"
IFS='	'
set -- $x
echo "$# $1"

#### IFS prefix assignment to read only
x="1:2"
IFS=: read a b <<EOF
$x
EOF
set -- $x
echo "$a $b $#"

#### concatenated expansion splitting
a="1 2" b="3 4"
set -- $a$b
echo "$# $2"
