# Constructs aegish refuses on purpose. aegish parses the whole script before
# running anything, so even the lines before the construct print nothing; it
# exits with status 2 and names the construct on stderr.  bash runs them.

#### array assignment refused
## bash-only
## aegish-differs: refused on purpose (arrays)
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo before
a=(one two three)
echo "${a[1]}"

#### array element assignment refused
## bash-only
## aegish-differs: refused on purpose (arrays)
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo before
a[0]=x
echo done

#### array subscript expansion refused
## bash-only
## aegish-differs: refused on purpose (arrays)
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo before
echo "${BASH_VERSINFO[0]}" >/dev/null

#### array all elements expansion refused
## bash-only
## aegish-differs: refused on purpose (arrays)
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo before
for x in "${arr[@]}"; do echo "$x"; done

#### array length refused
## bash-only
## aegish-differs: refused on purpose (arrays)
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo before
echo ${#arr[@]}

#### array append refused
## bash-only
## aegish-differs: refused on purpose (arrays)
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo before
list+=(more)
echo after

#### array inside function body refused
## bash-only
## aegish-differs: refused on purpose (arrays), even in a function never called
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo before
f() { local xs=(1 2); echo "${xs[0]}"; }
echo after

#### select refused
## bash-only
## aegish-differs: refused on purpose (select)
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo before
select x in a b; do echo "$x"; break; done
echo after

#### select in dead branch refused
## bash-only
## aegish-differs: refused on purpose (select), even where never reached
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo before
if false; then select x in a; do break; done; fi
echo after

#### coproc refused
## bash-only
## aegish-differs: refused on purpose (coproc)
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo before
coproc true
wait
echo after

#### process substitution input refused
## bash-only
## aegish-differs: refused on purpose (process substitution)
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo before
cat <(echo inside)

#### process substitution output refused
## bash-only
## aegish-differs: refused on purpose (process substitution)
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo before
echo data > >(cat > f)
echo after

#### process substitution in diff refused
## bash-only
## aegish-differs: refused on purpose (process substitution)
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo before
diff <(echo a) <(echo a) && echo same

#### indirect expansion refused
## bash-only
## aegish-differs: refused on purpose (indirect expansion)
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo before
name=HOME
echo "${!name}" >/dev/null
echo after

#### indirect expansion in quotes late in script refused
## bash-only
## aegish-differs: refused on purpose (indirect expansion)
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo one
echo two
v=x x=y
echo "value: ${!v}"

#### prefix name listing refused
## bash-only
## aegish-differs: refused on purpose (indirect expansion ${!prefix*})
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo before
echo ${!HO*}

#### array keys expansion refused
## bash-only
## aegish-differs: refused on purpose (arrays / ${!a[@]})
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo before
echo ${!arr[@]}

#### array in command substitution refused
## bash-only
## aegish-differs: refused on purpose (arrays), inside $(...)
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo before
x=$(a=(1 2 3); echo ${#a[@]})
echo "$x"
