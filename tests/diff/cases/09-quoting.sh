# Quoting.

#### single quotes literal
printf '%s\n' '$HOME `x` "q" \n'

#### double quotes expand var
x=val
echo "x is $x"

#### double quotes keep spaces
echo "a    b"

#### backslash escapes space
echo a\ \ b

#### backslash in double quotes special only
printf '%s\n' "\$ \` \" \\ \a \n"

#### backslash newline in double quotes
echo "one\
two"

#### single quote inside double
echo "it's"

#### double quote inside single
echo 'say "hi"'

#### adjacent quoting concatenation
echo 'a'"b"c\d

#### empty quotes make empty arg
set -- "" '' x
echo $#

#### unquoted empty var vanishes
e=
set -- $e x $e
echo $#

#### quoted empty var stays
e=
set -- "$e" x
echo $#

#### escaped single quote trick
echo 'it'\''s'

#### dollar single quote bash
## bash-only
echo $'tab\there' $'nl\nx' $'q\'q'

#### dollar single quote hex octal bash
## bash-only
echo $'\x41\102\u0043'

#### command subst nested quotes in double quotes
x="$(echo "inner "quoted" text")"
echo "$x"

#### nested command subst with quotes
echo "$(echo "$(echo "deep  spaces")")"

#### quoted command subst keeps newlines
x="$(printf 'a\nb')"
echo "$x"

#### unquoted command subst splits
echo $(printf 'a\n\nb   c')

#### backslash before normal char
echo \a\b\c

#### backslash at end of word in quotes
echo "end\\"

#### dollar at end literal
echo "cost$"
echo cost$

#### quoted glob not expanded
touch x1 x2
echo "x*"
echo 'x?'
echo x\*

#### quote removal in assignment
x="a"'b'\c
echo $x

#### single quote across lines
echo 'line1
line2'

#### double quote across lines
echo "l1
l2"

#### hash inside quotes not comment
echo "a # b" 'c # d'

#### semicolon quoted
echo "a;b" 'c|d' e\&f

#### brace in quotes literal
echo "{a,b}" '{1..3}'

#### tilde in quotes literal
echo "~" '~'

#### dollar brace in single quotes
echo '${x:-y}'

#### double quoted at expansion positional
set -- "a b" c
for x in "$@"; do echo "[$x]"; done

#### quoted star positional joined
set -- a b c
echo "$*"

#### backtick quoting
x=`echo "bt  x"`
echo "$x"

#### backtick with escaped backtick inner
echo `echo \`echo nested\``

#### backtick backslash dollar
x=1
echo `echo \$x`

#### special chars in single quotes printf
printf '%s\n' '!@#$%^&*()'

#### quoted newline in variable echo
x='a
b'
echo "$x"
echo $x

#### unicode bytes pass through
printf '%s' 'caf\303\251' | wc -c
printf 'h\303\251\n'

#### dollar double quote bash
## bash-only
## aegish-differs: $"..." may be translated through a message catalog, so what runs would not be what was checked; refused
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo $"plain"
