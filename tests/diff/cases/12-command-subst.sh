# Command substitution.

#### dollar paren basic
echo "$(echo hi)"

#### backticks basic
echo `echo hi`

#### trailing newlines stripped
x=$(printf 'a\n\n\n')
echo "[$x]"

#### inner newlines kept
x=$(printf 'a\n\nb\n')
echo "[$x]"

#### leading newlines kept
x=$(printf '\n\na')
echo "[$x]"

#### nested dollar paren
echo $(echo $(echo $(echo deep)))

#### nested backticks escaped
echo `echo \`echo inner\``

#### exit status of assignment from subst
x=$(exit 3)
echo $?

#### exit status false subst
x=$(false)
echo $?

#### status of subst in command args is command status
echo $(false) >/dev/null
echo $?

#### subst variable not leaked
x=1
y=$(x=2; echo $x)
echo $x $y

#### subst in arithmetic
echo $(( $(echo 3) * 2 ))

#### subst with pipeline
echo $(printf 'c\nb\na\n' | sort | tr '\n' ' ')

#### subst with case inside
x=$(case a in a) echo matched;; esac)
echo $x

#### subst with paren in case pattern
x=$(case b in (b) echo paren-pat;; esac)
echo $x

#### subst with comment inside
x=$(
  echo value # comment )
)
echo $x

#### subst with heredoc inside
x=$(cat <<EOF
hd
EOF
)
echo $x

#### subst output only trailing newline removed not spaces
x=$(printf 'a  \n')
echo "[$x]"

#### subst empty output
x=$(true)
echo "[$x]"

#### subst exit in subst does not exit script
x=$(exit 1; echo no)
echo "continues [$x]"

#### subst with quotes inside double quotes
echo "$(echo 'single' "double")"

#### subst stderr not captured
x=$(echo err >&2; echo out)
echo "[$x]"

#### subst capturing stderr
x=$(ls no_such_xyz 2>&1 >/dev/null | wc -l)
echo $x

#### subst reading file
echo content > f
x=$(cat f)
echo $x

#### subst field splitting of result
set -- $(echo "a b  c")
echo $#

#### subst result quoted no split
set -- "$(echo "a b  c")"
echo $#

#### subst result globbed unquoted
touch g1 g2
echo $(echo 'g*')

#### subst dollar-less fd read bash
## bash-only
echo data > f
echo "$(< f)"

#### backtick with dollar var
v=val
echo `echo $v`

#### subst in for list
for i in $(seq 1 3); do echo i$i; done

#### subst last status in multiple substs
x=$(true)$(exit 5)
echo $?

#### subst with function call
f() { echo fn-out; return 2; }
x=$(f)
echo "$x $?"
