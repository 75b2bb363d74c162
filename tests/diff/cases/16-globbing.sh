# Pathname expansion.

#### star matches sorted
touch c.txt a.txt b.txt
echo *.txt

#### question mark
touch a1 a2 a10
echo a?

#### bracket class
touch f1 f2 f3 fx
echo f[12]

#### bracket negation
touch f1 f2 fx
echo f[!0-9]

#### no match keeps pattern
echo *.nomatch

#### no match in loop keeps pattern
for f in *.zzz; do echo "[$f]"; done

#### dotfiles hidden from star
touch .hidden visible
echo *

#### dotfiles explicit dot pattern
touch .hidden .other visible
echo .h*

#### dot star includes hidden but not dot dirs sorted
touch .a .b
echo .[!.]*

#### star slash directories only
mkdir d1 d2
touch file
echo */

#### glob in subdirectory
mkdir sub
touch sub/x.c sub/y.c sub/z.h
echo sub/*.c

#### glob multiple directories
mkdir -p a/x b/x
touch a/x/1 b/x/2
echo */x/*

#### quoted glob literal
touch a b
echo "*" '*'

#### glob from variable unquoted
touch m1 m2
p='m*'
echo $p "$p"

#### glob escaped
touch 'q*' q1
echo q\*

#### set -f disables glob
touch g1
set -f
echo g*
set +f
echo g*

#### glob sorted C locale uppercase first
touch b B a A
echo *

#### glob with spaces in names
touch 'x y' 'x z'
for f in x*; do echo "[$f]"; done

#### glob count with set
touch n1 n2 n3
set -- n*
echo $#

#### glob character class
touch 1a b2 c
echo [[:digit:]]*

#### glob no match with failglob off returns pattern quoted
set -- nomatch*
echo "$# $1"

#### glob in case not pathname
touch zz
case zz in z*) echo pattern-match;; esac

#### glob does not match slash
mkdir dd
touch dd/in
echo d*in

#### glob bracket with dash literal
touch a- ab
echo a[-]

#### glob in assignment not expanded
touch w1 w2
x=w*
echo "$x"

#### glob result in for with ls
touch r1 r2
for f in r*; do [ -f "$f" ] && echo "file $f"; done

#### nullglob bash
## bash-only
## aegish-differs: shopt is refused (status 2, named on stderr); the glob keeps the pattern
## expect-status: 0
## expect-stdout: 1
## expect-stderr-nonempty
shopt -s nullglob
set -- *.none
echo $#

#### globstar off double star like star
mkdir -p s/t
touch s/t/u s/v
echo s/**
