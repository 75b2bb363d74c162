# Parameter expansion.

#### default unset
unset x
echo "${x:-def}" "${x-def}"

#### default empty colon vs no colon
x=
echo "[${x:-def}]" "[${x-def}]"

#### default set
x=val
echo "${x:-def}" "${x-def}"

#### default word expanded
d=dflt
echo ${unset_v:-$d-$(echo sub)}

#### assign default
unset x
echo ${x:=assigned}
echo $x

#### assign default no colon empty
x=
echo "[${x=new}]"
echo "[$x]"

#### assign default colon empty
x=
echo "[${x:=new}]"
echo "[$x]"

#### error if unset message status bash
## bash-only
unset x
echo ${x:?custom message}
echo never

#### error if unset stops script
unset x
( echo before; : ${x:?gone}; echo never ) 2>/dev/null
[ $? -ne 0 ] && echo failed

#### error if unset status bash
## bash-only
unset x
(: ${x:?oops}) 2>/dev/null
echo $?

#### error if unset in subshell continues
unset x
( : ${x:?msg} ) 2>/dev/null
[ $? -ne 0 ] && echo subshell-failed
echo continues

#### error colon empty vs unset
x=
(: ${x?notfired}) 2>/dev/null && echo empty-ok
(: ${x:?fired}) 2>/dev/null || echo empty-fails

#### error when set no error
x=v
echo ${x:?no}

#### alternate value
x=v
echo "[${x:+alt}]"
unset x
echo "[${x:+alt}]"

#### alternate empty colon
x=
echo "[${x:+alt}]" "[${x+alt}]"

#### length
x=hello
echo ${#x}

#### length empty and unset
x=
echo ${#x}
unset y
echo ${#y}

#### length multibyte bytes in C locale
x=abc
echo ${#x}

#### remove shortest suffix
f=archive.tar.gz
echo ${f%.*}

#### remove longest suffix
f=archive.tar.gz
echo ${f%%.*}

#### remove shortest prefix
p=/usr/local/bin
echo ${p#*/}

#### remove longest prefix
p=/usr/local/bin
echo ${p##*/}

#### remove prefix no match
x=abc
echo ${x#z} ${x%z}

#### remove with quoted pattern literal
x='a*b*c'
echo "${x#"a*"}" "${x#a*}"

#### remove with variable pattern
x=prefix-body
p=prefix-
echo ${x#$p}

#### remove bracket pattern
x=abc123
echo ${x%%[0-9]*}

#### dirname basename idiom
path=/a/b/c.txt
echo "${path%/*}" "${path##*/}"

#### pattern from question mark
x=abcd
echo ${x#??} ${x%?}

#### nested default
unset a b
echo ${a:-${b:-deep}}

#### expansion in double quotes preserves spaces
x="a   b"
echo "${x:-z}"

#### default not word split when quoted
unset x
for w in "${x:-one two}"; do echo "[$w]"; done

#### default split when unquoted
unset x
for w in ${x:-one two}; do echo "[$w]"; done

#### braces needed for adjacent text
x=va
echo "${x}lue" "$xlue"

#### positional beyond nine
set -- 1 2 3 4 5 6 7 8 9 ten
echo ${10} $10

#### length of positional count
set -- a b c
echo ${#}

#### substitute first bash
## bash-only
x=aXbXc
echo ${x/X/-}

#### substitute all bash
## bash-only
x=aXbXc
echo ${x//X/-}

#### substitute prefix bash
## bash-only
x=abcabc
echo ${x/#abc/Z} ${x/#bc/Z}

#### substitute suffix bash
## bash-only
x=abcabc
echo ${x/%abc/Z} ${x/%ab/Z}

#### substitute delete bash
## bash-only
x=a-b-c
echo ${x//-}

#### substitute glob pattern bash
## bash-only
x=file123name
echo ${x//[0-9]/#}

#### substring offset bash
## bash-only
x=abcdef
echo ${x:2} ${x:2:3} ${x:0:1}

#### substring negative offset bash
## bash-only
x=abcdef
echo ${x: -2} ${x: -4:2}

#### substring negative length bash
## bash-only
x=abcdef
echo ${x:1:-1}

#### substring out of range bash
## bash-only
x=abc
echo "[${x:5}]"

#### uppercase all bash
## bash-only
x=hello
echo ${x^^}

#### lowercase all bash
## bash-only
x=HeLLo
echo ${x,,}

#### uppercase first bash
## bash-only
x=hello
echo ${x^}

#### substring of positional bash
## bash-only
set -- a b c d e
echo ${@:2:2}

#### substitute with variable replacement bash
## bash-only
x=hello
r=J
echo ${x/h/$r}

#### dollar brace unset with set -u default ok
set -u
unset x
echo ${x:-fine}

#### hash prefix on special param
set -- abc def
echo ${#1}

#### unset vs empty plus test
unset u
e=
echo ${u+u-set} ${e+e-set}

#### percent on path with trailing slash
d=dir/sub/
echo ${d%/}

#### assign default on positional fails
## bash-only
: ${1:=x}
echo never

#### expansion of unset in arithmetic context
unset n
echo $((n + 1))
