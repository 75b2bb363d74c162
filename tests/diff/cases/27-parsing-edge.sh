# Parser and expansion corner cases; stderr comparisons where output is stable.

#### subshell inside command substitution needs space
echo $( (echo a); echo b )

#### arithmetic vs nested subshell
echo $(( (1 + 2) * 3 ))

#### command subst inside arithmetic
echo $(( $(echo 4) + $(echo 5) ))

#### closing paren inside heredoc in subst
x=$(cat <<EOF
a ) b
EOF
)
echo "$x"

#### close paren in quotes inside subst
echo "$(echo ')' "(")"

#### braces as plain words
echo { } {} a{ }b

#### bang as plain word
echo ! x !

#### keywords as arguments
echo then fi case esac in while

#### line continuation splits a word
ec\
ho joined

#### line continuation in variable name position
x=va\
lue
echo $x

#### comment after dsemi
case a in a) echo A;; # comment
esac

#### comment with quote char
echo ok # it's fine "really"

#### hash in word not comment
echo a#b #real comment

#### single quotes in double quoted default
unset x
echo "${x:-'a'}"

#### double quoted default with spaces
unset x
echo "${x:-a   b}"

#### quoted default inside unquoted expansion
unset x
set -- ${x:-"a b"} c
echo $#

#### command subst default with quotes
unset x
echo "${x-$(echo "a b")}"

#### nested param in pattern removal
x=abc.d
ext=.d
echo "${x%"$ext"}"

#### string append bash
## bash-only
x=ab
x+=cd
echo $x

#### dollar at end of double quotes
echo "a$"

#### dollar followed by non name
echo $% $, $.

#### variable name boundary
ab=1
a=2
echo $ab ${a}b

#### assignment looking word after command is argument
echo a=b
env x=1 printenv x

#### semicolon after brace close
{ echo a; }; echo b

#### newline inside brace group
{ echo a
echo b; }

#### empty for body lines
for i in 1
do

  echo $i

done

#### multiple blank-separated pipelines with background
echo one & wait; echo two

#### redirection operator without spaces
echo x>f;cat<f

#### fd redirect digits attached only
echo 2>f x
cat f
echo 2 >f
cat f

#### stderr compare simple
## stderr
echo out
echo err >&2

#### stderr compare ordering redirect
## stderr
{ echo to-err >&2; echo to-out; } 2>&1 >f
echo ---
cat f

#### stderr compare swap fds
## stderr
{ echo A; echo B >&2; } 3>&1 1>&2 2>&3 3>&-

#### stderr compare function redirect
## stderr
warn() { echo "warning: $*" >&2; }
warn disk low
echo done

#### stderr compare devnull silences
## stderr
ls no_such_file_xyz 2>/dev/null
echo quiet

#### times builtin status only
## status-only
times

#### very long argument list
set -- $(seq 1 2000)
echo $# ${2000}

#### long string variable
x=$(printf '%0500d' 0)
echo ${#x}

#### deep nesting of subshells
( ( ( ( ( echo deep5 ) ) ) ) )

#### deep nesting of command substitutions
echo $(echo $(echo $(echo $(echo $(echo five)))))

#### if inside pipeline inside subst
x=$(if true; then echo yes; fi | tr y Y)
echo $x

#### case inside function inside loop
f() { case $1 in a) echo A;; *) echo other;; esac; }
for v in a b; do f $v; done

#### while loop output piped to sort
i=3
while [ $i -gt 0 ]; do echo $i; i=$((i-1)); done | sort
