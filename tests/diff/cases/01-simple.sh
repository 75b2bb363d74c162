# Simple commands and assignments.

#### echo words
echo hello world

#### echo multiple spaces collapse
echo a    b	c

#### true status
true
echo $?

#### false status
false
echo $?

#### colon builtin
: ignored args here
echo $?

#### two assignments one line
a=1 b=2
echo $a $b

#### assignment uses earlier assignment
a=1 b=$a
echo $b

#### assignment right to left order
a=1
a=2 b=$a
echo $a $b

#### prefix assignment only in command env
x=1 printenv x
echo "[${x-unset}]"

#### prefix assignment via env grep
foo=bar env | grep '^foo='
env | grep -c '^foo=' || true

#### prefix assignment does not override later
x=outer
x=inner printenv x
echo $x

#### assignment without command persists
x=5
echo $x

#### assignment status is last command subst
x=$(false)
echo $?
x=$(true)
echo $?

#### empty assignment
x=
echo "[$x]"
echo ${x+set}

#### assignment value with spaces quoted
x="a   b"
echo "$x"

#### assignment no field splitting
v="a   b"
x=$v
echo "$x"

#### assignment no globbing
touch a1 a2
x=a*
echo "$x"

#### assignment tilde after colon
HOME=/h
x=~/a:~/b
echo "$x"

#### command with absolute path
/bin/echo abs

#### command found via PATH
printf '%s\n' viapath

#### comment ignored
echo a # this is a comment
# full comment line
echo b#not-comment

#### semicolons on one line
echo a; echo b; echo c

#### line continuation
echo one \
two \
three

#### empty lines and whitespace
   

   echo indented

#### multiple prefix assignments to command
a=1 b=2 env | grep -E '^(a|b)=' | sort

#### prefix assignment exported var restored
export y=orig
y=temp printenv y
printenv y

#### assignment of special chars
x='$HOME;|&<>'
echo "$x"

#### reserved word as argument
echo if then else fi do done

#### exit with no args keeps status
false
exit

#### exit with explicit status
exit 3

#### exit status modulo 256
exit 257

#### script without trailing newline
printf 'no-nl'
