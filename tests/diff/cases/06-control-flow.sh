# if, while, until, for, break, continue.

#### if true
if true; then echo yes; fi

#### if false else
if false; then echo yes; else echo no; fi

#### elif chain
x=2
if [ $x = 1 ]; then echo one
elif [ $x = 2 ]; then echo two
elif [ $x = 3 ]; then echo three
else echo other
fi

#### if status when no branch taken
if false; then echo x; fi
echo $?

#### if status from branch
if true; then (exit 4); fi
echo $?

#### if condition list last counts
if false; true; then echo last-counts; fi

#### if multiline
if true
then
  echo multi
fi

#### nested if
if true; then if false; then echo a; else echo b; fi; fi

#### while counter
i=0
while [ $i -lt 3 ]; do
  echo $i
  i=$((i + 1))
done

#### while false never runs
while false; do echo never; done
echo $?

#### until loop
i=0
until [ $i -ge 3 ]; do echo $i; i=$((i+1)); done

#### until status
until true; do :; done
echo $?

#### for in list
for x in a b c; do echo $x; done

#### for in empty list
for x in; do echo never; done
echo done $?

#### for without in uses positional
set -- p1 p2 "p 3"
for a; do echo "[$a]"; done

#### for without in newline do
set -- q1 q2
for a
do
  echo $a
done

#### for in with expansion splitting
list="1 2 3"
for n in $list; do echo n$n; done

#### for in quoted no splitting
list="1 2 3"
for n in "$list"; do echo "n$n"; done

#### for variable persists after loop
for v in a b last; do :; done
echo $v

#### for glob
touch b.txt a.txt c.log
for f in *.txt; do echo $f; done

#### break
for i in 1 2 3 4; do
  [ $i = 3 ] && break
  echo $i
done

#### continue
for i in 1 2 3 4; do
  [ $i = 2 ] && continue
  echo $i
done

#### break 2
for i in 1 2 3; do
  for j in a b c; do
    [ $j = b ] && break 2
    echo $i$j
  done
done
echo out

#### continue 2
for i in 1 2 3; do
  for j in a b c; do
    [ $j = b ] && continue 2
    echo $i$j
  done
  echo never
done

#### break in while
i=0
while true; do
  i=$((i+1))
  [ $i -gt 3 ] && break
done
echo $i

#### continue in until
i=0
until [ $i -ge 4 ]; do
  i=$((i+1))
  [ $((i % 2)) -eq 0 ] && continue
  echo odd $i
done

#### loop status is last body command
for i in 1 2; do (exit $i); done
echo $?

#### loop status zero after break
for i in 1; do false; break; done
echo $?

#### while read loop from file
printf 'x 1\ny 2\n' > f
while read k v; do echo "$v-$k"; done < f

#### while with and-or condition
i=0
while [ $i -lt 5 ] && [ $i -ne 2 ]; do echo $i; i=$((i+1)); done

#### for loop on one line with do on same line
for i in 1 2; do echo $i; done; echo end

#### nested loops full
for i in 1 2; do for j in x y; do echo $i$j; done; done

#### for loop over command substitution
for w in $(echo one two); do echo $w; done

#### if with pipeline condition
if echo abc | grep -q b; then echo matched; fi

#### while loop modifies outer var
n=0
while [ $n -lt 10 ]; do n=$((n+3)); done
echo $n

#### reserved words as for values
for w in do done if; do echo $w; done

#### empty then body with colon
if true; then :; fi
echo $?

#### if negated condition
if ! [ -e nothing ]; then echo absent; fi

#### break too large level
for i in 1 2; do for j in 1 2; do break 5; done; echo no; done
echo after

#### for with semicolon before do
for i in a b
do echo $i; done

#### for loop variable is global in function
f() { for q in 1 2; do :; done; }
f
echo $q
