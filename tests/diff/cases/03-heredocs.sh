# Here-documents and here-strings.

#### basic heredoc
cat <<EOF
line one
line two
EOF

#### heredoc expands variables
x=world
cat <<EOF
hello $x
EOF

#### heredoc quoted delimiter no expansion
x=world
cat <<'EOF'
hello $x $(echo no) `echo no`
EOF

#### heredoc double quoted delimiter
x=1
cat <<"END"
$x
END

#### heredoc partially quoted delimiter
x=1
cat <<E"O"F
$x
EOF

#### heredoc backslash quoted delimiter
x=1
cat <<\EOF
$x
EOF

#### heredoc command substitution
cat <<EOF
sum $((1+2)) and $(echo sub)
EOF

#### heredoc backslash escapes
cat <<EOF
a\$b \`c\` back\\slash \n kept
EOF

#### heredoc backslash newline joins
cat <<EOF
one \
two
EOF

#### heredoc double quotes literal
x=v
cat <<EOF
"$x" '$x'
EOF

#### heredoc dash strips tabs
cat <<-EOF
	tabbed
		twice
	EOF

#### heredoc dash keeps spaces
cat <<-EOF
  spaced
	EOF

#### two heredocs on one line
cat <<A; cat <<B
first
A
second
B

#### two heredocs one command
cat <<A 3<<B
in-a
A
in-b
B

#### heredoc in while loop read
while read a b; do
  echo "[$a] [$b]"
done <<EOF
1 2 3
x y
EOF

#### heredoc in for loop
for i in 1 2; do
  cat <<EOF
iter $i
EOF
done

#### heredoc in function
f() {
  cat <<EOF
arg=$1
EOF
}
f one
f two

#### heredoc in command substitution
x=$(cat <<EOF
inside
EOF
)
echo "got $x"

#### heredoc to file then cat
cat > out.txt <<'EOF'
#!/bin/sh
echo "$HOME"
EOF
cat out.txt

#### heredoc empty body
cat <<EOF
EOF
echo done

#### heredoc delimiter with trailing text not end
cat <<EOF
EOFX
 EOF
EOF

#### heredoc with pipeline
cat <<EOF | tr a-z A-Z
shout
EOF

#### heredoc with and-list
cat <<EOF && echo after
body
EOF

#### heredoc to grep count
grep -c x <<EOF
x1
y
x2
EOF

#### heredoc with stdin redirect fd
cat 0<<EOF
zero
EOF

#### heredoc unquoted empty var
cat <<EOF
[$undefined_var]
EOF

#### heredoc preserves blank lines
cat <<EOF

middle

EOF

#### heredoc in if condition
if grep -q yes <<EOF
yes
EOF
then echo found; fi

#### heredoc long multiline with special chars
cat <<'EOF'
{ "json": [1, 2], "k": "v;|&" }
*.txt ? [abc]
EOF

#### heredoc second on fd 3 read
cat <<A 3<<B
in-a
A
in-b
B
read -r l <&3 2>/dev/null
echo "[$l]"

#### heredoc into while with pipe
cat <<EOF | while read -r n; do echo "n=$n"; done
5
6
EOF

#### heredoc variable in delimiter line not expanded
cat <<$x
text
$x

#### here-string basic
## bash-only
cat <<< "hello string"

#### here-string expands
## bash-only
x=val
cat <<< "v=$x"

#### here-string read
## bash-only
read a b <<< "one two three"
echo "$a|$b"

#### here-string adds newline
## bash-only
wc -c <<< abc

#### here-string unquoted no splitting
## bash-only
x="a   b"
cat <<< $x

#### here-string single quoted
## bash-only
cat <<< 'no $expansion'

#### here-string to while read
## bash-only
while read -r w; do echo "w=$w"; done <<< "line"
