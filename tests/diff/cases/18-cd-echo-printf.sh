# cd, pwd, echo, printf.

#### pwd equals home initially
[ "$(pwd)" = "$HOME" ] && echo yes

#### cd into dir updates PWD
mkdir sub
cd sub
echo ${PWD##*/}
[ "$(pwd)" = "$PWD" ] && echo consistent

#### cd dotdot
mkdir -p a/b
cd a/b
cd ..
echo ${PWD##*/}

#### cd sets OLDPWD
mkdir sub
cd sub
[ "$OLDPWD" = "$HOME" ] && echo oldpwd

#### cd dash goes back and prints
mkdir sub
cd sub
cd - >/dev/null
[ "$PWD" = "$HOME" ] && echo back

#### cd dash prints new dir
mkdir sub
cd sub
x=$(cd -)
[ "$x" = "$HOME" ] && echo printed

#### cd missing dir fails
cd no_such_dir_xyz 2>/dev/null
[ $? -ne 0 ] && echo failed
[ "$PWD" = "$HOME" ] && echo unchanged

#### cd missing dir status bash
## bash-only
cd no_such_dir_xyz 2>/dev/null
echo $?

#### cd no args goes home
mkdir sub
cd sub
cd
[ "$PWD" = "$HOME" ] && echo home

#### cd to file fails
touch f
cd f 2>/dev/null || echo not-dir

#### cd logical through symlink
mkdir real
ln -s real link
cd link
echo ${PWD##*/}
cd -P . 2>/dev/null
echo ${PWD##*/}

#### pwd -P resolves symlink
mkdir real
ln -s real link
cd link
pwd | sed 's|.*/||'
pwd -P | sed 's|.*/||'

#### cd dot stays
cd .
[ "$PWD" = "$HOME" ] && echo same

#### cd in function persists
mkdir d
f() { cd d; }
f
echo ${PWD##*/}

#### cd relative with dotdot components
mkdir -p x/y z
cd x/y/../../z
echo ${PWD##*/}

#### cd affects relative file ops
mkdir d
cd d
echo hi > f
cd ..
cat d/f

#### echo no args prints newline
echo
echo x

#### echo dash n
echo -n no-newline
echo

#### echo dash e bash
## bash-only
echo -e 'a\tb\nc'

#### echo escapes literal in bash default
## bash-only
echo 'a\nb'

#### echo dash E bash
## bash-only
echo -E 'x\ty'

#### echo double dash printed
echo -- x

#### echo combined flags bash
## bash-only
echo -ne 'p\x41\n'

#### echo non-flag dash arg
echo -z -

#### printf string
printf '%s-%s\n' a b

#### printf reuses format
printf '%s\n' one two three

#### printf integers
printf '%d %i %5d|%-5d|%05d\n' 42 7 3 3 3

#### printf hex octal
printf '%x %X %o %#x %#o\n' 255 255 8 255 8

#### printf char and percent
printf '%c%%\n' hello

#### printf string precision width
printf '[%10s][%-10s][%.2s]\n' right left truncate

#### printf missing args
printf '%s|%d|\n'

#### printf escape sequences
printf 'a\tb\\c\n'

#### printf b format
printf '%b\n' 'x\ty'

#### printf octal escape
printf '\101\102\n'

#### printf no trailing newline
printf abc
printf '\n'

#### printf negative number
printf '%d\n' -5

#### printf quote char value
printf '%d\n' "'A"

#### printf invalid number status
printf '%d\n' abc 2>/dev/null
echo "st $?"

#### printf extra args cycle with partial
printf '%s=%s\n' a 1 b

#### printf dash v bash
## bash-only
printf -v out '%03d' 7
echo $out

#### printf q format bash
## bash-only
printf '%q\n' 'a b'

#### printf float
printf '%.2f\n' 3.14159

#### printf plus and space flags
printf '%+d % d\n' 5 5

#### printf star width
printf '%*d|\n' 4 7

#### printf literal dash arg
printf -- '-x\n'

#### printf hex escape
## bash-only
printf '\x41\n'
