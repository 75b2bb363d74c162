# read, eval, source/., command, type.

#### read single var
## stdin: hello world
read x
echo "[$x]"

#### read multiple vars last gets rest
## stdin: a b c d
read x y
echo "[$x] [$y]"

#### read more vars than fields
## stdin: only
read x y z
echo "[$x] [$y] [$z]"

#### read strips leading trailing whitespace
## stdin:    padded   
read x
echo "[$x]"

#### read backslash processing
## stdin: a\tb\\c
read x
printf '%s\n' "[$x]"

#### read -r raw
## stdin: a\tb\\c
read -r x
printf '%s\n' "[$x]"

#### read backslash newline continuation
## stdin: first \
## stdin: second
read x
echo "[$x]"

#### read -r no continuation
## stdin: first \
## stdin: second
read -r x
echo "[$x]"

#### read with custom IFS
## stdin: k=v=w
IFS== read a b
echo "$a|$b"

#### read IFS empty keeps whitespace
## stdin:   spaced  
IFS= read -r line
echo "[$line]"

#### read EOF status
read x < /dev/null
echo "$? [$x]"

#### read last line without newline
printf 'no-newline' | { read x; echo "$? [$x]"; }

#### read loop over lines
## stdin: one
## stdin: two
## stdin: three
while read -r l; do echo "got $l"; done

#### read loop handles missing final newline
printf 'a\nb' | while read -r l || [ -n "$l" ]; do echo "[$l]"; done

#### read from heredoc in loop with counter
n=0
while read -r l; do n=$((n+1)); done <<EOF
1
2
3
EOF
echo $n

#### read from file redirect
printf 'x y\n' > f
read a b < f
echo "$b $a"

#### read -p bash prompt not on stdout
## bash-only
## stdin: val
read -p 'prompt: ' v
echo "[$v]"

#### read -a absent use -n bash
## bash-only
## stdin: abcdef
read -n 3 v
echo "[$v]"

#### read -d delimiter bash
## bash-only
## stdin: a,b,c
read -d , v
echo "[$v]"

#### read consumes one line only
## stdin: l1
## stdin: l2
read a
read b
echo "$b $a"

#### cat after read gets rest
## stdin: l1
## stdin: l2
## stdin: l3
read a
cat

#### eval simple
eval 'echo evaluated'

#### eval builds variable name
name=foo
eval "$name=bar"
echo $foo

#### eval indirect read
foo=value
name=foo
eval "echo \$$name"

#### eval multiple commands
eval 'a=1; b=2'
echo $a$b

#### eval status
eval false
echo $?
eval
echo $?

#### eval concatenates args
eval echo one '"two  three"'

#### eval defines function
eval 'g() { echo from-eval; }'
g

#### eval syntax error status
(eval 'if then' ) 2>/dev/null
echo $?

#### eval with quoting preserved
x='a  b'
eval "y=\"$x\""
echo "$y"

#### source file sets var
echo 'sourced=yes' > lib.sh
. ./lib.sh
echo $sourced

#### source bash keyword
## bash-only
echo 'v=1' > lib.sh
source ./lib.sh
echo $v

#### source defines functions
cat > lib.sh <<'EOF'
greet() { echo "hi $1"; }
EOF
. ./lib.sh
greet bob

#### source with arguments bash
## bash-only
echo 'echo "args: $*"' > lib.sh
source ./lib.sh a b

#### source return status
echo 'return 4' > lib.sh
. ./lib.sh
echo $?

#### source last command status
echo 'false' > lib.sh
. ./lib.sh
echo $?

#### source missing file fails
( . ./missing.sh ) 2>/dev/null
echo "st nonzero $([ $? -ne 0 ] && echo yes)"

#### source sees caller locals and positional
echo 'echo "in lib: $1"' > lib.sh
set -- outer
. ./lib.sh

#### command -v builtin and external
command -v echo
command -v cat

#### command -v missing fails
command -v no_such_cmd_xyz || echo missing

#### command -v missing status bash
## bash-only
command -v no_such_cmd_xyz
echo $?

#### command -v function name
f() { :; }
command -v f

#### command bypasses function
echo() { printf 'fn\n'; }
echo x
command echo real

#### command runs external
command printf '%s\n' via-command

#### type -t kinds bash
## bash-only
f() { :; }
type -t f echo cat if

#### type missing status bash
## bash-only
type -t no_such_cmd_xyz
echo $?

#### type builtin names output
type cd >/dev/null && echo found

#### hash and which free command lookup
command -V true >/dev/null 2>&1 && echo V-ok
