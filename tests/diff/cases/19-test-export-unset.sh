# test/[, export, unset, readonly.

#### test string equal
[ abc = abc ] && echo eq
test abc != abd && echo ne

#### test empty nonempty
[ -z "" ] && echo z
[ -n "x" ] && echo n

#### test single arg true if nonempty
[ x ] && echo one-arg
[ "" ] || echo empty-arg

#### test no args false
[ ]
echo $?

#### test numeric ops
[ 3 -eq 3 ] && [ 3 -ne 4 ] && [ 2 -lt 3 ] && [ 3 -le 3 ] && [ 4 -gt 3 ] && [ 4 -ge 4 ] && echo all

#### test negative numbers
[ -5 -lt 2 ] && echo neg

#### test file ops
touch f
mkdir d
[ -e f ] && [ -f f ] && [ -d d ] && [ ! -f d ] && echo files

#### test size and readable
touch empty
echo x > full
[ -s full ] && echo full-nonempty
[ -s empty ] || echo empty-is-empty
[ -r full ] && [ -w full ] && echo rw

#### test executable bit
touch s
[ -x s ] || echo not-x
chmod +x s
[ -x s ] && echo is-x

#### test symlink
touch t
ln -s t l
[ -L l ] && [ -h l ] && echo link
[ -L t ] || echo not-link

#### test negation
[ ! -e nothing ] && echo neg

#### test and or flags
[ 1 -eq 1 -a 2 -eq 2 ] && echo a
[ 1 -eq 2 -o 2 -eq 2 ] && echo o

#### test parens
[ \( 1 -eq 2 \) -o \( 3 -eq 3 \) ] && echo paren

#### test bad integer status 2
[ abc -eq 1 ] 2>/dev/null
echo $?

#### test missing bracket status 2
[ 1 = 1 2>/dev/null
echo $?

#### test false status 1
[ a = b ]
echo $?

#### test string with dash
x=-n
[ "$x" = "-n" ] && echo dash-string

#### test newer older
touch -d '2001-01-01' old 2>/dev/null || touch -t 200101010000 old
touch new
[ new -nt old ] && echo newer
[ old -ot new ] && echo older

#### test double equals bash
## bash-only
[ a == a ] && echo double-eq

#### test string less than bash
## bash-only
[ a \< b ] && echo lt

#### export visible in env
export MYVAR=hello
env | grep '^MYVAR='

#### export existing var
V=1
printenv V || echo not-exported
export V
printenv V

#### unexported not in env
U=1
env | grep -c '^U=' || true

#### export -p includes var
export EXV=1
export -p | grep -q EXV && echo listed

#### export then modify
export M=1
M=2
printenv M

#### export multiple
export A1=a B1=b
printenv A1 B1

#### unset variable
x=1
unset x
echo "[${x-unset}]"

#### unset exported var leaves env
export Q=1
unset Q
printenv Q || echo gone

#### unset -v
x=1
unset -v x
echo ${x-unset}

#### unset function only with -f
f=var
f() { echo fn; }
unset -f f
echo $f
f 2>/dev/null || echo no-fn

#### unset nonexistent ok
unset never_set_xyz
echo $?

#### readonly assign fails
readonly R=1
(R=2) 2>/dev/null || echo refused
echo $R

#### readonly assign in script exits bash
## bash-only
readonly R=1
R=2 2>/dev/null
echo "continues $?"

#### readonly unset fails
readonly R=1
(unset R) 2>/dev/null || echo cannot-unset

#### readonly declare then value
R=v
readonly R
echo $R
(R=w) 2>/dev/null || echo ro

#### readonly -p lists
readonly RO=1
readonly -p | grep -q RO && echo listed

#### export with no value then assign
export LATE
LATE=yes
printenv LATE

#### env prefix with export interplay
export E=base
E=pref printenv E
printenv E

#### var name case sensitive
a=lower A=upper
echo $a $A
