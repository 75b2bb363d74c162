# A syntax error anywhere means aegish runs nothing (it parses the whole
# script first); bash and dash run the lines before the error, then exit 2.

#### stray fi after commands
## aegish-differs: whole script parsed first, nothing runs on a syntax error
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo before
echo still-before
fi
echo after

#### unterminated quote at end
## aegish-differs: whole script parsed first, nothing runs on a syntax error
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
echo one
echo two
echo "unterminated

#### missing done in later loop
## aegish-differs: whole script parsed first, nothing runs on a syntax error
## expect-status: 2
## expect-stdout:
## expect-stderr-nonempty
for x in a b; do echo $x; done
while true; do
  echo never
